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
