"""Data health: recent runs, freshness of each source, rows loaded and quarantined, quality
results, identity resolution, and how many customers can actually be reached."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboards import ui, words
from dashboards.i18n import t
from dashboards.queries import data_health as queries

version, _ = ui.page_header("page.data_health", dated=False)

st.subheader(t("health.runs"))
ui.table(queries.run_history(), "run_history", "empty.no_runs")
st.subheader(t("health.publishes"))
ui.table(queries.publishes(version), "publish_log")

st.subheader(t("health.sources"))
ui.table(queries.source_freshness(version), "source_freshness")
st.subheader(t("health.quality"))
ui.table(queries.quality_results(version), "quality_results")
st.subheader(t("health.quarantine"))
ui.table(
    queries.quarantine(version),
    "quarantine",
    "empty.no_quarantine",
    every_row=partial(queries.quarantine.__wrapped__, version, limit=None),
)

st.subheader(t("health.identity"))
identity = queries.identity_health(version)
cols = st.columns(5)
cols[0].metric(t("health.source_records"), ui.count(identity["source_records"]), border=True)
cols[1].metric(t("health.customers"), ui.count(identity["customers"]), border=True)
cols[2].metric(t("health.unidentified"), ui.count(identity["unidentified"]), border=True)
cols[3].metric(t("health.shared_identifiers"), ui.count(identity["shared_identifiers"]), border=True)
cols[4].metric(t("health.contactable"), ui.pct(identity["contactable_pct"]), border=True)
st.caption(t("health.identity_runs.help"))
ui.table(queries.identity_runs(version), "identity_match_runs")
st.caption(t("health.shared_identifiers.help"))
ui.table(queries.shared_identifiers(version), "shared_identifiers", "empty.no_rows")

st.subheader(t("health.contactability"))
ui.table(queries.contactability(version), "contactability")

# data rot: month by month, who can still be reached, and why not the others
st.subheader(t("health.reachability"))
st.caption(t("health.reachability.help"))
shares = queries.reachable_share_by_month(version)
reasons = queries.reachability_rows(version)


def persons_of_bar(picked: list) -> None:
    """The persons a clicked bar or point counts: tonight's month's are listed (customer_contacts
    judges each person tonight); an earlier month is counted as it stood, but not listed."""
    month, channel, reachability = pd.Timestamp(picked[0]).date(), picked[1], picked[2]
    newest = pd.Timestamp(reasons["month"].max()).date()
    if month != newest:
        st.caption(t("chart.month_not_listed", month=f"{month:%Y-%m}", newest=f"{newest:%Y-%m}"))
        return
    shown = queries.persons_of_reachability(version, channel, reachability)
    what = f"{words.word('channel', channel)} · {words.value_in_words('reachability', reachability)}"
    st.subheader(t("chart.picked", what=what))
    st.caption(t("chart.picked.persons", n=ui.count(len(shown))))
    ui.table(
        shown,
        f"persons_{channel}_{reachability}",
        every_row=partial(queries.persons_of_reachability.__wrapped__, version, channel, reachability, limit=None),
    )


if not shares.empty:
    shares = shares.melt(id_vars="month", value_vars=["phone_pct", "email_pct"], var_name="measure", value_name="pct")
    # a point opens the persons reachable on its channel (tonight's month)
    shares["channel"] = shares["measure"].str.removesuffix("_pct")
    shares["reachability"] = "reachable"
    ui.chart(
        ui.express(
            "line",
            shares,
            x="month",
            y="pct",
            color="measure",
            markers=True,
            custom_data=["month", "channel", "reachability"],
        ),
        opens=persons_of_bar,
        key="reachable-share-by-month",
    )
if not reasons.empty:
    ui.chart(
        ui.express(
            "bar",
            reasons,
            x="month",
            y="share_pct",
            color="reachability",
            facet_col="channel",
            # wide enough a gap that the next panel's axis handle does not lie over the newest bar
            # (a click there dragged the axis instead of opening the bar)
            facet_col_spacing=0.08,
            custom_data=["month", "channel", "reachability"],
        ),
        opens=persons_of_bar,
        key="reachability-by-month",
    )
ui.table(reasons, "reachability_by_month", "empty.no_rows")
