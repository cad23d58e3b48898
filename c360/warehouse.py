"""Where the warehouse lives, and the publish rule (ARCHITECTURE.md, "One writer, many readers").

The nightly run writes only `<dir>/work/c360.duckdb`. After every check has passed it writes
this run's analyst file `<dir>/published/c360-<run_id>.duckdb` (the published schemas, contact
details pseudonymised: c360.privacy) and its contacts file beside it, makes both read-only, and
switches the symlink `<dir>/published/current.duckdb` to the analyst file with one atomic
rename. Readers resolve the link when they connect, so they see one complete publish or the one
before, never half of one; a failed or killed run leaves the last publish untouched.

Who may read what: everything the night writes under `<dir>` holds personal data (the raw layer,
dlt's state and staging files, quarantine, logs, the contacts file) and is its account's alone,
0600 files in 0700 folders (umask 077 while the night runs, `private_umask`). Only the analyst file
(0444) and its folder `published/` (0755) are for everyone; `<dir>` itself lets others pass
through to `published/` (0711) but not list or read it. The contacts file is 0400.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from c360.clock import run_now
from c360.privacy import (  # contacts_of: also here, beside the other paths of a publish
    CONTACTS_TABLES,
    PUBLISHED_SCHEMAS,
    analyst_select,
    contacts_of,
    register_pseudonym_function,
)

CURRENT = "current.duckdb"
MARTS = "marts"
# The marts readers look up by key, stored in the analyst file sorted by it: DuckDB skips every
# row group whose min/max excludes the value, so one customer's timeline reads a few of them
# (207 -> 3 ms at a million customers). Sorted here, in the copy the publish makes anyway, not
# by rewriting the table in the working database after dbt built it: that rewrite cost more
# than the build of fct_touchpoints itself and held two copies of it on disk (at M, about 15 s
# a night against 1.7 s more for the sorted copies). customer_search is sorted by its key as
# published, pseudonymised: an exact lookup of an e-mail or phone still reads one row group.
PUBLISHED_ORDER = {
    ("marts", "fct_touchpoints"): "customer_id, occurred_at",
    ("marts", "customer_search"): "search_key",
    ("marts", "dim_customer"): "customer_id",
    ("marts", "customer_360"): "customer_id",
    ("marts", "open_promises"): "queue_position nulls last",
    ("marts", "order_fulfilment"): "ordered_at",
}


# File modes (README, "Personal data and who sees it")
PRIVATE_UMASK = 0o077
WAREHOUSE_DIR_MODE = 0o711  # others pass through to published/, nothing more
PUBLISHED_DIR_MODE = 0o755
ANALYST_FILE_MODE = 0o444
CONTACTS_FILE_MODE = 0o400
# what a publish writes before it renames it into place; a killed one leaves them behind
TEMPORARY_SUFFIXES = (".partial", ".partial.wal", ".partial.tmp")


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

    @property
    def logs_dir(self) -> Path:
        """Each night's full output (Dagster's events, dbt's, stack traces): `run-<run id>.log`."""
        return self.root / "logs"


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created meanwhile, by this process and its children (dbt, DuckDB's WAL
    and spill files, dlt), are readable by their own account only. The umask is the process's:
    the night runs its steps one at a time, in this process or one process a step."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def make_warehouse_dir(paths: WarehousePaths) -> None:
    """Create the warehouse folder (0711: others can reach `published/` through it and do no
    more), its parents as any folder (they hold nothing of the warehouse)."""
    if paths.root.exists():
        return
    previous = os.umask(0o022)
    try:
        paths.root.parent.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(previous)
    paths.root.mkdir(exist_ok=True)
    os.chmod(paths.root, WAREHOUSE_DIR_MODE)


def make_published_dir(paths: WarehousePaths) -> None:
    make_warehouse_dir(paths)
    if not paths.published_dir.exists():
        paths.published_dir.mkdir(exist_ok=True)
        os.chmod(paths.published_dir, PUBLISHED_DIR_MODE)


