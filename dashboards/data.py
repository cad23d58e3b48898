"""The dashboard's only door to the warehouse: opens the published copy read-only and holds
the cached queries. Every cache is keyed by the publish version (the file `current.duckdb`
points to), so a new publish is seen on the next rerun."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from c360.config import load_config
from c360.warehouse import NotPublishedError, WarehousePaths, current_file, open_published


def _paths() -> WarehousePaths:
    return WarehousePaths(load_config(os.environ.get("C360_CONFIG")).warehouse_dir)


def publish_version() -> str | None:
    """The published file readers should use now, or None before the first publish."""
    try:
        return str(current_file(_paths()))
    except NotPublishedError:
        return None


@st.cache_resource(max_entries=2)
def _connection(version: str):
    return open_published(_paths())


def _query(version: str, sql: str, params: list | None = None) -> pd.DataFrame:
    cursor = _connection(version).cursor()  # a cursor per query: Streamlit reruns run in threads
    try:
        return cursor.sql(sql, params=params or None).to_arrow_table().to_pandas()
    finally:
        cursor.close()


@dataclass(frozen=True)
class OverviewKpis:
    customers: int
    active_customers: int
    revenue_12m: float
    csat_pct_90d: float | None
    nps_12m: float | None
    abandonment_rate_90d: float | None
    open_tickets: int
    late_deliveries_12m: int
    contactable_pct: float | None
    unidentified_customers: int


@st.cache_data(show_spinner=False)
def published_at(version: str) -> datetime | None:
    frame = _query(version, "select max(published_at) as published_at from ops.publish_log")
    value = frame["published_at"].iloc[0]
    return None if pd.isna(value) else value.to_pydatetime()


@st.cache_data(show_spinner=False)
def overview_kpis(version: str) -> OverviewKpis:
    row = _query(
        version,
        """
        -- windows count back from the publish, as customer_360's do from the run
        with as_of as (select max(published_at) as at from ops.publish_log),
        customers as (
            select
                count(*) filter (where customer_type <> 'unidentified') as customers,
                count(*) filter (where lifecycle_stage in ('new', 'active')) as active_customers,
                coalesce(sum(revenue_12m), 0) as revenue_12m,
                coalesce(sum(open_tickets), 0) as open_tickets,
                coalesce(sum(late_deliveries_12m), 0) as late_deliveries_12m,
                100.0 * avg(case when is_contactable then 1 else 0 end)
                    filter (where customer_type <> 'unidentified') as contactable_pct,
                count(*) filter (where customer_type = 'unidentified') as unidentified_customers
            from marts.customer_360
        ),
        touches as (
            select
                100.0 * count(*) filter (where touchpoint_type = 'satisfaction_rating' and outcome = 'good')
                    / nullif(count(*) filter (where touchpoint_type = 'satisfaction_rating'), 0) as csat_pct_90d,
                100.0 * count(*) filter (where touchpoint_type = 'call_abandoned')
                    / nullif(count(*) filter (where touchpoint_type in ('call_answered', 'call_abandoned')), 0)
                    as abandonment_rate_90d
            from marts.fct_touchpoints, as_of
            where occurred_at >= as_of.at - interval 90 day
        ),
        nps as (
            select 100.0 * (count(*) filter (where cast(outcome as integer) >= 9)
                            - count(*) filter (where cast(outcome as integer) <= 6)) / nullif(count(*), 0) as nps_12m
            from marts.fct_touchpoints, as_of
            where touchpoint_type = 'nps_response' and occurred_at >= as_of.at - interval 365 day
        )
        select * from customers, touches, nps
    """,
    ).iloc[0]

    def num(v):
        return None if pd.isna(v) else float(v)

    return OverviewKpis(
        customers=int(row.customers),
        active_customers=int(row.active_customers),
        revenue_12m=float(row.revenue_12m),
        csat_pct_90d=num(row.csat_pct_90d),
        nps_12m=num(row.nps_12m),
        abandonment_rate_90d=num(row.abandonment_rate_90d),
        open_tickets=int(row.open_tickets),
        late_deliveries_12m=int(row.late_deliveries_12m),
        contactable_pct=num(row.contactable_pct),
        unidentified_customers=int(row.unidentified_customers),
    )


@st.cache_data(show_spinner=False)
def touchpoints_by_month(version: str) -> pd.DataFrame:
    return _query(
        version,
        """
        select date_trunc('month', occurred_date) as month, department, count(*) as touchpoints
        from marts.fct_touchpoints
        group by all
        order by month, department
    """,
    )


@st.cache_data(show_spinner=False)
def customers_by_tier_and_stage(version: str) -> pd.DataFrame:
    return _query(
        version,
        """
        select value_tier, lifecycle_stage, count(*) as customers, sum(revenue_12m) as revenue_12m
        from marts.customer_360
        where customer_type <> 'unidentified'
        group by all
        order by value_tier, lifecycle_stage
    """,
    )
