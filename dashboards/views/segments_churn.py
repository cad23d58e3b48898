"""Segments and churn: the value pyramid against lifecycle stages, movement between tiers, the
top customers by revenue or growth, and the customers most at risk of leaving with the reasons
and the next best action."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboards import data, ui, words
from dashboards.i18n import t
from dashboards.queries import segments_churn as queries

version, filters = ui.page_header("page.segments_churn")

st.subheader(t("segments.pyramid"))
tiers = queries.tier_by_stage(version, filters.tiers)


def customers_of_bar(picked: list) -> None:
    """The customers a clicked part of the pyramid counts: its tier's in its lifecycle stage."""
    tier, stage = picked
    shown = queries.customers_of_tier_and_stage(version, tier, stage)
    st.subheader(t("chart.picked", what=f"{words.word('tier', tier)} · {words.word('lifecycle', stage)}"))
    st.caption(t("chart.picked.customers", n=ui.count(len(shown))))
    ui.table(
        shown,
        "customers_of_tier_and_stage",
        every_row=partial(queries.customers_of_tier_and_stage.__wrapped__, version, tier, stage, limit=None),
    )


if not tiers.empty:
    # the pyramid top down (most valuable tier first), each tier's bar split into the lifecycle
    # stages in the order customers go through them; a part opens the customers it counts
    stages = [s for s in data.LIFECYCLE_STAGES if s in set(tiers["lifecycle_stage"])]
    ui.chart(
        ui.express(
            "bar",
            tiers,
            x="customers",
            y="value_tier",
            color="lifecycle_stage",
            orientation="h",
            text_auto=True,
            category_orders={
                "value_tier": [v for v in data.value_tiers(version) if v in set(tiers["value_tier"])],
                "lifecycle_stage": stages + sorted(set(tiers["lifecycle_stage"].dropna()) - set(stages)),
            },
            custom_data=["value_tier", "lifecycle_stage"],
        ),
        opens=customers_of_bar,
        key="value-pyramid",
    )
ui.table(tiers, "customers_by_tier_and_stage")

st.subheader(t("segments.movements"))
ui.table(
    queries.tier_movements(version, filters.start, filters.end, filters.tiers), "tier_movements", "empty.no_movements"
)

st.subheader(t("segments.top_customers"))
rank_by = st.radio(
    t("segments.rank_by"),
    ["revenue", "growth"],
    format_func=lambda choice: t(f"segments.rank_by.{choice}"),
    horizontal=True,
    key="top_customers_rank_by",
)
st.caption(t("segments.top_customers.help"))
ui.table(
    queries.top_customers(version, filters.start, filters.end, filters.tiers, rank_by), f"top_customers_by_{rank_by}"
)

st.subheader(t("segments.revenue"))
st.caption(t("segments.revenue.help"))
months = queries.revenue_by_month_against_year_before(version, filters.end, filters.tiers)
if not months.empty:
    # a bar opens its month's orders: the year before's bar those of twelve months earlier
    bars_of_months = months.melt(
        id_vars="month",
        value_vars=["revenue_year_before", "revenue_in_month"],
        var_name="measure",
        value_name="monthly_revenue",
    )
    month = pd.to_datetime(bars_of_months["month"])
    bars_of_months["ordered_month"] = month.where(
        bars_of_months["measure"] == "revenue_in_month", month - pd.DateOffset(years=1)
    )
    ui.chart(
        ui.express(
            "bar",
            bars_of_months,
            x="month",
            y="monthly_revenue",
            color="measure",
            barmode="group",
            custom_data=["ordered_month"],
        ),
        filters.end,
        opens=ui.opens_the_months_list("revenue"),
        key="revenue-by-month",
    )
revenue_by = st.radio(
    t("segments.revenue_by"),
    ["product_family", "region"],
    format_func=lambda choice: t(f"field.{choice}"),
    horizontal=True,
    key="revenue_by",
)
ui.table(
    queries.revenue_by_against_year_before(version, filters.end, filters.tiers, revenue_by),
    f"revenue_by_{revenue_by}",
)

st.subheader(t("segments.value_at_risk"))
st.caption(t("segments.value_at_risk.help"))
nights = queries.value_at_risk_by_night(version, filters.tiers)


def customers_of_night(picked: list) -> None:
    """The customers a clicked night's value at risk sums: tonight's scores are the warehouse's
    (marts.customer_360); an earlier night kept its totals alone (marts.customer_churn_nightly)."""
    night = pd.Timestamp(picked[0]).date()
    if night != pd.Timestamp(nights["night_date"].max()).date():
        st.caption(t("chart.night_not_kept", night=f"{night:%Y-%m-%d}"))
        return
    shown = queries.churn_list(version, filters.tiers, limit=data.ROW_CAP)
    st.subheader(t("chart.picked", what=f"{night:%Y-%m-%d}"))
    st.caption(t("chart.picked.customers", n=ui.count(nights["scored_customers"].iloc[-1])))
    ui.table(
        shown,
        "value_at_risk_of_night",
        every_row=partial(queries.churn_list.__wrapped__, version, filters.tiers, limit=None),
    )


if not nights.empty:
    # the newest night's point opens the customers its value at risk sums
    ui.chart(
        ui.express(
            "line",
            nights,
            x="night_date",
            y="value_at_risk",
            markers=True,
            hover_data=["high_risk_customers"],
            custom_data=["night_date"],
        ),
        opens=customers_of_night,
        key="value-at-risk-by-night",
    )
ui.table(nights, "value_at_risk_by_night")

st.subheader(t("segments.churn_list"))
st.caption(t("segments.churn_list.help"))
ui.table(queries.churn_list(version, filters.tiers), "churn_risk_list")
