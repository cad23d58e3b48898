"""Figure details: the list behind one headline figure of the Overview (its customers, orders,
answers, tickets, calls or promises) for the period and tiers in force, the figure added up from
that very list, and the page that tells more. A figure's Details open it: `figure_details?kpi=otif`."""

from functools import partial

import streamlit as st

from dashboards import ui, words
from dashboards.i18n import t
from dashboards.queries import figure_details as queries

# figure -> the page that tells more about it
MORE = {
    "customers": "segments_churn",
    "active": "segments_churn",
    "revenue_12m": "segments_churn",
    "csat": "satisfaction",
    "nps": "satisfaction",
    "sla": "service_calls",
    "otif": "delivery",
    "abandonment": "service_calls",
    "open_promises": "open_promises",
    "high_churn": "segments_churn",
}
# the list a row's status comes from (tickets and promises name theirs differently)
STATUS = {"sla": {"status": "ticket_status"}, "open_promises": {"status": "promise_status"}}

version, filters = ui.page_header("page.figure_details")
asked = st.query_params.get("kpi")
kpi = st.selectbox(
    t("details.figure"),
    queries.FIGURES,
    index=queries.FIGURES.index(asked) if asked in queries.FIGURES else 0,
    format_func=lambda figure: t(f"kpi.{figure}"),
)
st.query_params["kpi"] = kpi  # the link shares this figure's list

# a chart's month (`&month=2026-10`, a point clicked on a monthly chart): the list of that month
# of the period, so that it counts to the point
start, end = filters.start, filters.end
if (month := ui.month_of(st.query_params.get("month"))) and month[0] <= end and month[1] >= start:
    start, end = max(start, month[0]), min(end, month[1])
    st.caption(t("details.month", month=f"{start:%Y-%m-%d}", to=f"{end:%Y-%m-%d}"))
    st.page_link("views/figure_details.py", label=t("details.whole_period"), query_params={"kpi": kpi})
# a chart's line of one channel (`&channel=email`): that channel's rows, for a figure whose rows say theirs
channel = st.query_params.get("channel") if kpi in queries.BY_CHANNEL else None
if channel:
    st.caption(t("details.channel", channel=words.value_in_words("channel", channel)))
args = (version, kpi, start, end, filters.tiers)
totals = queries.figure(*args, channel=channel)
card, _ = st.columns([1, 3])
card.metric(t(f"kpi.{kpi}"), ui.KPI_FORMATS[kpi](totals["figure"]), help=t(f"kpi.{kpi}.help"), border=True)

st.subheader(t("details.list"))
st.caption(t(f"details.{kpi}", n=ui.count(totals["sample"] if totals["sample"] is not None else totals["rows"])))
ui.table(
    queries.rows(*args, channel=channel),
    f"figure-{kpi}",
    vocabulary=STATUS.get(kpi),
    every_row=partial(queries.rows.__wrapped__, *args, limit=None, channel=channel),
)
st.page_link(
    f"views/{MORE[kpi]}.py",
    label=t("details.more", page=t(f"page.{MORE[kpi]}")),
    icon=":material/arrow_forward:",
)
