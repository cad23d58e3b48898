"""The dashboard's only door to the warehouse: opens the published copy read-only and holds
the cached queries. Every cache is keyed by the publish version (the file `current.duckdb`
points to), so a new publish is seen on the next rerun.

Every value a user typed or picked reaches DuckDB as a bound parameter, never as SQL text;
the only text assembled here is chosen among fixed fragments (the segment filter). Caches hold
small aggregates and capped lists, never million-row frames: `st.cache_data` copies what it
returns on every hit.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import streamlit as st

from c360.config import Config, load_config
from c360.lookup import find_customers, profile
from c360.privacy import pseudonym_key, real_contacts
from c360.run_history import read_run_history
from c360.warehouse import NotPublishedError, WarehousePaths, current_file, open_published

ROW_CAP = 5_000  # longest list a page shows (and downloads); the full list is one `c360 sql` away


def config() -> Config:
    return _config(os.environ.get("C360_CONFIG"))


@cache
def _config(path: str | None) -> Config:
    return load_config(path)


def company_zone() -> ZoneInfo:
    """The company's time zone (company.time_zone): every time shown is in it, as the people
    reading the dashboard live it; the warehouse keeps UTC."""
    return ZoneInfo(config().time_zone)


def in_company_time(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its timestamp columns (UTC instants, the warehouse's `_at` convention) as
    the company's wall-clock time."""
    converted = None
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values) and values.dt.tz is None:
            converted = frame.copy() if converted is None else converted
            converted[column] = values.dt.tz_localize("UTC").dt.tz_convert(company_zone()).dt.tz_localize(None)
    return frame if converted is None else converted


def _paths() -> WarehousePaths:
    return WarehousePaths(config().warehouse_dir)


def publish_version() -> str | None:
    """The published file readers should use now, or None before the first publish."""
    try:
        return str(current_file(_paths()))
    except NotPublishedError:
        return None


@st.cache_resource(max_entries=2)
def _connection(version: str):
    return open_published(_paths(), version)


def query(version: str, sql: str, params: dict | None = None) -> pd.DataFrame:
    # DuckDB refuses parameters a statement does not use, and callers share one set of them
    used = set(re.findall(r"\$(\w+)", sql))
    bound = {name: value for name, value in (params or {}).items() if name in used}
    cursor = _connection(version).cursor()  # a cursor per query: Streamlit reruns run in threads
    try:
        return _numbers_as_numbers(cursor.sql(sql, params=bound or None).to_arrow_table()).to_pandas()
    finally:
        cursor.close()


def _numbers_as_numbers(table: pa.Table) -> pa.Table:
    """DuckDB's sum() of integers is a 128-bit integer and arrives as a decimal, which pandas
    holds as Python objects and Plotly then draws as categories (a bar chart turned on its side):
    decimals become int64 when whole and in range, float64 otherwise."""
    for i, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(i, field.name, _decimal_as_number(table.column(i), field.type.scale))
    return table


def _decimal_as_number(column: pa.ChunkedArray, scale: int) -> pa.ChunkedArray:
    if scale == 0:
        try:
            return column.cast(pa.int64())  # checked: raises when a value does not fit
        except pa.ArrowInvalid:
            pass
    return column.cast(pa.float64(), safe=False)


