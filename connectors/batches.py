"""What happens to every incoming batch on its way into `raw_<source>`, whichever way it is
loaded: column names in the warehouse's snake_case, E.164 phones beside the raw ones, the
source contract checked (bad rows kept aside with their reasons), lineage columns added.
The tally it keeps feeds `ops.quarantine`, `ops.quality_results` and `ops.load_reconciliation`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.loader import LINE, LOADED_AT, SOURCE, LoadReport, snake_case
from connectors.phones import e164_column


@dataclass
class TableTally:
    read: int = 0  # rows the source handed over
    already_loaded: int = 0  # rows recognised as loaded before (incremental overlap, same file)
    passed: int = 0
    quarantined: list[dict] = field(default_factory=list)  # {row, reasons, line_number (files only)}
    outcomes: list = field(default_factory=list)


@dataclass
class SourceTally:
    source: str
    tables: dict[str, TableTally] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # what the source holds but was not read -> why

    def table(self, name: str) -> TableTally:
        return self.tables.setdefault(name, TableTally())


def prepare_batch(
    source: str,
    table: str,
    data: pa.Table,
    origin: str | pa.Array,
    tally: SourceTally,
    phone_columns: tuple[str, ...] = (),
    phone_region: str = "CN",
    primary_key: str | None = None,
    lines: pa.Array | None = None,
) -> pa.Table:
    """Snake-case names, add `<phone>_e164`, check the contract, add lineage; returns the
    rows that pass, with `primary_key` (snake-cased) declared non-null. `lines` (files only)
    is each row's line in its file, for the quarantine. Raises ContractError when the batch
    breaks the contract as a whole."""
    from data_quality.validate import check_batch  # GX is slow to import; only loads need it

    data = data.rename_columns([snake_case(c) for c in data.column_names])
    for column in phone_columns:
        if column in data.column_names:
            data = data.append_column(f"{column}_e164", e164_column(data[column], phone_region))
    if isinstance(origin, str):
        described, origin = origin, repeated(origin, data.num_rows)
    else:
        described = f"{pc.count_distinct(origin).as_py()} file(s) of {table}"
    data = data.append_column(SOURCE, origin)
    if lines is not None:
        data = data.append_column(LINE, lines)
    result = check_batch(source, table, data, described)
    for bad in result.quarantined:
        bad["line_number"] = bad["row"].pop(LINE, None)
    counts = tally.table(table)
    counts.passed += result.passed.num_rows
    counts.quarantined += result.quarantined
    counts.outcomes += [(o, result.rows_checked) for o in result.outcomes]
    now = datetime.now(UTC).replace(tzinfo=None)
    stamps = np.full(result.passed.num_rows, np.datetime64(now, "us"))
    passed = result.passed.drop_columns([LINE]) if lines is not None else result.passed
    passed = passed.append_column(LOADED_AT, pa.array(stamps, pa.timestamp("us")))
    return _required(passed, snake_case(primary_key)) if primary_key else passed


def _required(data: pa.Table, column: str) -> pa.Table:
    """`data` with `column` declared non-nullable, as dlt's primary-key hint declares it (the
    contract's not-null check let no null through). Left nullable, dlt warns on every batch
    that the Arrow schema and its own hints differ: 74 warnings in one L night's service load."""
    index = data.schema.get_field_index(column)
    return data.cast(data.schema.set(index, data.schema.field(index).with_nullable(False)))


def repeated(text: str, n: int) -> pa.Array:
    """`text` n times, gathered by Arrow (a Python list of a million strings costs a tenth of a
    second, a dictionary array cast to text nearly as much; `take` about 10 ms)."""
    return pa.array([text], pa.string()).take(pa.array(np.zeros(n, np.int32)))


OPS_DDL = [
    "create schema if not exists ops",
    """create table if not exists ops.quarantine (
        quarantined_at timestamp, load_id varchar, source varchar, table_name varchar, origin varchar,
        reasons varchar, raw_record json, line_number bigint)""",
    # warehouses made before quarantined lines had their number
    "alter table ops.quarantine add column if not exists line_number bigint",
    """create table if not exists ops.quality_results (
        checked_at timestamp, load_id varchar, source varchar, table_name varchar, expectation varchar,
        column_name varchar, success boolean, unexpected_count bigint, rows_checked bigint)""",
    """create table if not exists ops.load_reconciliation (
        reconciled_at timestamp, load_id varchar, source varchar, table_name varchar, rows_read bigint,
        rows_loaded bigint, rows_quarantined bigint, rows_already_loaded bigint, is_balanced boolean)""",
    # what a source holds but a load did not read (a folder that is no day, a file already
    # loaded under another name), and why: reported, never skipped without a word
    """create table if not exists ops.load_skipped (
        reported_at timestamp, load_id varchar, source varchar, path varchar, reason varchar)""",
]
QUARANTINE_COLUMNS = "quarantined_at, load_id, source, table_name, origin, reasons, raw_record, line_number"


