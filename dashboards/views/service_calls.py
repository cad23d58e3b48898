"""Service and call center: SLA compliance, reply and resolution times, reopens and the
backlog; calls by hour, speed of answer, handle time, service level and abandonment, by
queue and agent."""

from functools import partial

import streamlit as st

from dashboards import ui
from dashboards.i18n import t
from dashboards.queries import service_calls as queries

version, filters = ui.page_header("page.service_calls")

st.subheader(t("service.by_month"))
service = queries.service_by_month(version, filters.start, filters.end, filters.tiers)
if not service.empty:
    ui.chart(
        ui.express("line", service, x="month", y="sla_compliance_pct", markers=True, custom_data=["month"]),
        filters.end,
        opens=ui.opens_the_months_list("sla"),
        key="service-by-month",
    )
ui.table(service, "service_by_month")

st.subheader(t("service.backlog"))
ui.table(queries.service_backlog(version, filters.tiers), "service_backlog", "empty.no_backlog")

st.subheader(t("service.open_tickets"))
st.caption(t("service.open_tickets.help"))
ui.table(
    queries.open_tickets(version, filters.tiers),
    "open_tickets",
    "empty.no_backlog",
    {"status": "ticket_status"},
    every_row=partial(queries.open_tickets.__wrapped__, version, filters.tiers, limit=None),
)

st.divider()
st.caption(t("calls.segment_note"))
st.subheader(t("calls.by_hour"))
hourly = queries.calls_by_hour(version, filters.start, filters.end)


def calls_of_bar(picked: list) -> None:
    """The calls a clicked bar counts: its queue's of its hour, by day and agent."""
    hour, queue = picked
    shown = queries.calls_of_hour(version, filters.start, filters.end, int(hour), queue)
    st.subheader(t("chart.picked", what=f"{queue} · {int(hour):02d}:00"))  # the PBX's own queue name
    st.caption(t("chart.picked.calls", n=ui.count(shown["offered"].sum())))
    ui.table(shown, "calls_of_hour")


if not hourly.empty:
    ui.chart(
        ui.express(
            "bar", hourly, x="hour_of_day", y="offered", color="queue_name", custom_data=["hour_of_day", "queue_name"]
        ),
        opens=calls_of_bar,
        key="calls-by-hour",
    )
ui.table(hourly, "calls_by_hour")

st.subheader(t("calls.by_queue"))
ui.table(queries.calls_by_queue(version, filters.start, filters.end), "calls_by_queue")

st.subheader(t("calls.by_agent"))
ui.table(
    queries.calls_by_agent(version, filters.start, filters.end),
    "calls_by_agent",
    every_row=partial(queries.calls_by_agent.__wrapped__, version, filters.start, filters.end, limit=None),
)
