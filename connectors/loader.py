"""Write extracted batches into the `raw_<source>` schemas of the working DuckDB.

Every raw row carries when it was loaded, the load id, and where it came from, so any
number in a mart can be traced back to a file, an endpoint or a table."""

from __future__ import annotations

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
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def replace_raw_table(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, data: pa.Table, load_id: str, origin: pa.Array | str
) -> int:
    """Replace `schema.table` with `data` plus the lineage columns; returns the row count."""
    n = data.num_rows
    origin_col = origin if isinstance(origin, (pa.Array, pa.ChunkedArray)) else pa.array([origin] * n, pa.string())
    data = (
        data.append_column(LOADED_AT, pa.array([datetime.now(UTC)] * n, pa.timestamp("us", "UTC")))
        .append_column(LOAD_ID, pa.array([load_id] * n, pa.string()))
        .append_column(SOURCE, origin_col)
    )
    con.execute(f'create schema if not exists "{schema}"')
    con.register("_c360_batch", data)
    try:
        con.execute(f'create or replace table "{schema}"."{table}" as select * from _c360_batch')
    finally:
        con.unregister("_c360_batch")
    return n
