"""The engine's limit for the transformations: the dbt project's own SQL, compiled by
`dbt compile`, run directly on one DuckDB connection without dbt or Dagster.

Every model is created in dependency order as dbt would materialise it (view or table; no
model has a post-hook, and one would need its plain equivalent here), and every data test's
query is run and its failing rows counted, so the statements match what `dbt build` runs. The
difference between the nightly run's dbt steps and this is the price of the framework: dbt's
start-up, its graph and logging, Dagster's step around each invocation.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb


def compiled_project(work_db: Path, dbt_vars: dict, target: Path) -> dict:
    """`dbt compile` of the whole project against `work_db`; returns the manifest. In a process
    of its own: dbt-duckdb keeps its connection open in the process that
    ran it, which would hold the warehouse for the plain run that follows."""
    from pipelines.dbt import DBT_PROJECT_DIR, dbt_executable  # Dagster and dbt: seconds to import, for this part only

    done = subprocess.run(
        [dbt_executable(), "compile", "--quiet", "--project-dir", str(DBT_PROJECT_DIR)]
        + ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target), "--vars", json.dumps(dbt_vars)],
        env={**os.environ, "C360_WORK_DB": str(work_db)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"dbt compile failed: {(done.stdout + done.stderr)[-2000:]}")
    return json.loads((target / "manifest.json").read_text())


def statements(manifest: dict) -> list[tuple[str, str, list[str]]]:
    """(node id, kind, SQL statements) for every model and test, in dependency order."""
    nodes = {key: node for key, node in manifest["nodes"].items() if node["resource_type"] in ("model", "test")}
    graph = {key: [d for d in node["depends_on"]["nodes"] if d in nodes] for key, node in nodes.items()}
    ordered = []
    for key in TopologicalSorter(graph).static_order():
        node = nodes[key]
        sql = node["compiled_code"]
        if node["resource_type"] == "test":
            ordered.append((key, "test", [f"select count(*) from ({sql}) as failures"]))
            continue
        relation = node["relation_name"]
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        todo = [
            f"create schema if not exists {relation.rsplit('.', 1)[0]}",
            f"create or replace {kind} {relation} as {sql}",
        ]
        hooks = node["config"].get("post-hook", [])
        if hooks:
            raise ValueError(f"{key}: post-hook {hooks[0]['sql']!r} has no plain-SQL equivalent here")
        ordered.append((key, kind, todo))
    return ordered


def run_plain(work_db: Path, dbt_vars: dict, memory_limit: str) -> dict:
    """Compile, then time the whole project's SQL on `work_db` itself (which must hold a
    night's raw, identity and scoring tables): it rebuilds every model the night built, with
    the same statements, so the warehouse holds what it held (a copy of a million customers'
    warehouse would need 25 GB more disk)."""
    with tempfile.TemporaryDirectory(prefix="c360-plain-sql-") as tmp:
        manifest = compiled_project(work_db, dbt_vars, Path(tmp) / "target")
        todo = statements(manifest)
        con = duckdb.connect(str(work_db))
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute("set preserve_insertion_order = false")
        started = time.perf_counter()
        failing_tests = 0
        for _key, kind, sqls in todo:
            for sql in sqls:
                rows = con.execute(sql).fetchall()
            if kind == "test" and rows[0][0]:
                failing_tests += 1
        seconds = time.perf_counter() - started
        con.close()
    return {
        "models": sum(kind != "test" for _, kind, _ in todo),
        "tests": sum(kind == "test" for _, kind, _ in todo),
        "tests_with_failing_rows": failing_tests,
        "seconds": round(seconds, 2),
    }
