"""Where the warehouse lives, and the publish rule (ARCHITECTURE.md, "One writer, many readers").

The nightly run writes only `<dir>/work/c360.duckdb`. After every check has passed it
copies that file to `<dir>/published/c360-<run_id>.duckdb`, makes the copy read-only,
and switches the symlink `<dir>/published/current.duckdb` to it with one atomic rename.
Readers resolve the link when they connect, so they see one complete publish or the one
before, never half of one; a failed or killed run leaves the last publish untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

CURRENT = "current.duckdb"
MARTS = "marts"


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @property
    def work_db(self) -> Path:
        return self.root / "work" / "c360.duckdb"

    @property
    def dlt_state_dir(self) -> Path:
        """dlt's local pipeline state (also kept in the warehouse, so losing this is harmless)."""
        return self.root / "work" / "dlt"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    @property
    def current(self) -> Path:
        return self.published_dir / CURRENT

    def published_file(self, run_id: str) -> Path:
        return self.published_dir / f"c360-{run_id}.duckdb"


class NotPublishedError(RuntimeError):
    pass


def connect_work(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    paths.work_db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.work_db))
    con.execute("set TimeZone = 'UTC'")
    return con


def record_publish(con: duckdb.DuckDBPyConnection, run_id: str, watermarks: dict) -> dict[str, int]:
    """Append this run to `ops.publish_log` in the working database (so the published copy
    carries its own history); returns the row count of every mart."""
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [MARTS]
        ).fetchall()
    ]
    counts = {t: con.execute(f'select count(*) from {MARTS}."{t}"').fetchone()[0] for t in tables}
    con.execute("create schema if not exists ops")
    con.execute("""create table if not exists ops.publish_log (
        run_id varchar, published_at timestamp, source_watermarks json, row_counts json)""")
    con.execute(
        "insert into ops.publish_log values (?, ?, ?, ?)",
        [run_id, datetime.now(UTC).replace(tzinfo=None), json.dumps(watermarks, default=str), json.dumps(counts)],
    )
    return counts


def publish(paths: WarehousePaths, run_id: str, keep: int = 3) -> Path:
    """Copy the (closed, checkpointed) working database to a new read-only file and switch
    `current.duckdb` to it atomically. Returns the published file."""
    paths.published_dir.mkdir(parents=True, exist_ok=True)
    target = paths.published_file(run_id)
    partial = target.with_suffix(".duckdb.partial")
    shutil.copyfile(paths.work_db, partial)
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
    os.chmod(partial, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(partial, target)
    link_tmp = paths.published_dir / f".{CURRENT}.{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    os.symlink(target.name, link_tmp)
    os.replace(link_tmp, paths.current)  # the one atomic step readers can observe
    _prune(paths, keep)
    return target


def _prune(paths: WarehousePaths, keep: int) -> None:
    """Keep the newest `keep` publishes (the current one always among them)."""
    current = os.path.realpath(paths.current)
    published = sorted(paths.published_dir.glob("c360-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in published[max(keep, 1) :]:
        if os.path.realpath(old) != current:
            old.unlink(missing_ok=True)
    for leftover in paths.published_dir.glob("*.partial"):
        leftover.unlink(missing_ok=True)


def current_file(paths: WarehousePaths) -> Path:
    if not paths.current.exists():
        raise NotPublishedError(f"nothing published yet under {paths.published_dir}: run `c360 run` first")
    return Path(os.path.realpath(paths.current))


def open_published(paths: WarehousePaths, file: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current publish (or to `file`, one publish named by its
    path, as a reader keyed to a publish version asks) that cannot touch the machine's files:
    the zone is set first (it loads the built-in icu extension), then external access is
    switched off and the configuration locked, so SQL can neither read nor write files."""
    con = duckdb.connect(str(file or current_file(paths)), read_only=True)
    # A second connect to the same file in this process joins the open instance, whose settings
    # are global and already locked by the first: there is nothing left to set, nor allowed.
    if con.execute("select current_setting('lock_configuration')").fetchall()[0][0]:
        return con
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con
