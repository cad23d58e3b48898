"""Write extracted batches into the `raw_<source>` schemas of the working DuckDB.

Every raw row carries when it was loaded, the load id, and where it came from, so any
number in a mart can be traced back to a file, an endpoint or a table."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

LOADED_AT = "_c360_loaded_at"
LOAD_ID = "_c360_load_id"
SOURCE = "_c360_source"


class SourceError(RuntimeError):
    """A source could not be read; the message names the source, what failed and the fix."""


def snake_case(name: str) -> str:
    """`SystemModstamp` -> `system_modstamp`, `Survey_Response__c` -> `survey_response_c`
    (the naming replication tools such as dlt give Salesforce API names)."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    return name.strip("_").lower()


def arrow_table(rows: list[dict], columns: list[str]) -> pa.Table:
    """Rows as an Arrow table with the given columns; a column that is null in every row
    becomes text rather than Arrow's `null` type, which DuckDB cannot store."""
    table = (
        pa.Table.from_pylist(rows, schema=None) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
    )
    for c in columns:
        if c not in table.column_names:
            table = table.append_column(c, pa.nulls(table.num_rows, pa.string()))
    table = table.select(columns)
    return pa.table(
        {
            c: (col.cast(pa.string()) if pa.types.is_null(col.type) else col)
            for c, col in zip(table.column_names, table.columns, strict=True)
        }
    )


@dataclass
class LoadReport:
    source: str
    rows: dict[str, int] = field(default_factory=dict)  # loaded into raw, per table
    quarantined: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


OPS_DDL = [
    "create schema if not exists ops",
    """create table if not exists ops.quarantine (
        quarantined_at timestamp, load_id varchar, source varchar, table_name varchar, origin varchar,
        reasons varchar, raw_record json)""",
    """create table if not exists ops.quality_results (
        checked_at timestamp, load_id varchar, source varchar, table_name varchar, expectation varchar,
        column_name varchar, success boolean, unexpected_count bigint, rows_checked bigint)""",
]


def replace_raw_table(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    data: pa.Table,
    load_id: str,
    origin: pa.Array | str,
    report: LoadReport | None = None,
) -> int:
    """Check `data` against its source contract, replace `schema.table` with the rows that
    pass (plus the lineage columns) and quarantine the rest with their reasons in
    `ops.quarantine`; every expectation's outcome goes to `ops.quality_results`.
    Returns the number of rows loaded."""
    from data_quality.validate import check_batch  # GX is slow to import; only loads need it

    source = schema.removeprefix("raw_")
    n = data.num_rows
    if isinstance(origin, (pa.Array, pa.ChunkedArray)):
        origin_col = origin
        described = f"{len(set(origin.to_pylist()))} file(s) of {table}"
    else:
        origin_col = pa.array([origin] * n, pa.string())
        described = origin
    data = data.append_column(SOURCE, origin_col)
    result = check_batch(source, table, data, described)
    now = datetime.now(UTC).replace(tzinfo=None)
    passed = result.passed
    kept = passed.num_rows
    columns = [c for c in passed.column_names if c != SOURCE]
    passed = (
        passed.select(columns)
        .append_column(LOADED_AT, pa.array([now] * kept, pa.timestamp("us")))
        .append_column(LOAD_ID, pa.array([load_id] * kept, pa.string()))
        .append_column(SOURCE, passed[SOURCE])
    )
    for ddl in OPS_DDL:
        con.execute(ddl)
    con.execute(f'create schema if not exists "{schema}"')
    con.register("_c360_batch", passed)
    try:
        con.execute(f'create or replace table "{schema}"."{table}" as select * from _c360_batch')
    finally:
        con.unregister("_c360_batch")
    if result.quarantined:
        rows = pa.table(
            {
                "quarantined_at": pa.array([now] * len(result.quarantined), pa.timestamp("us")),
                "load_id": [load_id] * len(result.quarantined),
                "source": [source] * len(result.quarantined),
                "table_name": [table] * len(result.quarantined),
                "origin": [q["row"].get(SOURCE) for q in result.quarantined],
                "reasons": ["; ".join(q["reasons"]) for q in result.quarantined],
                "raw_record": [
                    json.dumps({k: v for k, v in q["row"].items() if k != SOURCE}, default=str, ensure_ascii=False)
                    for q in result.quarantined
                ],
            }
        )
        con.register("_c360_quarantine", rows)
        try:
            con.execute("insert into ops.quarantine select * from _c360_quarantine")
        finally:
            con.unregister("_c360_quarantine")
    for o in result.outcomes:
        con.execute(
            "insert into ops.quality_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [now, load_id, source, table, o.expectation, o.column, o.success, o.unexpected_count, n],
        )
    if report is not None:
        report.rows[table] = kept
        report.quarantined[table] = len(result.quarantined)
    return kept
