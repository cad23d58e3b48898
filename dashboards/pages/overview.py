"""Overview: the company's customer relationships on one page."""

import plotly.express as px
import streamlit as st

from dashboards import data

st.title("Customer overview")

version = data.publish_version()
if version is None:
    st.info("Nothing has been published yet. Run `c360 run` and reload this page.")
    st.stop()

published = data.published_at(version)
st.caption(f"Data published {published:%Y-%m-%d %H:%M} UTC" if published else "Publish time unknown")

k = data.overview_kpis(version)


def pct(value):
    return "n/a" if value is None else f"{value:.1f} %"


row1 = st.columns(5)
row1[0].metric("Customers", f"{k.customers:,}")
row1[1].metric("Active customers", f"{k.active_customers:,}")
row1[2].metric("Revenue, 12 months", f"{k.revenue_12m:,.0f}")
row1[3].metric("CSAT, 90 days", pct(k.csat_pct_90d))
row1[4].metric("NPS, 12 months", "n/a" if k.nps_12m is None else f"{k.nps_12m:.0f}")
row2 = st.columns(5)
row2[0].metric("Abandoned calls, 90 days", pct(k.abandonment_rate_90d))
row2[1].metric("Open tickets", f"{k.open_tickets:,}")
row2[2].metric("Late deliveries, 12 months", f"{k.late_deliveries_12m:,}")
row2[3].metric("Contactable customers", pct(k.contactable_pct))
row2[4].metric("Unidentified callers", f"{k.unidentified_customers:,}")

st.subheader("Touchpoints by month and department")
monthly = data.touchpoints_by_month(version)
if monthly.empty:
    st.info("No touchpoints yet.")
else:
    st.plotly_chart(px.bar(monthly, x="month", y="touchpoints", color="department"), width="stretch")

st.subheader("Customers by value tier and lifecycle stage")
tiers = data.customers_by_tier_and_stage(version)
st.dataframe(tiers, hide_index=True, width="stretch")
st.download_button("Download CSV", tiers.to_csv(index=False).encode("utf-8"), "customers_by_tier.csv", "text/csv")