# ---------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Period:
    """A range of company-local days and the UTC instants that bound it."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bounds_utc(self) -> tuple[datetime, datetime]:
        zone = company_zone()

        def utc(day: date) -> datetime:
            return datetime.combine(day, time(), zone).astimezone(UTC).replace(tzinfo=None)

        return utc(self.start), utc(self.end + timedelta(days=1))

    def params(self, prefix: str = "") -> dict:
        start_at, end_at = self.bounds_utc()
        return {
            f"{prefix}start_date": self.start,
            f"{prefix}end_date": self.end,
            f"{prefix}start_at": start_at,
            f"{prefix}end_at": end_at,
        }


def segment_filter(tiers: tuple[str, ...], column: str = "customer_id") -> str:
    """A fixed SQL fragment limiting rows to customers of the chosen value tiers ($tiers)."""
    if not tiers:
        return ""
    return f" and {column} in (select customer_id from marts.customer_360 where list_contains($tiers, value_tier))"


def tier_filter(tiers: tuple[str, ...], column: str = "segment") -> str:
    """The same for tables that carry the tier themselves."""
    return f" and list_contains($tiers, {column})" if tiers else ""


def _with_tiers(params: dict, tiers: tuple[str, ...]) -> dict:
    return {**params, "tiers": list(tiers)} if tiers else params


# ---------------------------------------------------------------------------- publish


@st.cache_data(show_spinner=False)
def publish_info(version: str) -> dict:
    """When it was published, the local day it describes, and the days any filter may pick."""
    cursor = _connection(version).cursor()
    try:
        published_at, first_day = cursor.execute(
            """
            select max(published_at), (select min(cast(first_seen_at as date)) from marts.dim_customer)
            from ops.publish_log
            """
        ).fetchall()[0]
    finally:
        cursor.close()
    zone = company_zone()
    as_of = published_at.replace(tzinfo=UTC).astimezone(zone).date() if published_at else date.today()
    first_day = first_day or as_of - timedelta(days=365)
    return {"published_at": published_at, "as_of": as_of, "first_day": min(first_day, as_of)}


@st.cache_data(show_spinner=False)
def value_tiers(version: str) -> list[str]:
    """The value tiers, most valuable first: ordered by their customers' revenue, not by name, so
    that a company's own tier names (segments.value_tier_names) come in their order too."""
    found = query(
        version,
        """select value_tier from marts.customer_360 where value_tier is not null
           group by value_tier order by avg(coalesce(revenue_12m, 0)) desc, value_tier""",
    )
    return found["value_tier"].tolist()


# a customer's path through the stages, in the order a reader follows it
LIFECYCLE_STAGES = ["prospect", "new", "active", "won_back", "at_risk", "lapsed"]
# the age buckets of promises_by_age, in age order (as text they sort "0, > 10, 1-2, 3-5, 6-10")
OVERDUE_BUCKETS = ["0 (due)", "1-2", "3-5", "6-10", "> 10"]


# ---------------------------------------------------------------------------- overview


# One statement per figure (each returns `now` and `before`): DuckDB answers each from the few
# row groups its period touches, where one statement with many FILTER clauses reads them all.
OVERVIEW_SQL = {
    # distinct 64-bit hashes of the ids: a quarter faster than distinct strings, and the chance
    # that two of a million customers collide is below one in ten million
    # customers: who had ordered by the end of the period (a prospect who never bought is none)
    "customers": """
        select (select count(distinct hash(customer_id)) from marts.order_fulfilment
                where ordered_at < $end_at {segment}) as now,
               (select count(distinct hash(customer_id)) from marts.order_fulfilment
                where ordered_at < $prev_end_at {segment}) as before
    """,
    "active": """
        select (select count(distinct hash(customer_id)) from marts.order_fulfilment
                where ordered_at >= $start_at and ordered_at < $end_at {segment}) as now,
               (select count(distinct hash(customer_id)) from marts.order_fulfilment
                where ordered_at >= $prev_start_at and ordered_at < $prev_end_at {segment}) as before
    """,
    "revenue_12m": """
        select sum(revenue) filter (where ordered_date > $end_date - interval 365 day) as now,
               sum(revenue) filter (where ordered_date <= $end_date - interval 365 day) as before
        from marts.orders_daily
        where ordered_date > $end_date - interval 730 day and ordered_date <= $end_date {tier}
    """,
    "otif": """
        select 100.0 * avg(cast(is_otif as integer)) filter (where promised_delivery_date >= $start_date) as now,
               100.0 * avg(cast(is_otif as integer)) filter (where promised_delivery_date < $start_date) as before
        from marts.order_fulfilment
        where promised_delivery_date between $prev_start_date and $end_date {segment}
    """,
    "csat": """
        select 100.0 * sum(satisfied) filter (where response_date >= $start_date)
                   / nullif(sum(rated) filter (where response_date >= $start_date), 0) as now,
               100.0 * sum(satisfied) filter (where response_date < $start_date)
                   / nullif(sum(rated) filter (where response_date < $start_date), 0) as before
        from marts.satisfaction_daily
        where response_date between $prev_start_date and $end_date {tier}
    """,
    "nps": """
        select 100.0 * sum(promoters - detractors) filter (where response_date >= $start_date)
                   / nullif(sum(nps_responses) filter (where response_date >= $start_date), 0) as now,
               100.0 * sum(promoters - detractors) filter (where response_date < $start_date)
                   / nullif(sum(nps_responses) filter (where response_date < $start_date), 0) as before
        from marts.satisfaction_daily
        where response_date between $prev_start_date and $end_date and channel = 'nps' {tier}
    """,
    "sla": """
        select 100.0 * avg(case when is_sla_breached then 0 else 1 end) filter (where created_at >= $start_at) as now,
               100.0 * avg(case when is_sla_breached then 0 else 1 end) filter (where created_at < $start_at) as before
        from marts.service_tickets
        where created_at >= $prev_start_at and created_at < $end_at and is_sla_breached is not null {segment}
    """,
    "abandonment": """
        select 100.0 * sum(abandoned) filter (where call_date >= $start_date)
                   / nullif(sum(offered) filter (where call_date >= $start_date), 0) as now,
               100.0 * sum(abandoned) filter (where call_date < $start_date)
                   / nullif(sum(offered) filter (where call_date < $start_date), 0) as before
        from marts.callcenter_daily
        where call_date between $prev_start_date and $end_date
    """,
    "open_promises": """
        -- open at the end of each period: due by then and not resolved by then
        select count(*) filter (where due_at < $end_at and (resolved_at is null or resolved_at >= $end_at)) as now,
               count(*) filter (where due_at < $prev_end_at and (resolved_at is null or resolved_at >= $prev_end_at))
                   as before
        from marts.open_promises
        where true {segment}
    """,
    "high_churn": """
        -- scored nightly for the publish's day only: there is no earlier figure to compare
        select count(*) filter (where is_high_churn_risk) as now, null as before
        from marts.customer_360
        where true {tier}
    """,
}
OVERVIEW_KPIS = list(OVERVIEW_SQL)


