"""Pipeline: what customers are considering now. The open CRM deals by stage (amount and
weighted by the CRM's probability) and the stale ones to act on, the biggest first."""

import plotly.express as px
import streamlit as st

from dashboards import ui
from dashboards.i18n import t
from dashboards.queries import pipeline as queries

version, filters = ui.page_header("page.pipeline", dated=False)
st.caption(t("pipeline.help"))

totals = queries.totals(version, filters.tiers)
deals, amount, weighted, stale = st.columns(4)
deals.metric(t("pipeline.open_deals"), ui.count(totals["deals"]))
amount.metric(t("pipeline.amount"), ui.money(totals["amount"]))
weighted.metric(t("pipeline.weighted"), ui.money(totals["weighted_amount"]), help=t("pipeline.weighted.help"))
stale.metric(t("pipeline.stale"), ui.count(totals["stale_deals"]), help=t("pipeline.stale.help"))

st.subheader(t("pipeline.by_stage"))
stages = queries.by_stage(version, filters.tiers)
if not stages.empty:
    ui.chart(
        px.bar(
            stages,
            x="stage_name",
            y=["amount", "weighted_amount"],
            barmode="group",
            labels={"variable": "", "value": "open_pipeline_amount"},
        )
    )
ui.table(stages, "pipeline_by_stage", "empty.no_opportunities")

st.subheader(t("pipeline.stale_deals"))
st.caption(t("pipeline.stale_deals.help"))
ui.table(queries.stale_deals(version, filters.tiers), "stale_opportunities", "empty.no_stale_deals")
