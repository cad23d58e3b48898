"""Shared names of the raw layer: the lineage columns every raw row carries (with dlt's
`_dlt_load_id`), how source names become column names, and the error a connector raises.
Every raw row says when it was loaded, by which load, and where it came from, so any
number in a mart can be traced back to a file, an endpoint or a table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa

LOADED_AT = "_c360_loaded_at"
SOURCE = "_c360_source"
LINE = "_c360_line"  # a row's line in its file: carried to the contract check for the quarantine, not loaded


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


def arrow_table_from_columns(columns: dict[str, list]) -> pa.Table:
    """The same from values already gathered column by column (no row dicts to walk)."""
    return pa.table(
        {
            name: (array.cast(pa.string()) if pa.types.is_null(array.type) else array)
            for name, array in ((name, pa.array(values)) for name, values in columns.items())
        }
    )


@dataclass
class LoadReport:
    source: str
    rows: dict[str, int] = field(default_factory=dict)  # loaded into raw, per table
    quarantined: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # what the source holds but was not read -> why

    @property
    def total(self) -> int:
        return sum(self.rows.values())
