"""Where the warehouse lives, and the publish rule (ARCHITECTURE.md, "One writer, many readers").

The nightly run writes only `<dir>/work/c360.duckdb`. After every check has passed it writes
this run's analyst file `<dir>/published/c360-<run_id>.duckdb` (the published schemas, contact
details pseudonymised: c360.privacy) and its contacts file beside it, makes both read-only, and
switches the symlink `<dir>/published/current.duckdb` to the analyst file with one atomic
rename. Readers resolve the link when they connect, so they see one complete publish or the one
before, never half of one; a failed or killed run leaves the last publish untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

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


def connect_work(paths: WarehousePaths, memory_limit: str = "80%") -> duckdb.DuckDBPyConnection:
    """The run's read-write connection to its working database. Past `memory_limit` DuckDB
    spills to `<work db>.tmp` beside it rather than failing."""
    paths.work_db.parent.mkdir(parents=True, exist_ok=True)
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
    con.execute(
        f"insert into {ops}.publish_log (run_id, published_at, source_watermarks, row_counts, table_checksums) "
        "values (?, ?, ?, ?, ?)",
        [
            run_id,
            datetime.now(UTC).replace(tzinfo=None),
            json.dumps(watermarks, default=str),
            json.dumps(counts),
            json.dumps(sums),
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
) -> tuple[Path, dict[str, int]]:
    """Write the analyst file and the contacts file of this run from the working database
    (c360.privacy says what goes where), record the run in `ops.publish_log`, make both files
    read-only and switch `current.duckdb` to the new analyst file atomically. Returns the
    published file and the row count of every mart."""
    from c360.privacy import CONTACTS_TABLES, PUBLISHED_SCHEMAS, register_pseudonym_function

    paths.published_dir.mkdir(parents=True, exist_ok=True)
    target = paths.published_file(run_id)
    contacts = contacts_of(target)
    partial, contacts_partial = Path(f"{target}.partial"), Path(f"{contacts}.partial")
    for leftover in (partial, contacts_partial):
        leftover.unlink(missing_ok=True)
    register_pseudonym_function(con, key)
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_type = 'BASE TABLE' "
        f"and table_schema in ({', '.join(repr(s) for s in PUBLISHED_SCHEMAS)}) "
        "order by table_schema, table_name"
    ).fetchall()
    con.execute(f"attach '{partial}' as published")
    try:
        for schema, table in tables:
            _copy_for_analysts(con, schema, table)
        sums = table_checksums(con, MARTS, catalog="published")
        record_publish(con, run_id, watermarks, sums, catalog="published")
    finally:
        con.execute("detach published")
    con.execute(f"attach '{contacts_partial}' as contacts")
    try:
        for name, sql in CONTACTS_TABLES.items():
            if name == "quarantine" and ("ops", "quarantine") not in tables:
                continue
            con.execute(f"create table contacts.main.{name} as {sql}")
    finally:
        con.execute("detach contacts")
    for file, mode in ((partial, 0o444), (contacts_partial, 0o400)):
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
    from c360.privacy import analyst_select

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


def contacts_of(published: Path) -> Path:
    """The contacts file published with an analyst file: the real contact details behind its
    pseudonyms (c360.privacy)."""
    return published.with_name(published.name.removesuffix(".duckdb") + ".contacts.duckdb")


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
