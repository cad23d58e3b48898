"""The queries of the Open promises page (dashboards/views/open_promises.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.data import ROW_CAP, query, row_limit, segment_filter, with_tiers
from dashboards.queries.overview import OPEN_NOW_SQL

# a promise's age in working days overdue, in the buckets data.OVERDUE_BUCKETS names
AGE_BUCKET = """
    case when overdue_business_days is null or overdue_business_days <= 0 then '0 (due)'
         when overdue_business_days <= 2 then '1-2'
         when overdue_business_days <= 5 then '3-5'
         when overdue_business_days <= 10 then '6-10'
         else '> 10' end
"""


@st.cache_data(show_spinner=False)
def promises_by_age(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select department, kind, {AGE_BUCKET} as overdue_business_days, count(*) as promises
        from marts.open_promises
        where status in ('open', 'at_risk') {segment_filter(tiers)}
        group by all
        order by department, kind
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def promises_of_bar(
    version: str, tiers: tuple[str, ...], department: str, kind: str, bucket: str, limit: int | None = ROW_CAP
) -> pd.DataFrame:
    """The promises one bar of promises_by_age counts (a department, a kind, an age bucket), the
    longest overdue first."""
    return query(
        version,
        f"""
        select promise_id, status, kind, department, overdue_business_days, due_at, customer_id, customer_name,
               order_number, source_system, source_table, source_record_id
        from marts.open_promises
        where status in ('open', 'at_risk') and department = $department and kind = $kind
            and {AGE_BUCKET} = $bucket {segment_filter(tiers)}
        order by overdue_business_days desc nulls last, due_at, promise_id
        {row_limit(limit)}
        """,
        with_tiers({"department": department, "kind": kind, "bucket": bucket}, tiers),
    )


@st.cache_data(show_spinner=False)
def promise_queue(version: str, tiers: tuple[str, ...], limit: int | None = ROW_CAP) -> pd.DataFrame:
    """The first promises of the work queue, in its order (open_promises.queue_position)."""
    return query(
        version,
        f"""
        select queue_position, promise_id, status, kind, department, overdue_business_days, due_at,
               customer_id, customer_name, order_number, source_system, source_table, source_record_id
        from marts.open_promises
        where queue_position is not null {segment_filter(tiers)}
        order by queue_position
        {row_limit(limit)}
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def open_and_at_risk(version: str, tiers: tuple[str, ...]) -> tuple[int, int]:
    """Promises broken and not yet kept, and those due within two working days (the overview's
    "Open promises" is the first)."""
    row = query(version, OPEN_NOW_SQL.format(segment=segment_filter(tiers)), with_tiers({}, tiers)).iloc[0]
    return int(row["open"]), int(row["at_risk"])