def _take_from_others(path: Path, bits: int) -> None:
    """Clear the permission `bits` of `path` (never a link's target; gone or not ours: left)."""
    try:
        st = path.lstat()
        if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) & bits:
            os.chmod(path, stat.S_IMODE(st.st_mode) & ~bits)
    except (FileNotFoundError, PermissionError):
        pass


def make_private(paths: WarehousePaths) -> None:
    """Take from other accounts whatever an older version, a umask or a library that sets modes
    itself let them read or change under the warehouse, and remove what a killed publish left.
    Only the analyst files and their folder stay readable; modes are only ever narrowed."""
    if not paths.root.exists():
        return
    _take_from_others(paths.root, 0o066)
    for folder, dirs, files in os.walk(paths.root):
        here = Path(folder)
        if here == paths.root and paths.published_dir.name in dirs:
            dirs.remove(paths.published_dir.name)
        for name in dirs + files:
            _take_from_others(here / name, 0o077)
    if paths.published_dir.exists():
        remove_temporaries(paths)
        for path in paths.published_dir.iterdir():
            if not _is_analyst_file(path):
                _take_from_others(path, 0o077)


def _is_analyst_file(path: Path) -> bool:
    return (
        path.name.startswith("c360-") and path.name.endswith(".duckdb") and not path.name.endswith(".contacts.duckdb")
    )


def remove_temporaries(paths: WarehousePaths) -> None:
    """Remove what a killed publish or switch left in `published/`: the files it was writing and
    their WALs, and a link it was about to rename (one whose process is gone)."""
    for path in paths.published_dir.iterdir():
        if path.name.endswith(TEMPORARY_SUFFIXES):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        elif path.name.startswith(f".{CURRENT}.") and path.is_symlink():
            pid = path.name.rsplit(".", 1)[-1]
            if not pid.isdigit() or int(pid) == os.getpid() or not _alive(int(pid)):
                path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class NotPublishedError(RuntimeError):
    pass


def connect_work(paths: WarehousePaths, memory_limit: str = "80%") -> duckdb.DuckDBPyConnection:
    """The run's read-write connection to its working database. Past `memory_limit` DuckDB
    spills to `<work db>.tmp` beside it rather than failing."""
    make_warehouse_dir(paths)
    paths.work_db.parent.mkdir(mode=0o700, exist_ok=True)
    con = duckdb.connect(str(paths.work_db))
    con.execute("set TimeZone = 'UTC'")
    con.execute("set memory_limit = ?", [memory_limit])
    return con


def table_checksums(con: duckdb.DuckDBPyConnection, schema: str = MARTS, catalog: str | None = None) -> dict[str, dict]:
    """Every table's row count and an order-independent checksum of its rows (the XOR of the
    rows' hashes): equal tables give equal checksums, in any process, whatever the row order.
    `catalog` names an attached database (default: the connection's own)."""
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_catalog = coalesce(?, current_database()) order by 1",
            [schema, catalog],
        ).fetchall()
    ]
    prefix = f'"{catalog}".' if catalog else ""
    sums = {}
    for table in tables:
        rows, checksum = con.execute(
            f'select count(*), bit_xor(hash(t)) from {prefix}{schema}."{table}" as t'
        ).fetchall()[0]
        sums[table] = {"rows": rows, "checksum": str(checksum or 0)}
    return sums


def record_publish(
    con: duckdb.DuckDBPyConnection, run_id: str, watermarks: dict, sums: dict[str, dict], catalog: str | None = None
) -> None:
    """Append this run to `ops.publish_log` (so every publish carries the history before it,
    and the checksums a restore is checked against)."""
    ops = f'"{catalog}".ops' if catalog else "ops"
    counts = {table: s["rows"] for table, s in sums.items()}
    con.execute(f"create schema if not exists {ops}")
    con.execute(f"""create table if not exists {ops}.publish_log (
        run_id varchar, published_at timestamp, source_watermarks json, row_counts json)""")
    con.execute(f"alter table {ops}.publish_log add column if not exists table_checksums json")
    # the moment the data describes (the night's pinned "now"): a rebuild of a past night, or a
    # night that ends after midnight, describes another day than the one it is published on
    con.execute(f"alter table {ops}.publish_log add column if not exists as_of_at timestamp")
    con.execute(
        f"insert into {ops}.publish_log (run_id, published_at, source_watermarks, row_counts, table_checksums, "
        "as_of_at) values (?, ?, ?, ?, ?, ?)",
        [
            run_id,
            datetime.now(UTC).replace(tzinfo=None),
            json.dumps(watermarks, default=str),
            json.dumps(counts),
            json.dumps(sums),
            run_now(),
        ],
    )


