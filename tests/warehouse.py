"""Reading a test's working warehouse: open read-only, query, close (DuckDB allows one writer)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def query(work_db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every text column of every table: where a value may hide."""
    return con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON')"
    ).fetchall()
