"""The demo company is its systems as they stand at one moment: nothing in them is stamped
later, whatever the hour of that moment (the run that loads it must not see the future)."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from demo.generate import generate

PBX_AND_LOGISTICS_OFFSET = timedelta(hours=8)  # the demo's PBX and warehouse write Shanghai time
# moments in UTC: just after local midnight, early morning, mid-afternoon, a month's last evening
MOMENTS = ["2026-11-29 16:05:00", "2026-11-30 01:30:00", "2026-11-30 07:43:00", "2026-12-31 15:30:00"]


def _utc(text: str) -> datetime:
    """An ISO time with an offset or Z, or a naive local time of the PBX/warehouse, as naive UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(".000+0000", "+00:00"))
    if moment.tzinfo is None:
        return moment - PBX_AND_LOGISTICS_OFFSET
    return moment.astimezone(UTC).replace(tzinfo=None)


def stamps_after(out: Path, moment: datetime) -> list[str]:
    """Every record stamp of the four systems later than `moment` (naive UTC), named."""
    late = []
    con = sqlite3.connect(out / "crm" / "crm.sqlite")
    for (table,) in con.execute("select name from sqlite_master where type = 'table'"):
        for column in [row[1] for row in con.execute(f'pragma table_info("{table}")')]:
            if column in ("CreatedDate", "LastModifiedDate", "SystemModstamp", "Responded_At__c", "ConvertedDate"):
                for (value,) in con.execute(f'select "{column}" from "{table}" where "{column}" is not null'):
                    if len(value) > 10 and _utc(value) > moment:
                        late.append(f"crm {table}.{column} {value}")
    con.close()
    for path in sorted((out / "service_desk").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            for key in ("created_at", "updated_at"):
                if record.get(key) and _utc(record[key]) > moment:
                    late.append(f"desk {path.stem}.{key} {record[key]}")
    for day in sorted((out / "logistics").iterdir()):
        for path in day.glob("*.csv"):
            with open(path, encoding="gb18030", newline="") as f:
                for row in csv.DictReader(f):
                    for key in ("updated_at", "event_time", "completed_at"):
                        if row.get(key) and _utc(row[key]) > moment:
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
                        if row[column] and _utc(row[column]) > moment:
                            late.append(f"{sub} {path.name} {row[column]}")
    return late


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_demo_writes_nothing_after_the_moment_it_is_written_at(tmp_path, moment):
    as_of = datetime.fromisoformat(moment)
    generate(tmp_path, customers=200, seed=7, as_of=as_of, log=lambda *_: None)
    assert stamps_after(tmp_path, as_of) == []
    # ... and it reaches up to that moment: the last day is there, not a day short
    last_day = max(p.name for p in (tmp_path / "logistics").iterdir())
    assert last_day >= (as_of + PBX_AND_LOGISTICS_OFFSET - timedelta(days=3)).date().isoformat()