def publish(
    con: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    run_id: str,
    watermarks: dict,
    key: bytes,
    keep: int = 3,
    contacts_owner: str | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> tuple[Path, dict[str, int]]:
    """Write the analyst file and the contacts file of this run from the working database
    (c360.privacy says what goes where), record the run in `ops.publish_log`, make both files
    read-only and switch `current.duckdb` to the new analyst file atomically. Returns the
    published file and the row count of every mart.

    Both files are written private (the contacts file, its WAL and the analyst file while it is
    incomplete: 0600), whatever the process's umask, and opened up only once complete. What a
    killed publish left behind is removed first."""
    with private_umask():
        make_published_dir(paths)
        remove_temporaries(paths)
        target = paths.published_file(run_id)
        contacts = contacts_of(target)
        partial, contacts_partial = Path(f"{target}.partial"), Path(f"{contacts}.partial")
        register_pseudonym_function(con, key)
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() and table_type = 'BASE TABLE' "
            f"and table_schema in ({', '.join(repr(s) for s in PUBLISHED_SCHEMAS)}) "
            "order by table_schema, table_name"
        ).fetchall()
        log(f"publishing: writing the analyst file {partial.name}")
        con.execute(f"attach '{partial}' as published")
        try:
            for schema, table in tables:
                _copy_for_analysts(con, schema, table)
            sums = table_checksums(con, MARTS, catalog="published")
            record_publish(con, run_id, watermarks, sums, catalog="published")
        finally:
            con.execute("detach published")
        log(f"publishing: writing the contacts file {contacts_partial.name}")
        con.execute(f"attach '{contacts_partial}' as contacts")
        try:
            for name, sql in CONTACTS_TABLES.items():
                if name == "quarantine" and ("ops", "quarantine") not in tables:
                    continue
                con.execute(f"create table contacts.main.{name} as {sql}")
        finally:
            con.execute("detach contacts")
        for file, mode in ((partial, ANALYST_FILE_MODE), (contacts_partial, CONTACTS_FILE_MODE)):
            with open(file, "rb") as f:
                os.fsync(f.fileno())
            os.chmod(file, mode)
        if contacts_owner:
            shutil.chown(contacts_partial, user=contacts_owner)
        os.replace(contacts_partial, contacts)
        os.replace(partial, target)
        _make_current(paths, target)
        # the working database learns of the publish only once it happened: the next one copies this log
        record_publish(con, run_id, watermarks, sums)
        _prune(paths, keep)
        return target, {table: s["rows"] for table, s in sums.items()}


def _copy_for_analysts(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    con.execute(f'create schema if not exists published."{schema}"')
    order = f" order by {PUBLISHED_ORDER[(schema, table)]}" if (schema, table) in PUBLISHED_ORDER else ""
    con.execute(f'create table published."{schema}"."{table}" as {analyst_select(con, schema, table)}{order}')


def _make_current(paths: WarehousePaths, target: Path) -> None:
    link_tmp = paths.published_dir / f".{CURRENT}.{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    os.symlink(target.name, link_tmp)
    os.replace(link_tmp, paths.current)  # the one atomic step readers can observe


def kept_publishes(paths: WarehousePaths) -> list[Path]:
    """The analyst files of the publishes kept on disk, newest first."""
    files = [p for p in paths.published_dir.glob("c360-*.duckdb") if not p.name.endswith(".contacts.duckdb")]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


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
    for old in kept_publishes(paths)[max(keep, 1) :]:
        if os.path.realpath(old) != current:
            old.unlink(missing_ok=True)
            contacts_of(old).unlink(missing_ok=True)


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
