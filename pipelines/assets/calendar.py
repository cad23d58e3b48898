"""The company's working calendar as a table, before any model that counts business time."""

from datetime import date

import dagster as dg

from c360.business_calendar import parse_hours, working_days
from c360.clock import run_now
from pipelines.resources import C360Config

# far enough back for the oldest CRM record, far enough ahead for any promise
FIRST_DAY = date(2000, 1, 1)
YEARS_AHEAD = 3


@dg.asset(key=["calendar", "working_days"], group_name="calendar", kinds={"python", "duckdb"})
def business_calendar(context: dg.AssetExecutionContext, c360: C360Config) -> dg.MaterializeResult:
    """Working days and hours (UTC) of the company: holidays and adjusted working weekends from
    the `holidays` library for `company.calendar_country` (and `calendar_subdivision`), hours from
    `company.working_hours`."""
    config = c360.load()
    start, end = config.working_hours
    last = date(run_now().year + YEARS_AHEAD, 12, 31)
    table = working_days(
        config.company["calendar_country"],
        config.time_zone,
        parse_hours(start),
        parse_hours(end),
        FIRST_DAY,
        last,
        config.company.get("calendar_subdivision"),
    )
    con = c360.connect_work()
    try:
        con.execute("create schema if not exists calendar")
        con.register("calendar_frame", table)
        con.execute("create or replace table calendar.working_days as select * from calendar_frame")
        con.unregister("calendar_frame")
        working = con.execute("select count(*) filter (where is_working_day) from calendar.working_days").fetchall()
    finally:
        con.close()
    context.log.info(f"calendar: {table.num_rows:,} days to {last}, {working[0][0]:,} working")
    return dg.MaterializeResult(metadata={"days": table.num_rows, "working_days": working[0][0]})
