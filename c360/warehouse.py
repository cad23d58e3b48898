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
import threading
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


def table_checksums(con: duckdb.DuckDBPyConnection, schema: str = MARTS) -> dict[str, dict]:
    """Every table's row count and an order-independent checksum of its rows (the XOR of the
    rows' hashes): equal tables give equal checksums, in any process, whatever the row order."""
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall()
    ]
    sums = {}
    for table in tables:
        rows, checksum = con.execute(f'select count(*), bit_xor(hash(t)) from {schema}."{table}" as t').fetchall()[0]
        sums[table] = {"rows": rows, "checksum": str(checksum or 0)}
    return sums


def record_publish(con: duckdb.DuckDBPyConnection, run_id: str, watermarks: dict) -> dict[str, int]:
    """Append this run to `ops.publish_log` in the working database (so the published copy
    carries its own history, and the checksums a restore is checked against); returns the row
    count of every mart."""
    sums = table_checksums(con)
    counts = {table: s["rows"] for table, s in sums.items()}
    con.execute("create schema if not exists ops")
    con.execute("""create table if not exists ops.publish_log (
        run_id varchar, published_at timestamp, source_watermarks json, row_counts json)""")
    con.execute("alter table ops.publish_log add column if not exists table_checksums json")
    con.execute(
        "insert into ops.publish_log (run_id, published_at, source_watermarks, row_counts, table_checksums) "
        "values (?, ?, ?, ?, ?)",
        [
            run_id,
            datetime.now(UTC).replace(tzinfo=None),
            json.dumps(watermarks, default=str),
            json.dumps(counts),
            json.dumps(sums),
        ],
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
    _make_current(paths, target)
    _prune(paths, keep)
    return target


def _make_current(paths: WarehousePaths, target: Path) -> None:
    link_tmp = paths.published_dir / f".{CURRENT}.{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    os.symlink(target.name, link_tmp)
    os.replace(link_tmp, paths.current)  # the one atomic step readers can observe


def kept_publishes(paths: WarehousePaths) -> list[Path]:
    """The publishes kept on disk, newest first."""
    return sorted(paths.published_dir.glob("c360-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)


def rollback(paths: WarehousePaths) -> Path:
    """Make the publish before the current one current again (one atomic switch, as a publish
    is); returns it. Readers see it from their next query on, as after a publish."""
    current = current_file(paths)
    kept = kept_publishes(paths)
    older = [p for p in kept if p.stat().st_mtime < current.stat().st_mtime]
    if not older:
        raise NotPublishedError(
            f"no publish older than {current.name} is kept in {paths.published_dir}; "
            "raise warehouse.keep_publishes to keep more"
        )
    _make_current(paths, older[0])
    return older[0]


def verify_publish(file: Path) -> list[str]:
    """Compare a publish's marts with the checksums recorded when it was published; returns
    the differences (none when it is intact)."""
    con = duckdb.connect(str(file), read_only=True)
    try:
        recorded = con.execute(
            "select table_checksums from ops.publish_log order by published_at desc limit 1"
        ).fetchall()
        if not recorded or recorded[0][0] is None:
            return [f"{file.name} records no checksums (published before they were recorded)"]
        expected = json.loads(recorded[0][0])
        found = table_checksums(con)
    finally:
        con.close()
    problems = [f"{t}: recorded {expected[t]}, found {found.get(t)}" for t in expected if found.get(t) != expected[t]]
    problems += [f"{t}: not recorded at publish" for t in found if t not in expected]
    return problems


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


_OPENING = threading.Lock()


def open_published(paths: WarehousePaths, file: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current publish (or to `file`, one publish named by its
    path, as a reader keyed to a publish version asks) that cannot touch the machine's files:
    the zone is set first (it loads the built-in icu extension), then external access is
    switched off and the configuration locked, so SQL can neither read nor write files."""
    with _OPENING:  # two threads opening one file share its instance: one configures it
        con = duckdb.connect(str(file or current_file(paths)), read_only=True)
        # A second connect to the same file in this process joins the open instance, whose
        # settings are global and already locked by the first: nothing is left to set, nor allowed.
        if con.execute("select current_setting('lock_configuration')").fetchall()[0][0]:
            return con
        con.execute("set TimeZone = 'UTC'")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    return con
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con
