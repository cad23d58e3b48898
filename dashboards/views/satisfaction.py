"""Satisfaction: CSAT, NPS and CES over time by channel, by segment and product family, and
what preceded the bad ratings."""

from functools import partial

import streamlit as st

from dashboards import ui, words
from dashboards.i18n import t
from dashboards.queries import satisfaction as queries

version, filters = ui.page_header("page.satisfaction")
args = (version, filters.start, filters.end, filters.tiers)

st.subheader(t("satisfaction.over_time"))
monthly = queries.satisfaction_by_month(*args)
if not monthly.empty:
    measure = st.radio(
        t("satisfaction.measure"),
        ["csat_pct", "nps", "ces_avg"],
        horizontal=True,
        format_func=lambda m: t(f"measure.{m}"),
    )
    shown = monthly.dropna(subset=[measure])
    if shown.empty:  # a measure no survey of the company asks (CES, NPS without a survey object)
        st.info(t("empty.not_asked"))
    else:
        # a month's point of CSAT opens that month's answers on its channel; of NPS, the month's NPS answers
        listed = {"csat_pct": "csat", "nps": "nps"}.get(measure)
        ui.chart(
            ui.express(
                "line", shown, x="month", y=measure, color="channel", markers=True, custom_data=["month", "channel"]
            ),
            filters.end,
            opens=ui.opens_the_months_list(listed) if listed else None,
            key=f"satisfaction-by-month-{measure}",
        )
ui.table(monthly, "satisfaction_by_month")

left, right = st.columns(2)
with left:
    st.subheader(t("satisfaction.by_segment"))
    ui.table(queries.satisfaction_by(version, "segment", *args[1:]), "satisfaction_by_segment")
with right:
    st.subheader(t("satisfaction.by_family"))
    ui.table(queries.satisfaction_by(version, "product_family", *args[1:]), "satisfaction_by_product_family")

st.subheader(t("satisfaction.precursors"))
st.caption(t("satisfaction.precursors.help"))
precursors = queries.bad_rating_precursors(*args)


def answers_of_bar(picked: list) -> None:
    """The answers a clicked bar counts: the period's bad (or other) answers its precursor preceded."""
    precursor, is_bad = picked[0], bool(picked[1])
    shown = queries.answers_after(*args, precursor, is_bad)
    of_all = precursors.loc[precursors["is_bad"] == is_bad, "answers"].iloc[0]
    group = t("value.bad" if is_bad else "value.other")
    st.subheader(t("chart.picked", what=f"{t(f'precursor.{precursor}')} · {group}"))
    st.caption(t("chart.picked.answers", n=ui.count(len(shown)), of=ui.count(of_all)))
    ui.table(
        shown,
        "answers_after_precursor",
        "empty.no_rows",
        every_row=partial(queries.answers_after.__wrapped__, *args, precursor, is_bad, limit=None),
    )


if not precursors.empty:
    shown = precursors.assign(group=precursors["is_bad"].map({True: t("value.bad"), False: t("value.other")}))
    # a bar opens the answers it counts
    ui.chart(
        ui.express(
            "bar",
            shown,
            x="precursor",
            y="pct_of_answers",
            color="group",
            barmode="group",
            custom_data=["precursor", "is_bad"],
        ),
        opens=answers_of_bar,
        key="bad-rating-precursors",
    )
ui.table(precursors, "bad_rating_precursors")

st.subheader(t("satisfaction.verbatims"))
st.caption(t("satisfaction.verbatims.help"))
themes = queries.themes_by_month(*args)
if not themes.empty:
    # a bar opens its month's comments of its theme
    ui.chart(
        ui.express("bar", themes, x="month", y="comments", color="theme", custom_data=["month", "theme"]),
        filters.end,
        opens=ui.opens_the_months_list("comments"),
        key="themes-by-month",
    )
picked = st.selectbox(
    t("filter.theme"),
    sorted(themes["theme"].unique()) if not themes.empty else [],
    index=None,
    placeholder=t("filter.all"),
    format_func=lambda theme: words.word("theme", theme),
)
ui.table(
    queries.verbatims(*args, picked),
    "satisfaction_verbatims",
    "empty.no_verbatims",
    every_row=partial(queries.verbatims.__wrapped__, *args, picked, limit=None),
)
