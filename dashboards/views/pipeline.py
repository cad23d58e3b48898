"""Pipeline: what customers are considering now. The open CRM deals by stage (amount and
weighted by the CRM's probability) and the stale ones to act on, the biggest first."""

from functools import partial

import streamlit as st

from dashboards import ui
from dashboards.i18n import t
from dashboards.queries import pipeline as queries

version, filters = ui.page_header("page.pipeline", dated=False)
st.caption(t("pipeline.help"))

stages = queries.by_stage(version, filters.tiers)
# the page's figures are the stages' sums (no amount at all when there is no deal)
deals, amount, weighted, stale = st.columns(4)
deals.metric(t("pipeline.open_deals"), ui.count(stages["deals"].sum()))
amount.metric(t("pipeline.amount"), ui.money(stages["amount"].sum() if len(stages) else None))
weighted.metric(
    t("pipeline.weighted"),
    ui.money(stages["weighted_amount"].sum() if len(stages) else None),
    help=t("pipeline.weighted.help"),
)
stale.metric(t("pipeline.stale"), ui.count(stages["stale_deals"].sum()), help=t("pipeline.stale.help"))

st.subheader(t("pipeline.by_stage"))


def deals_in_stage(picked: list) -> None:
    """The open deals of a clicked stage."""
    (stage,) = picked
    shown = queries.deals_in_stage(version, filters.tiers, stage)
    st.subheader(t("chart.picked", what=stage))  # the CRM's own stage name
    st.caption(t("chart.picked.deals", n=ui.count(len(shown))))
    ui.table(
        shown,
        "open_deals_in_stage",
        "empty.no_opportunities",
        every_row=partial(queries.deals_in_stage.__wrapped__, version, filters.tiers, stage, limit=None),
    )


if not stages.empty:
    ui.chart(
        ui.express(
            "bar",
            stages.melt(
                id_vars="stage",
                value_vars=["amount", "weighted_amount"],
                var_name="measure",
                value_name="open_pipeline_amount",
            ),
            x="stage",
            y="open_pipeline_amount",
            color="measure",
            barmode="group",
            custom_data=["stage"],
        ),
        opens=deals_in_stage,
        key="pipeline_by_stage_chart",
    )
ui.table(stages, "pipeline_by_stage", "empty.no_opportunities")

st.subheader(t("pipeline.stale_deals"))
st.caption(t("pipeline.stale_deals.help"))
ui.table(
    queries.stale_deals(version, filters.tiers),
    "stale_opportunities",
    "empty.no_stale_deals",
    every_row=partial(queries.stale_deals.__wrapped__, version, filters.tiers, limit=None),
)
