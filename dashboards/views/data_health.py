"""Data health: recent runs, freshness of each source, rows loaded and quarantined, quality
results, identity resolution, and how many customers can actually be reached."""

from functools import partial

import streamlit as st

from dashboards import ui
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
if not shares.empty:
    shares = shares.melt(id_vars="month", value_vars=["phone_pct", "email_pct"], var_name="measure", value_name="pct")
    ui.chart(ui.express("line", shares, x="month", y="pct", color="measure", markers=True))
reasons = queries.reachability_rows(version)
if not reasons.empty:
    ui.chart(ui.express("bar", reasons, x="month", y="share_pct", color="reachability", facet_col="channel"))
ui.table(reasons, "reachability_by_month", "empty.no_rows")
