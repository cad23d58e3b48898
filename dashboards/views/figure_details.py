"""Figure details: the list behind one headline figure of the Overview (its customers, orders,
answers, tickets, calls or promises), or behind a chart's point, for the period and tiers in
force, the figure added up from that very list, and the page that tells more. A figure's Details
open it (`figure_details?kpi=otif`), and so does a click on a chart's point
(`figure_details?kpi=touchpoints&month=2026-10&department=logistics`)."""

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
    "touchpoints": "overview",
    "revenue": "segments_churn",
    "comments": "satisfaction",
    "journey": "delivery",
    "perfect_order": "delivery",
    "installation_kept": "delivery",
}
# the list a row's status comes from (tickets and promises name theirs differently)
STATUS = {"sla": {"status": "ticket_status"}, "open_promises": {"status": "promise_status"}}

version, filters = ui.page_header("page.figure_details")
asked = st.query_params.get("kpi")
kpi = st.selectbox(
    t("details.figure"),
    queries.LISTS,
    index=queries.LISTS.index(asked) if asked in queries.LISTS else 0,
    format_func=lambda figure: t(f"kpi.{figure}"),
)
st.query_params["kpi"] = kpi  # the link shares this figure's list

# a chart's month (`&month=2026-10`, a point clicked on a monthly chart): the list of that month
# of the period, so that it counts to the point; of the whole month where the chart counts whole
# months (revenue by month against the year before)
start, end = filters.start, filters.end
month = ui.month_of(st.query_params.get("month"))
if month and queries.counts_whole_months(kpi):
    start, end = month
    st.caption(t("details.whole_month", month=f"{start:%Y-%m-%d}", to=f"{end:%Y-%m-%d}"))
elif month and month[0] <= end and month[1] >= start:
    start, end = max(start, month[0]), min(end, month[1])
    st.caption(t("details.month", month=f"{start:%Y-%m-%d}", to=f"{end:%Y-%m-%d}"))
if (start, end) != (filters.start, filters.end):
    st.page_link("views/figure_details.py", label=t("details.whole_period"), query_params={"kpi": kpi})
# a chart's line or colour of one value (`&channel=email`, `&department=sales`): that value's rows,
# for a figure a chart splits by that column
split = queries.split_of(kpi)
part = st.query_params.get(split) if split else None
if part:
    st.caption(t("details.part", column=ui.column_label(split), value=words.value_in_words(split, part)))
args = (version, kpi, start, end, filters.tiers)
totals = queries.figure(*args, part=part)
card, _ = st.columns([1, 3])
card.metric(t(f"kpi.{kpi}"), ui.KPI_FORMATS[kpi](totals["figure"]), help=t(f"kpi.{kpi}.help"), border=True)

st.subheader(t("details.list"))
st.caption(t(f"details.{kpi}", n=ui.count(totals["sample"] if totals["sample"] is not None else totals["rows"])))
ui.table(
    queries.rows(*args, part=part),
    f"figure-{kpi}",
    vocabulary=STATUS.get(kpi),
    every_row=partial(queries.rows.__wrapped__, *args, limit=None, part=part),
)
st.page_link(
    f"views/{MORE[kpi]}.py",
    label=t("details.more", page=t(f"page.{MORE[kpi]}")),
    icon=":material/arrow_forward:",
)
