"""The company's working calendar: which days are working days (weekends, public holidays and,
for China, the weekends declared working days, all from the `holidays` library) and when each
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


def working_days(country: str, time_zone: str, start: time, end: time, first: date, last: date) -> pa.Table:
    """One row per calendar day from `first` to `last`."""
    zone = ZoneInfo(time_zone)
    days = holidays.country_holidays(country, years=range(first.year, last.year + 1))
    rows: dict[str, list] = {
        "calendar_date": [],
        "is_working_day": [],
        "holiday_name": [],
        "work_start_at": [],
        "work_end_at": [],
    }
    d = first
    while d <= last:
        working = days.is_working_day(d)
        rows["calendar_date"].append(d)
        rows["is_working_day"].append(working)
        rows["holiday_name"].append(days.get(d))
        for key, moment in (("work_start_at", start), ("work_end_at", end)):
            local = datetime.combine(d, moment, tzinfo=zone)
            rows[key].append(local.astimezone(UTC).replace(tzinfo=None) if working else None)
        d += timedelta(days=1)
    return pa.table(rows)


def parse_hours(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
