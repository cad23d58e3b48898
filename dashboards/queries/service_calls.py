"""The queries of the Service & calls page (dashboards/views/service_calls.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.data import (
    ROW_CAP,
    Period,
    company_zone,
    kpi_rate,
    query,
    row_limit,
    segment_filter,
    tier_filter,
    with_tiers,
)


@st.cache_data(show_spinner=False)
def service_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        with counts as (
            select cast(date_trunc('month', timezone($zone, timezone('UTC', created_at))) as date) as month,
                   count(*) as tickets,
                   median(first_reply_business_minutes) as first_reply_business_minutes_median,
                   median(full_resolution_business_minutes) as full_resolution_business_minutes_median,
                   sum(reopens) as reopens
            from marts.service_tickets
            where created_at >= $start_at and created_at < $end_at {segment_filter(tiers)}
            group by all
        ),
        -- the rates added up from marts.customer_kpis_daily, where they are defined, and divided
        rates as (
            select cast(date_trunc('month', day) as date) as month,
                   {kpi_rate("sla_compliance")} as sla_compliance_pct,
                   {kpi_rate("one_touch")} as one_touch_pct
            from marts.customer_kpis_daily
            where day between $start_date and $end_date {tier_filter(tiers)}
            group by all
        )
        select counts.month, tickets, sla_compliance_pct, first_reply_business_minutes_median,
               full_resolution_business_minutes_median, reopens, one_touch_pct
        from counts left join rates using (month)
        order by month
        """,
        # the month of each ticket's company-local day, as the mart's rates count it
        with_tiers({**Period(start, end).params(), "zone": company_zone().key}, tiers),
    )


@st.cache_data(show_spinner=False)
def service_backlog(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select priority,
               count(*) as open_tickets,
               count(*) filter (where is_sla_breached) as breached,
               median(backlog_age_days) as median_age_days,
               max(backlog_age_days) as oldest_days
        from marts.service_tickets
        where is_open {segment_filter(tiers)}
        group by all
        order by open_tickets desc
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def calls_by_queue(version: str, start: date, end: date) -> pd.DataFrame:
    return query(
        version,
        """
        select queue_name,
               sum(offered) as offered, sum(answered) as answered, sum(abandoned) as abandoned,
               100.0 * sum(abandoned) / nullif(sum(offered), 0) as abandonment_pct,
               sum(asa_seconds * answered) / nullif(sum(answered), 0) as asa_seconds,
               sum(aht_seconds * answered) / nullif(sum(answered), 0) as aht_seconds,
               100.0 * sum(service_level_20s * offered) / nullif(sum(offered), 0) as service_level_20s_pct
        from marts.callcenter_daily
        where call_date between $start_date and $end_date
        group by all
        order by offered desc
        """,
        Period(start, end).params(),
    )


@st.cache_data(show_spinner=False)
def calls_by_hour(version: str, start: date, end: date) -> pd.DataFrame:
    return query(
        version,
        """
        select hour_of_day, queue_name, sum(offered) as offered, sum(answered) as answered,
               sum(abandoned) as abandoned,
               sum(answered_hold_seconds) / nullif(sum(answered), 0) as asa_seconds
        from marts.callcenter_hourly
        where call_date between $start_date and $end_date
        group by all
        order by hour_of_day, queue_name
        """,
        Period(start, end).params(),
    )


@st.cache_data(show_spinner=False)
def calls_of_hour(version: str, start: date, end: date, hour: int, queue: str) -> pd.DataFrame:
    """The calls a bar of calls by hour counts: its queue's calls of that hour, by day and the
    agent who answered (the warehouse keeps calls per day, hour, queue and agent:
    marts.callcenter_hourly; none for the calls nobody answered), the newest first."""
    return query(
        version,
        """
        select call_date, hour_of_day, queue_name, nullif(agent, 'none') as agent, offered, answered, abandoned
        from marts.callcenter_hourly
        where call_date between $start_date and $end_date and hour_of_day = $hour and queue_name = $queue
            and offered > 0
        order by call_date desc, agent
        """,
        {**Period(start, end).params(), "hour": int(hour), "queue": queue},
    )


@st.cache_data(show_spinner=False)
def calls_by_agent(version: str, start: date, end: date, limit: int | None = ROW_CAP) -> pd.DataFrame:
    return query(
        version,
        f"""
        select agent, queue_name, sum(answered) as answered,
               sum(answered_talk_seconds) / nullif(sum(answered), 0) as aht_seconds,
               sum(answered_hold_seconds) / nullif(sum(answered), 0) as asa_seconds,
               100.0 * sum(answered_within_20s) / nullif(sum(answered), 0) as answered_within_20s_pct
        from marts.callcenter_hourly
        where call_date between $start_date and $end_date and agent <> 'none'
        group by all
        order by answered desc
        {row_limit(limit)}
        """,
        Period(start, end).params(),
    )


@st.cache_data(show_spinner=False)
def open_tickets(version: str, tiers: tuple[str, ...], limit: int | None = ROW_CAP) -> pd.DataFrame:
    """The open tickets to act on: the most urgent first, the oldest first within a priority."""
    return query(
        version,
        f"""
        select tickets.ticket_id, tickets.customer_id, customers.display_name, tickets.priority, tickets.status,
               tickets.is_complaint, tickets.is_sla_breached, tickets.backlog_age_days, tickets.created_at
        from marts.service_tickets as tickets
        left join marts.customer_360 as customers using (customer_id)
        where tickets.is_open {segment_filter(tiers, "tickets.customer_id")}
        order by case tickets.priority when 'urgent' then 1 when 'high' then 2 when 'normal' then 3 else 4 end,
                 tickets.backlog_age_days desc, tickets.ticket_id
        {row_limit(limit)}
        """,
        with_tiers({}, tiers),
    )