class ReconciliationError(RuntimeError):
    pass


def record_tally(con: duckdb.DuckDBPyConnection, tally: SourceTally, load_id: str, loaded: dict[str, int]) -> None:
    """Write quarantine, quality results and the reconciliation of this load; `loaded` is what
    the destination says it wrote per table (counted there, not by us). A table whose rows
    read differ from loaded + quarantined + already loaded fails the load."""
    now = datetime.now(UTC).replace(tzinfo=None)
    for ddl in OPS_DDL:
        con.execute(ddl)
    unbalanced = []
    for table, counts in tally.tables.items():
        if counts.quarantined:  # in bulk: a bad file can hold a million rows
            rows = pa.table(
                {
                    "quarantined_at": pa.array([now] * len(counts.quarantined), pa.timestamp("us")),
                    "load_id": pa.array([load_id] * len(counts.quarantined), pa.string()),
                    "source": pa.array([tally.source] * len(counts.quarantined), pa.string()),
                    "table_name": pa.array([table] * len(counts.quarantined), pa.string()),
                    "origin": pa.array([q["row"].get(SOURCE) for q in counts.quarantined], pa.string()),
                    "reasons": pa.array(["; ".join(q["reasons"]) for q in counts.quarantined], pa.string()),
                    "raw_record": pa.array(
                        [
                            json.dumps(
                                {k: v for k, v in q["row"].items() if k != SOURCE}, default=str, ensure_ascii=False
                            )
                            for q in counts.quarantined
                        ],
                        pa.string(),
                    ),
                    "line_number": pa.array([q.get("line_number") for q in counts.quarantined], pa.int64()),
                }
            )
            con.register("_c360_quarantine", rows)
            try:
                con.execute(f"insert into ops.quarantine ({QUARANTINE_COLUMNS}) select * from _c360_quarantine")
            finally:
                con.unregister("_c360_quarantine")
        for outcome, rows_checked in counts.outcomes:
            con.execute(
                "insert into ops.quality_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    now,
                    load_id,
                    tally.source,
                    table,
                    outcome.expectation,
                    outcome.column,
                    outcome.success,
                    outcome.unexpected_count,
                    rows_checked,
                ],
            )
        rows_loaded = loaded.get(table, 0)
        balanced = counts.read == rows_loaded + len(counts.quarantined) + counts.already_loaded
        con.execute(
            "insert into ops.load_reconciliation values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now,
                load_id,
                tally.source,
                table,
                counts.read,
                rows_loaded,
                len(counts.quarantined),
                counts.already_loaded,
                balanced,
            ],
        )
        if not balanced:
            unbalanced.append(
                f"{table}: read {counts.read:,} but loaded {rows_loaded:,} + quarantined "
                f"{len(counts.quarantined):,} + already loaded {counts.already_loaded:,}"
            )
    if tally.skipped:
        con.executemany(
            "insert into ops.load_skipped values (?, ?, ?, ?, ?)",
            [[now, load_id, tally.source, path, reason] for path, reason in tally.skipped.items()],
        )
    if unbalanced:
        raise ReconciliationError(f"{tally.source}: load does not reconcile: " + "; ".join(unbalanced))


def finisher(con: duckdb.DuckDBPyConnection, tally: SourceTally, tables: list[str], log=print):
    """What a connector does once dlt has written: record the tally, report per table."""

    def finish(loaded: dict[str, int], load_id: str) -> LoadReport:
        record_tally(con, tally, load_id, loaded)
        report = LoadReport(tally.source, skipped=dict(tally.skipped))
        for table in tables:
            counts = tally.table(table)
            report.rows[table] = loaded.get(table, 0)
            report.quarantined[table] = len(counts.quarantined)
            log(
                f"{tally.source}: {table}: read {counts.read:,}, loaded {report.rows[table]:,}, "
                f"quarantined {report.quarantined[table]:,}, already loaded {counts.already_loaded:,}"
            )
        return report

    return finish