@st.cache_data(show_spinner=False)
def overview(version: str, start: date, end: date, tiers: tuple[str, ...]) -> dict[str, tuple]:
    """Each headline figure for the period and for the period before it: {kpi: (now, before)}."""
    period = Period(start, end)
    params = _with_tiers({**period.params(), **period.previous().params("prev_")}, tiers)

    def number(value):
        return None if pd.isna(value) else float(value)

    figures = {}
    for kpi, sql in OVERVIEW_SQL.items():
        tier = tier_filter(tiers, "value_tier" if kpi == "high_churn" else "segment")
        row = query(version, sql.format(segment=segment_filter(tiers), tier=tier), params).iloc[0]
        figures[kpi] = (number(row["now"]), number(row["before"]))
    return figures


@st.cache_data(show_spinner=False)
def touchpoints_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select cast(date_trunc('month', occurred_date) as date) as month, department, sum(touchpoints) as touchpoints
        from marts.touchpoints_daily
        where occurred_date between $start_date and $end_date {tier_filter(tiers)}
        group by all
        order by month, department
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


# ---------------------------------------------------------------------------- customer 360


@st.cache_resource
def _pseudonym_key() -> bytes | None:
    """The key e-mails and phones typed into the search are pseudonymised with (c360.privacy)."""
    return pseudonym_key(config().warehouse_dir, create=False)


@st.cache_data(show_spinner=False, max_entries=200)
def search_customers(version: str, text: str) -> pd.DataFrame:
    cursor = _connection(version).cursor()
    try:
        matches = find_customers(cursor, text, config().phone_region, _pseudonym_key())
    finally:
        cursor.close()
    return pd.DataFrame(
        [m.__dict__ for m in matches], columns=["customer_id", "display_name", "customer_type", "matched_on"]
    )


def customer_contacts(version: str, customer_id: str) -> dict | None:
    """The real name, e-mail and phone from the contacts file of this publish, when this
    process's account may read it (not cached: it is personal data)."""
    return real_contacts(Path(version), customer_id)


@st.cache_data(show_spinner=False, max_entries=200)
def customer_profile(version: str, customer_id: str) -> dict:
    cursor = _connection(version).cursor()
    try:
        return profile(cursor, customer_id)
    finally:
        cursor.close()


