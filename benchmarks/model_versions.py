"""Two versions of one model's compiled SQL on a built warehouse: each timed in turn, and the
rows compared, so that a rewrite is held to the same answer and its speed measured on real
volumes without a whole night.

    python -m benchmarks.model_versions OLD.sql NEW.sql WAREHOUSE.duckdb [--rounds 2]

OLD.sql and NEW.sql are dbt's compiled SQL (`target/compiled/.../<model>.sql`, e.g. from the
night's `dbt_target` and from `dbt compile -s <model>` on the new code). The warehouse is
attached read-only; the results are temporary tables in memory (DuckDB spills past
--memory-limit)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb


def compare(old_sql: str, new_sql: str, warehouse: Path, rounds: int = 2, memory_limit: str = "8GB") -> dict:
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as c360 (read_only)")
    con.execute("use c360")
    con.execute(f"set memory_limit = '{memory_limit}'")
    seconds: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(rounds):
        for name, sql in (("old", old_sql), ("new", new_sql)):
            started = time.perf_counter()
            con.execute(f"create or replace temp table version_{name} as {sql}")
            seconds[name].append(round(time.perf_counter() - started, 2))
    rows = con.execute("select count(*) from version_old").fetchone()[0]
    only_old = con.execute("select count(*) from (from version_old except all from version_new)").fetchone()[0]
    only_new = con.execute("select count(*) from (from version_new except all from version_old)").fetchone()[0]
    con.close()
    return {"seconds": seconds, "rows": rows, "rows_only_in_old": only_old, "rows_only_in_new": only_new}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory-limit", default="8GB")
    args = parser.parse_args()
    result = compare(args.old.read_text(), args.new.read_text(), args.warehouse, args.rounds, args.memory_limit)
    print(
        f"old {result['seconds']['old']} s, new {result['seconds']['new']} s; {result['rows']:,} rows, "
        f"{result['rows_only_in_old']} only in old, {result['rows_only_in_new']} only in new"
    )
    return 0 if result["rows_only_in_old"] == result["rows_only_in_new"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
