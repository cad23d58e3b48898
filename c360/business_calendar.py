"""The company's working calendar: which days are working days (weekends, public holidays of the
country and of its state or province when the config names one, and, where a country declares
them, weekends made working days; all from the `holidays` library) and when each
working day starts and ends in UTC.

Each day's working hours are turned into UTC instants here, in Python, with the company's
IANA zone: a day on which the clocks change gets its true length, so business minutes are
right across DST. Every SLA clock and "N working days" promise in dbt uses this one table."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pyarrow as pa

TABLE = "calendar.working_days"


def working_days(
    country: str, time_zone: str, start: time, end: time, first: date, last: date, subdivision: str | None = None
) -> pa.Table:
    """One row per calendar day from `first` to `last`; `subdivision` (a state or province)
    adds its own holidays to the country's."""
    zone = ZoneInfo(time_zone)
    days = holidays.country_holidays(country, subdiv=subdivision, years=range(first.year, last.year + 1))
    rows: dict[str, list] = {
        "calendar_date": [],
        "is_working_day": [],
        "holiday_name": [],
        "work_start_at": [],
        "work_end_at": [],
        "working_day_number": [],
        "working_seconds_before": [],
    }
    # Running totals, so that SQL counts working days and seconds with an equality join on the
    # day instead of a range scan of the calendar (which Spark cannot decorrelate).
    working_day_number, working_seconds_before = 0, 0
    d = first
    while d <= last:
        working = days.is_working_day(d)
        rows["calendar_date"].append(d)
        rows["is_working_day"].append(working)
        rows["holiday_name"].append(days.get(d))
        hours = {}
        for key, moment in (("work_start_at", start), ("work_end_at", end)):
            local = datetime.combine(d, moment, tzinfo=zone)
            hours[key] = local.astimezone(UTC).replace(tzinfo=None) if working else None
            rows[key].append(hours[key])
        working_day_number += working
        rows["working_day_number"].append(working_day_number)
        rows["working_seconds_before"].append(working_seconds_before)
        if working:
            working_seconds_before += int((hours["work_end_at"] - hours["work_start_at"]).total_seconds())
        d += timedelta(days=1)
    return pa.table(rows)


def parse_hours(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
