"""Overview: the company's customer relationships on one page, each figure against the
period before and leading to the list it is counted from."""

import streamlit as st

from dashboards import ui
from dashboards.i18n import t
from dashboards.queries import data_health, worklist
from dashboards.queries import overview as queries

version, filters = ui.page_header("page.overview")
kpis = queries.overview(version, filters.start, filters.end, filters.tiers)

# kpi -> (delta unit, lower is better); each figure's Details open the list it is counted from
LAYOUT = {
    "customers": ("", False),
    "active": ("", False),
    "revenue_12m": ("money", False),
    "csat": ("points", False),
    "nps": ("", False),
    "sla": ("points", False),
    "otif": ("points", False),
    "abandonment": ("points", True),
    "open_promises": ("", True),
    "high_churn": ("", True),
}

targets = ui.targets()

for row in (list(LAYOUT)[:5], list(LAYOUT)[5:]):
    for column, kpi in zip(st.columns(5), row, strict=True):
        unit, lower_is_better = LAYOUT[kpi]
        fmt = ui.KPI_FORMATS[kpi]
        now, before, sample = kpis[kpi]
        with column:
            st.metric(
                t(f"kpi.{kpi}"),
                fmt(now),
                ui.change(now, before, unit),
                delta_color="inverse" if lower_is_better else "normal",
                help=t(f"kpi.{kpi}.help"),
                border=True,
            )
            notes = []
            if sample is not None:  # a rate says how many it is a rate of
                notes.append(t(f"kpi.{kpi}.sample", n=ui.count(sample)))
            if kpi in targets:
                notes.append(ui.against_target(now, targets[kpi], fmt, lower_is_better))
            if notes:
                st.caption(" · ".join(notes))
            st.page_link(
                "views/figure_details.py",
                label=t("link.details"),
                icon=":material/arrow_forward:",
                query_params={"kpi": kpi},
            )

# the worklist: were the proposed actions followed up?
st.subheader(t("overview.worklist"))
actions = worklist.summary(version, filters.start, filters.end, filters.tiers)
followed_up = actions["done"] + actions["overdue"]
done, overdue, share = st.columns(3)
done.metric(t("overview.worklist.done"), ui.count(actions["done"]), help=t("worklist.done.help"), border=True)
overdue.metric(
    t("overview.worklist.overdue"), ui.count(actions["overdue"]), help=t("worklist.overdue.help"), border=True
)
share.metric(
    t("overview.worklist.done_share"),
    ui.pct(100.0 * actions["done"] / followed_up if followed_up else None),
    help=t("overview.worklist.done_share.help"),
    border=True,
)
st.page_link("views/worklist.py", label=t("link.details"), icon=":material/arrow_forward:")

# data rot: the persons the company can still reach, this month against the month before
st.subheader(t("overview.reachability"))
shares = data_health.reachable_share_by_month(version)
for column, channel in zip(st.columns(2), ("phone", "email"), strict=True):
    now = shares[f"{channel}_pct"].iloc[-1] if len(shares) else None
    before = shares[f"{channel}_pct"].iloc[-2] if len(shares) > 1 else None
    column.metric(
        t(f"overview.reachable_by_{channel}"),
        ui.pct(now),
        ui.change(now, before, "points"),
        help=t("overview.reachability.help"),
        border=True,
    )
st.page_link("views/data_health.py", label=t("link.details"), icon=":material/arrow_forward:")

st.subheader(t("overview.touchpoints"))
monthly = queries.touchpoints_by_month(version, filters.start, filters.end, filters.tiers)
if monthly.empty:
    st.info(t("empty.no_rows"))
else:
    # a bar opens that month's touchpoints with its department
    ui.chart(
        ui.express("bar", monthly, x="month", y="touchpoints", color="department", custom_data=["month", "department"]),
        filters.end,
        opens=ui.opens_the_months_list("touchpoints"),
        key="touchpoints-by-month",
    )
ui.table(monthly, "touchpoints_by_month")