@st.cache_data(show_spinner=False, max_entries=200)
def customer_promises(version: str, customer_id: str) -> pd.DataFrame:
    return query(
        version,
        """
        select kind, department, status, order_number, promised_at, due_at, overdue_business_days,
               source_system, source_table, source_record_id
        from marts.open_promises
        where customer_id = $customer_id and status in ('open', 'at_risk')
        order by overdue_business_days desc nulls last, due_at
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_satisfaction(version: str, customer_id: str) -> pd.DataFrame:
    return query(
        version,
        """
        select cast(date_trunc('month', response_date) as date) as month, channel,
               count(*) as responses,
               100.0 * count(*) filter (where is_satisfied) / nullif(count(is_satisfied), 0) as csat_pct,
               avg(nps_score) as nps_score_avg,
               count(*) filter (where is_bad) as bad_answers
        from marts.satisfaction_responses
        where customer_id = $customer_id
        group by all
        order by month, channel
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_timeline(
    version: str, customer_id: str, start: date, end: date, departments: tuple[str, ...], channels: tuple[str, ...]
) -> pd.DataFrame:
    return query(
        version,
        f"""
        select occurred_at, department, channel, touchpoint_type, summary, outcome,
               source_system, source_table, source_record_id
        from marts.fct_touchpoints
        where customer_id = $customer_id and occurred_date between $start_date and $end_date
            {"and list_contains($departments, department)" if departments else ""}
            {"and list_contains($channels, channel)" if channels else ""}
        order by occurred_at desc, touchpoint_id
        limit {ROW_CAP}
        """,
        {
            "customer_id": customer_id,
            "start_date": start,
            "end_date": end,
            **({"departments": list(departments)} if departments else {}),
            **({"channels": list(channels)} if channels else {}),
        },
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_departments_and_channels(version: str, customer_id: str) -> tuple[list[str], list[str]]:
    frame = query(
        version,
        "select distinct department, channel from marts.fct_touchpoints where customer_id = $customer_id",
        {"customer_id": customer_id},
    )
    return sorted(frame["department"].dropna().unique()), sorted(frame["channel"].dropna().unique())


# ---------------------------------------------------------------------------- satisfaction


@st.cache_data(show_spinner=False)
def satisfaction_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select cast(date_trunc('month', response_date) as date) as month, channel,
               sum(responses) as responses,
               100.0 * sum(satisfied) / nullif(sum(rated), 0) as csat_pct,
               100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(nps_responses), 0) as nps,
               sum(ces_avg * responses) filter (where ces_avg is not null)
                   / nullif(sum(responses) filter (where ces_avg is not null), 0) as ces_avg
        from marts.satisfaction_daily
        where response_date between $start_date and $end_date {tier_filter(tiers)}
        group by all
        order by month, channel
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def satisfaction_by(version: str, dimension: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """CSAT, NPS and CES by segment or by product family over the period."""
    column = {"segment": "segment", "product_family": "product_family"}[dimension]  # a fixed choice, not user text
    return query(
        version,
        f"""
        select {column},
               count(*) as responses,
               100.0 * count(*) filter (where is_satisfied) / nullif(count(is_satisfied), 0) as csat_pct,
               100.0 * (count(*) filter (where nps_score >= 9) - count(*) filter (where nps_score <= 6))
                   / nullif(count(nps_score), 0) as nps,
               avg(ces_score) as ces_avg
        from marts.satisfaction_responses
        where response_date between $start_date and $end_date {tier_filter(tiers)}
        group by all
        order by responses desc
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def bad_rating_precursors(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """For each thing that can go wrong: the share of bad and of other answers it preceded."""
    return query(
        version,
        f"""
        with answers as (
            select * from marts.satisfaction_responses
            where response_date between $start_date and $end_date {tier_filter(tiers)}
        )
        unpivot (
            select
                is_bad,
                count(*) as answers,
                100.0 * avg(cast(had_late_delivery_30d as integer)) as late_delivery,
                100.0 * avg(cast(had_overdue_installation_30d as integer)) as overdue_installation,
                100.0 * avg(cast(had_long_wait_30d as integer)) as long_wait,
                100.0 * avg(cast(had_reopened_ticket_30d as integer)) as reopened_ticket
            from answers
            group by is_bad
        ) on late_delivery, overdue_installation, long_wait, reopened_ticket
        into name precursor value pct_of_answers
        order by precursor, is_bad desc
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


# ---------------------------------------------------------------------------- service and call center


@st.cache_data(show_spinner=False)
def service_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select cast(date_trunc('month', cast(created_at as date)) as date) as month,
               count(*) as tickets,
               100.0 * avg(case when is_sla_breached then 0 else 1 end) as sla_compliance_pct,
               median(first_reply_business_minutes) as first_reply_business_minutes_median,
               median(full_resolution_business_minutes) as full_resolution_business_minutes_median,
               sum(reopens) as reopens,
               100.0 * avg(cast(is_one_touch as integer)) as one_touch_pct
        from marts.service_tickets
        where created_at >= $start_at and created_at < $end_at {segment_filter(tiers)}
        group by all
        order by month
        """,
        _with_tiers(Period(start, end).params(), tiers),
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
        _with_tiers({}, tiers),
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
def calls_by_agent(version: str, start: date, end: date) -> pd.DataFrame:
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
        limit {ROW_CAP}
        """,
        Period(start, end).params(),
    )


# ---------------------------------------------------------------------------- delivery and installation


@st.cache_data(show_spinner=False)
def delivery_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select cast(date_trunc('month', promised_delivery_date) as date) as month,
               count(*) as orders,
               100.0 * avg(cast(is_otif as integer)) as otif_pct,
               100.0 * avg(cast(is_on_time as integer)) as on_time_pct,
               100.0 * avg(cast(is_in_full as integer)) as in_full_pct,
               100.0 * avg(cast(is_perfect_order as integer)) as perfect_order_pct,
               count(*) filter (where has_packing_mismatch) as wrong_items,
               100.0 * avg(case when is_installation_overdue then 0 else 1 end)
                   filter (where installation_promised_by is not null) as installation_kept_pct
        from marts.order_fulfilment
        where promised_delivery_date between $start_date and $end_date {segment_filter(tiers)}
        group by all
        order by month
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def order_journey(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """The funnel of orders placed in the period: how many reached each stage, and how many
    had the promise of that stage broken (and in which department it broke)."""
    return query(
        version,
        f"""
        with orders as (
            select * from marts.order_fulfilment
            where ordered_at >= $start_at and ordered_at < $end_at {segment_filter(tiers)}
        )
        select * from (
            values (1, 'ordered', 'sales'), (2, 'shipped', 'logistics'), (3, 'delivered', 'logistics'),
                   (4, 'installed', 'logistics'), (5, 'accepted', 'logistics')
        ) as stages(step, stage, department)
        cross join lateral (
            select
                case stages.stage
                    when 'ordered' then count(*)
                    when 'shipped' then count(shipped_at)
                    when 'delivered' then count(delivered_at)
                    when 'installed' then count(installed_at)
                    else count(accepted_at)
                end as orders,
                case stages.stage
                    when 'shipped' then count(*) filter (where broken_stage = 'packing')
                    when 'delivered' then count(*) filter (where broken_stage = 'delivery')
                    when 'installed' then count(*) filter (where broken_stage = 'installation')
                    else 0
                end as promises_broken
            from orders
        )
        order by step
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


# ---------------------------------------------------------------------------- segments and churn


@st.cache_data(show_spinner=False)
def tier_by_stage(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select value_tier, lifecycle_stage, count(*) as customers, sum(revenue_12m) as revenue_12m
        from marts.customer_360
        where customer_type <> 'unidentified' {tier_filter(tiers, "value_tier")}
        group by all
        order by value_tier, lifecycle_stage
        """,
        _with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def tier_movements(version: str, start: date, end: date, tiers: tuple[str, ...] = ()) -> pd.DataFrame:
    """Customers who changed value tier in the months of the period; with tiers chosen, the
    moves into or out of them."""
    chosen = " and (list_contains($tiers, from_segment) or list_contains($tiers, to_segment))" if tiers else ""
    return query(
        version,
        f"""
        select from_segment, to_segment, sum(customers) as customers
        from marts.segment_movements
        where dimension = 'value_tier' and month_start between date_trunc('month', $start_date) and $end_date
            and from_segment <> to_segment {chosen}
        group by all
        order by customers desc
        """,
        _with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def churn_list(version: str, tiers: tuple[str, ...], limit: int = 500) -> pd.DataFrame:
    return query(
        version,
        f"""
        select customer_id, display_name, value_tier, lifecycle_stage, round(churn_risk, 3) as churn_risk,
               round(churn_risk * coalesce(revenue_12m, 0)) as revenue_at_risk,
               churn_reasons, next_best_action, next_best_action_reason, revenue_12m, last_touch_at
        from marts.customer_360
        where churn_risk is not null {tier_filter(tiers, "value_tier")}
        -- what the company stands to lose first: a valuable customer at 0.8 before a small one at 0.9
        order by churn_risk * coalesce(revenue_12m, 0) desc, churn_risk desc, customer_id
        limit {int(limit)}
        """,
        _with_tiers({}, tiers),
    )


# ---------------------------------------------------------------------------- open promises


@st.cache_data(show_spinner=False)
def promises_by_age(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select department, kind,
               case when overdue_business_days is null or overdue_business_days <= 0 then '0 (due)'
                    when overdue_business_days <= 2 then '1-2'
                    when overdue_business_days <= 5 then '3-5'
                    when overdue_business_days <= 10 then '6-10'
                    else '> 10' end as overdue_business_days,
               count(*) as promises
        from marts.open_promises
        where status in ('open', 'at_risk') {segment_filter(tiers)}
        group by all
        order by department, kind
        """,
        _with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def promise_queue(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    """The first promises of the work queue, in its order (open_promises.queue_position)."""
    return query(
        version,
        f"""
        select queue_position, promise_id, status, kind, department, overdue_business_days, due_at,
               customer_id, customer_name, order_number, source_system, source_table, source_record_id
        from marts.open_promises
        where queue_position is not null {segment_filter(tiers)}
        order by queue_position
        limit {ROW_CAP}
        """,
        _with_tiers({}, tiers),
    )


# ---------------------------------------------------------------------------- data health


def run_history(limit: int = 20) -> pd.DataFrame:
    """The last runs, failed ones included (a failed run publishes nothing, so this is read
    from the run log beside the warehouse, not from the published file)."""
    frame = pd.DataFrame(
        read_run_history(config().warehouse_dir, limit),
        columns=["started_at", "run_id", "success", "seconds", "published", "failure"],
    )
    frame["started_at"] = pd.to_datetime(frame["started_at"])  # ISO text in the log: a time to show
    return frame


@st.cache_data(show_spinner=False)
def publishes(version: str) -> pd.DataFrame:
    frame = query(
        version, "select run_id, published_at, source_watermarks from ops.publish_log order by published_at desc"
    )
    frame["source_watermarks"] = frame["source_watermarks"].map(
        lambda v: ", ".join(f"{k}: {w}" for k, w in json.loads(v).items()) if isinstance(v, str) else v
    )
    return frame


@st.cache_data(show_spinner=False)
def source_freshness(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select source,
               max(reconciled_at) as last_loaded_at,
               date_diff('hour', max(reconciled_at), (select max(published_at) from ops.publish_log))
                   as hours_before_publish,
               sum(rows_read) as rows_read,
               sum(rows_loaded) as rows_loaded,
               sum(rows_quarantined) as rows_quarantined,
               sum(rows_already_loaded) as rows_already_loaded,
               bool_and(is_balanced) as is_balanced
        from ops.load_reconciliation
        group by source
        order by source
        """,
    )


@st.cache_data(show_spinner=False)
def quality_results(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select source, table_name,
               count(*) as expectations_checked,
               count(*) filter (where not success) as failed,
               sum(unexpected_count) as unexpected_values,
               max(checked_at) as last_checked_at
        from ops.quality_results
        group by all
        order by failed desc, source, table_name
        """,
    )


@st.cache_data(show_spinner=False)
def quarantine(version: str) -> pd.DataFrame:
    return query(
        version,
        f"""
        select quarantined_at, source, table_name, origin, reasons
        from ops.quarantine
        order by quarantined_at desc
        limit {ROW_CAP}
        """,
    )


@st.cache_data(show_spinner=False)
def identity_health(version: str) -> dict:
    row = query(
        version,
        """
        select
            (select count(*) from marts.customer_identity_map) as source_records,
            (select count(*) from marts.dim_customer where customer_type <> 'unidentified') as customers,
            (select count(*) from marts.dim_customer where customer_type = 'unidentified') as unidentified,
            (select count(*) from marts.customer_identity_map where match_method = 'probabilistic')
                as probabilistic_matches,
            (select count(*) from identity.shared_identifiers) as shared_identifiers,
            (select 100.0 * avg(cast(is_contactable as integer)) from marts.dim_customer
                where customer_type <> 'unidentified') as contactable_pct
        """,
    ).iloc[0]
    return {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}


@st.cache_data(show_spinner=False)
def identity_runs(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select level, records, nodes as resolved, records - nodes as merged, pairs_compared,
               probabilistic_links, threshold, trained, finished_at
        from identity.match_runs
        where run_id = (select arg_max(run_id, finished_at) from identity.match_runs)
        order by level
        """,
    )


@st.cache_data(show_spinner=False)
def shared_identifiers(version: str) -> pd.DataFrame:
    return query(
        version,
        "select identifier_type, count(*) as values_excluded from identity.shared_identifiers group by all order by 1",
    )


@st.cache_data(show_spinner=False)
def contactability(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select customer_type,
               count(*) as customers,
               100.0 * avg(cast(is_contactable as integer)) as contactable_pct,
               100.0 * avg(cast(primary_email is not null as integer)) as with_email_pct,
               100.0 * avg(cast(primary_phone is not null as integer)) as with_phone_pct
        from marts.dim_customer
        group by all
        order by customers desc
        """,
    )
