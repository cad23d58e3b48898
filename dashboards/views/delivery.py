"""Delivery and installation: OTIF, perfect orders, wrong items, installation promises kept,
and the order journey showing at which stage, in which department, promises break."""

import streamlit as st

from dashboards import ui
from dashboards.i18n import t
from dashboards.queries import delivery as queries

version, filters = ui.page_header("page.delivery")

st.subheader(t("delivery.by_month"))
monthly = queries.delivery_by_month(version, filters.start, filters.end, filters.tiers)
if not monthly.empty:
    long = monthly.melt(
        id_vars="month",
        value_vars=["otif_pct", "perfect_order_pct", "installation_kept_pct"],
        var_name="measure",
        value_name="pct",
    )
    ui.chart(
        ui.express("line", long, x="month", y="pct", color="measure", markers=True, custom_data=["month", "measure"]),
        filters.end,
        opens=ui.opens_the_months_list(
            {"otif_pct": "otif", "perfect_order_pct": "perfect_order", "installation_kept_pct": "installation_kept"}
        ),
        key="delivery-by-month",
    )
ui.table(monthly, "delivery_by_month")

st.subheader(t("delivery.journey"))
st.caption(t("delivery.journey.help"))
journey = queries.order_journey(version, filters.start, filters.end, filters.tiers)
if not journey.empty and journey["orders"].sum() > 0:
    # a stage's bar opens the orders that reached it
    ui.chart(
        ui.express(
            "funnel",
            journey,
            x="orders",
            y="stage",
            custom_data=["stage"],
            hover_data=["department", "promises_broken"],
        ),
        opens=ui.opens_the_list("journey"),
        key="order-journey",
    )
ui.table(journey, "order_journey")
