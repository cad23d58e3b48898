"""The dashboard's only door to the warehouse: opens the published copy read-only, runs a
query, and holds what every page shares (the period, the filters, the publish). Each page's own
queries are in dashboards/queries/<page>.py. Every cache is keyed by the publish version (the file `current.duckdb`
points to), so a new publish is seen on the next rerun.

Every value a user typed or picked reaches DuckDB as a bound parameter, never as SQL text;
the only text assembled here is chosen among fixed fragments (the segment filter). Caches hold
small aggregates and capped lists, never million-row frames: `st.cache_data` copies what it
returns on every hit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import streamlit as st

from c360.config import Config, load_config
from c360.warehouse import NotPublishedError, WarehousePaths, current_file, open_published

ROW_CAP = 5_000  # longest list a page shows; its download has every row (ui.table)


def row_limit(limit: int | None) -> str:
    """A list query's LIMIT clause: the page's cap, or none for a download of every row."""
    return f"limit {int(limit)}" if limit else ""


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
def connection(version: str):
    return open_published(_paths(), version)


def query(version: str, sql: str, params: dict | None = None) -> pd.DataFrame:
    # DuckDB refuses parameters a statement does not use, and callers share one set of them
    used = set(re.findall(r"\$(\w+)", sql))
    bound = {name: value for name, value in (params or {}).items() if name in used}
    cursor = connection(version).cursor()  # a cursor per query: Streamlit reruns run in threads
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


def kpi_rate(kpi: str) -> str:
    """A rate over the rows of marts.customer_kpis_daily a query groups: its numerators added up
    and divided by its denominators (the mart defines them; a page never restates one)."""
    return (
        f"100.0 * sum(numerator) filter (where kpi = '{kpi}') "
        f"/ nullif(sum(denominator) filter (where kpi = '{kpi}'), 0)"
    )


def segment_filter(tiers: tuple[str, ...], column: str = "customer_id") -> str:
    """A fixed SQL fragment limiting rows to customers of the chosen value tiers ($tiers)."""
    if not tiers:
        return ""
    return f" and {column} in (select customer_id from marts.customer_360 where list_contains($tiers, value_tier))"


def tier_filter(tiers: tuple[str, ...], column: str = "segment") -> str:
    """The same for tables that carry the tier themselves."""
    return f" and list_contains($tiers, {column})" if tiers else ""


def with_tiers(params: dict, tiers: tuple[str, ...]) -> dict:
    return {**params, "tiers": list(tiers)} if tiers else params


# ---------------------------------------------------------------------------- publish


@st.cache_data(show_spinner=False)
def publish_info(version: str) -> dict:
    """When it was published, the local day it describes (that of the night's as-of moment, which
    a rebuild of a past night pins; a publish of before c360 logged it: that of the publish), and
    the days any filter may pick."""
    cursor = connection(version).cursor()
    try:
        logs_as_of = cursor.execute(
            "select count(*) from duckdb_columns() "
            "where schema_name = 'ops' and table_name = 'publish_log' and column_name = 'as_of_at'"
        ).fetchall()[0][0]
        published_at, as_of_at, first_day = cursor.execute(
            f"""
            select max(published_at),
                   arg_max({"coalesce(as_of_at, published_at)" if logs_as_of else "published_at"}, published_at),
                   (select min(cast(first_seen_at as date)) from marts.dim_customer)
            from ops.publish_log
            """
        ).fetchall()[0]
    finally:
        cursor.close()
    zone = company_zone()
    as_of = as_of_at.replace(tzinfo=UTC).astimezone(zone).date() if as_of_at else date.today()
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
