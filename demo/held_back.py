"""The demo's clock: write the company but hold its last days back, then let one more day
arrive (`c360 demo --hold-back-days N`, then `c360 demo-advance`), the way a real company's
systems gain a day of data between two nightly runs.

Held-back records wait in `<demo>/held_back/`: CRM rows by SystemModstamp, service-desk
records by the time their export filters on, logistics day folders, PBX files by day."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml

from demo.localtime import LocalClock

STAMP = {"ticket_events": "created_at"}
HELD = "held_back"


def _clock(out: Path) -> LocalClock:
    """The company's clock, from the time zone of the config the demo wrote beside its systems."""
    config = yaml.safe_load((out / "c360.yml").read_text(encoding="utf-8"))
    return LocalClock(config["company"]["time_zone"])


def _utc_cutoff(day: date, clock: LocalClock) -> str:
    """The end of the company's local `day`, as the sources' UTC text sorts it."""
    end = clock.utc(datetime.combine(day + timedelta(days=1), time()))
    return end.strftime("%Y-%m-%dT%H:%M:%S")


def _state_file(out: Path) -> Path:
    return out / HELD / "clock.json"


def hold_back(out: Path, end: date, days: int) -> None:
    """Move everything after `end - days` into `out/held_back/`."""
    if days <= 0:
        return
    visible_until = end - timedelta(days=days)
    held = out / HELD
    held.mkdir(exist_ok=True)
    cutoff = _utc_cutoff(visible_until, _clock(out))
    _move_crm(out / "crm" / "crm.sqlite", held / "crm.sqlite", cutoff, into_held=True)
    _move_service_desk(out / "service_desk", held / "service_desk", cutoff, into_held=True)
    _move_days(out, held, visible_until, into_held=True)
    _state_file(out).write_text(json.dumps({"visible_until": visible_until.isoformat(), "end": end.isoformat()}))


def rewind(out: Path, days: int) -> None:
    """Hold the last `days` days back again after `advance` released them (the state
    `hold_back(out, end, days)` left), so that the same company can be run again."""
    state = json.loads(_state_file(out).read_text())
    end = date.fromisoformat(state["end"])
    if date.fromisoformat(state["visible_until"]) > end - timedelta(days=days):
        hold_back(out, end, days)


def advance(out: Path, days: int = 1) -> date:
    """Release the next `days` of held-back data; returns the last visible day."""
    state = json.loads(_state_file(out).read_text()) if _state_file(out).exists() else None
    if state is None:
        raise FileNotFoundError(f"{out} holds nothing back: write it with `c360 demo --hold-back-days N`")
    visible_until = min(
        date.fromisoformat(state["visible_until"]) + timedelta(days=days), date.fromisoformat(state["end"])
    )
    held = out / HELD
    cutoff = _utc_cutoff(visible_until, _clock(out))
    _move_crm(held / "crm.sqlite", out / "crm" / "crm.sqlite", cutoff, into_held=False)
    _move_service_desk(held / "service_desk", out / "service_desk", cutoff, into_held=False)
    _move_days(out, held, visible_until, into_held=False)
    state["visible_until"] = visible_until.isoformat()
    _state_file(out).write_text(json.dumps(state))
    return visible_until


def _move_crm(source: Path, target: Path, cutoff: str, into_held: bool) -> None:
    """Rows modified after `cutoff` (into_held) or up to it (released) move between files."""
    if into_held:
        # the same tables, holding only the held rows (a copy of the whole CRM emptied again would
        # take the CRM's size on disk twice: 10 GB at a million customers)
        target.unlink(missing_ok=True)
        con = sqlite3.connect(target)
        con.execute("attach database ? as visible", [str(source)])
        tables = con.execute("select name, sql from visible.sqlite_master where type = 'table'").fetchall()
        for t, ddl in tables:
            con.execute(ddl)
            con.execute(f'insert into main."{t}" select * from visible."{t}" where SystemModstamp > ?', [cutoff])
            con.execute(f'delete from visible."{t}" where SystemModstamp > ?', [cutoff])
        con.commit()
        con.close()
        return
    con = sqlite3.connect(target)
    con.execute("attach database ? as held", [str(source)])
    tables = [r[0] for r in con.execute("select name from held.sqlite_master where type = 'table'")]
    for t in tables:
        con.execute(f'insert or replace into main."{t}" select * from held."{t}" where SystemModstamp <= ?', [cutoff])
        con.execute(f'delete from held."{t}" where SystemModstamp <= ?', [cutoff])
    con.commit()
    con.close()


def _move_service_desk(source: Path, target: Path, cutoff: str, into_held: bool) -> None:
    """Records stamped after `cutoff` (into_held) or up to it (released) move between files,
    a line at a time (a big company's files do not fit in memory)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.jsonl")):
        stamp = STAMP.get(path.stem, "updated_at")
        kept = path.with_name(path.name + ".kept")
        with (
            open(path, encoding="utf-8") as lines,
            open(kept, "w", encoding="utf-8") as keep,
            open(target / path.name, "a", encoding="utf-8") as move,
        ):
            for line in lines:
                if not line.strip():
                    continue
                late = json.loads(line)[stamp][:19] > cutoff
                (move if late == into_held else keep).write(line if line.endswith("\n") else line + "\n")
        kept.replace(path)


def _day_of(path: Path) -> date | None:
    digits = "".join(ch for ch in path.name if ch.isdigit())
    if path.parent.name == "logistics":
        return date.fromisoformat(path.name)
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if len(digits) >= 8 else None


def _move_days(out: Path, held: Path, visible_until: date, into_held: bool) -> None:
    """Logistics day folders and PBX day files after `visible_until` are held back."""
    pairs = [(out / "logistics", held / "logistics")] + [
        (out / "call_center" / sub, held / "call_center" / sub) for sub in ("cdr", "queue_log", "ivr_survey")
    ]
    for visible, waiting in pairs:
        source, target = (visible, waiting) if into_held else (waiting, visible)
        if not source.exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.iterdir()):
            day = _day_of(path)
            if day is not None and (day > visible_until) == into_held:
                shutil.move(str(path), str(target / path.name))
