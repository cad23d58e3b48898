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


PROMISE_KINDS = {
    "delivery_late",
    "wrong_item_shipped",
    "installation_overdue",
    "compensation_unanswered",
    "bad_rating_no_follow_up",
}


def assert_broken_promises_are_the_planted_ones(con: duckdb.DuckDBPyConnection, incidents_csv: Path) -> None:
    """Every incident a demo company planted (its ground truth) is a broken promise of the
    published warehouse `con`, of every kind, and no other promise is broken."""
    import csv

    with open(incidents_csv, encoding="utf-8") as f:
        planted = {(row["kind"], row["source_record_id"]) for row in csv.DictReader(f)}
    assert {kind for kind, _ in planted} == PROMISE_KINDS
    broken = set(
        con.execute(
            "select kind, source_record_id from marts.open_promises where status in ('open', 'resolved')"
        ).fetchall()
    )
    assert planted - broken == set(), "planted but not found"
    assert broken - planted == set(), "found but never planted"
