"""The demo company is its systems as they stand at one moment: nothing in them is stamped
later, whatever the hour of that moment (the run that loads it must not see the future), on
both profiles. Shanghai has no daylight saving time; Chicago has, so the PBX's wall-clock
times are read with zoneinfo, never with a fixed offset."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from demo.generate import generate
from demo.localtime import LocalClock

# moments in UTC: just after local midnight, early morning, mid-afternoon, a month's last evening
MOMENTS = {
    "cn": ["2026-11-29 16:05:00", "2026-11-30 01:30:00", "2026-11-30 07:43:00", "2026-12-31 15:30:00"],
    # Chicago: 00:05 CST, 07:30 CST, 14:30 CST, a month's last evening (17:30), an hour after the
    # spring-forward gap (03:30 CDT), and the second 01:30 of the autumn overlap (CST)
    "us": [
        "2026-11-30 06:05:00",
        "2026-11-30 13:30:00",
        "2026-11-30 20:30:00",
        "2026-12-31 23:30:00",
        "2026-03-08 08:30:00",
        "2025-11-02 07:30:00",
    ],
}


def company_zone(out: Path) -> tuple[ZoneInfo, str]:
    """The PBX's time zone and the logistics encoding, from the config the demo wrote."""
    config = yaml.safe_load((out / "c360.yml").read_text(encoding="utf-8"))
    sources = config["sources"]
    return ZoneInfo(sources["call_center"]["pbx_time_zone"]), sources["logistics"]["encoding"]


def _utc(text: str, zone: ZoneInfo) -> datetime:
    """An ISO time with an offset or Z, or a naive wall-clock time of the PBX, as naive UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(".000+0000", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)  # fold=0: the first of an autumn overlap's two hours
    return moment.astimezone(UTC).replace(tzinfo=None)


def stamps_after(out: Path, moment: datetime) -> list[str]:
    """Every record stamp of the four systems later than `moment` (naive UTC), named."""
    zone, encoding = company_zone(out)
    late = []
    con = sqlite3.connect(out / "crm" / "crm.sqlite")
    for (table,) in con.execute("select name from sqlite_master where type = 'table'"):
        for column in [row[1] for row in con.execute(f'pragma table_info("{table}")')]:
            if column in ("CreatedDate", "LastModifiedDate", "SystemModstamp", "Responded_At__c", "ConvertedDate"):
                for (value,) in con.execute(f'select "{column}" from "{table}" where "{column}" is not null'):
                    if len(value) > 10 and _utc(value, zone) > moment:
                        late.append(f"crm {table}.{column} {value}")
    con.close()
    for path in sorted((out / "service_desk").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            for key in ("created_at", "updated_at"):
                if record.get(key) and _utc(record[key], zone) > moment:
                    late.append(f"desk {path.stem}.{key} {record[key]}")
    for day in sorted((out / "logistics").iterdir()):
        for path in day.glob("*.csv"):
            with open(path, encoding=encoding, newline="") as f:
                for row in csv.DictReader(f):
                    for key in ("updated_at", "event_time", "completed_at"):
                        if row.get(key):
                            assert datetime.fromisoformat(row[key]).utcoffset() is not None, row[key]
                            if _utc(row[key], zone) > moment:
                                late.append(f"logistics {day.name}/{path.name}.{key} {row[key]}")
    calls = out / "call_center"
    for path in sorted((calls / "queue_log").iterdir()):
        for line in path.open(encoding="utf-8"):
            if datetime.fromtimestamp(int(line.split("|")[0]), UTC).replace(tzinfo=None) > moment:
                late.append(f"queue_log {path.name} {line.strip()}")
    for sub, columns in (("cdr", (9, 10, 11)), ("ivr_survey", ("answered_at",))):
        for path in sorted((calls / sub).iterdir()):
            with open(path, encoding="utf-8", newline="") as f:
                rows = csv.DictReader(f) if sub == "ivr_survey" else csv.reader(f)
                for row in rows:
                    for column in columns:
                        if row[column] and _utc(row[column], zone) > moment:
                            late.append(f"{sub} {path.name} {row[column]}")
    return late


@pytest.mark.parametrize(("profile", "moment"), [(p, m) for p, moments in MOMENTS.items() for m in moments])
def test_the_demo_writes_nothing_after_the_moment_it_is_written_at(tmp_path, profile, moment):
    as_of = datetime.fromisoformat(moment)
    generate(tmp_path, customers=200, seed=7, as_of=as_of, log=lambda *_: None, profile=profile)
    assert stamps_after(tmp_path, as_of) == []
    # ... and it reaches up to that moment: the last day is there, not a day short
    zone, _ = company_zone(tmp_path)
    local = as_of.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    last_day = max(p.name for p in (tmp_path / "logistics").iterdir())
    assert last_day >= (local - timedelta(days=3)).date().isoformat()


def test_the_pbx_and_the_warehouse_write_chicago_time_with_its_daylight_saving_offsets(tmp_path):
    generate(tmp_path, customers=60, seed=5, as_of=datetime(2026, 11, 30, 20), log=lambda *_: None, profile="us")
    offsets = set()
    for path in (tmp_path / "logistics").glob("*/shipments.csv"):
        with open(path, encoding="windows-1252", newline="") as f:
            offsets |= {row["updated_at"][-6:] for row in csv.DictReader(f)}
    assert offsets == {"-06:00", "-05:00"}, "winter and summer time"
    # a PBX line's wall-clock time and its queue_log epoch are the same instant, on both sides of a change
    zone = ZoneInfo("America/Chicago")
    for path in sorted((tmp_path / "call_center" / "cdr").iterdir()):
        for row in csv.reader(path.open(encoding="utf-8")):
            start = datetime.fromisoformat(row[9]).replace(tzinfo=zone)
            assert int(row[16].split(".")[0]) == int(start.timestamp()), row


@pytest.mark.parametrize(
    ("wall", "utc", "shown"),
    [
        ("2026-03-08 01:59:59", "2026-03-08 07:59:59", "2026-03-08T01:59:59-06:00"),
        # in the spring-forward gap: the instant of the change, shown as the wall clock then shows it
        ("2026-03-08 02:30:00", "2026-03-08 08:00:00", "2026-03-08T03:00:00-05:00"),
        ("2026-03-08 03:10:00", "2026-03-08 08:10:00", "2026-03-08T03:10:00-05:00"),
        # in the autumn overlap: the first of the two (still daylight time)
        ("2025-11-02 01:30:00", "2025-11-02 06:30:00", "2025-11-02T01:30:00-05:00"),
        ("2025-11-02 02:00:00", "2025-11-02 08:00:00", "2025-11-02T02:00:00-06:00"),
    ],
)
def test_wall_times_near_a_change_of_offset_become_one_instant_each(wall, utc, shown):
    clock = LocalClock("America/Chicago")
    assert clock.utc(datetime.fromisoformat(wall)) == datetime.fromisoformat(utc)
    assert clock.with_offset(datetime.fromisoformat(wall)) == shown


def test_later_wall_times_are_never_earlier_instants_across_a_change():
    clock = LocalClock("America/Chicago")
    for start in (datetime(2026, 3, 8), datetime(2025, 11, 2)):
        moments = [clock.utc(start + timedelta(seconds=s)) for s in range(0, 5 * 3600, 37)]
        assert moments == sorted(moments)
