"""The dbt project's integrity tests (dbt_project/tests/integrity), which every night runs: on a
copy of a night's working database they pass; with a ticket taken off the timeline, a record
taken out of the identity map and a customer's revenue changed, each of them warns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
from dbt.cli.main import dbtRunner

from c360.config import load_config
from pipelines.dbt import DBT_PROJECT_DIR, dbt_vars
from tests.conftest import SESSION_AS_OF

INTEGRITY = DBT_PROJECT_DIR / "tests" / "integrity"


def run_integrity_tests(config_file: Path, work_db: Path, target: Path) -> dict[str, str]:
    config = load_config(config_file)
    result = dbtRunner().invoke(
        ["test", "--select", "path:tests/integrity", "--project-dir", str(DBT_PROJECT_DIR)]
        + ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)]
        + ["--vars", json.dumps(dbt_vars(config))]
    )
    assert result.success, str(result.exception)
    return {r.node.name: str(r.status) for r in result.result}


def test_the_integrity_tests_pass_on_a_night_and_warn_on_each_loss(published_company, tmp_path, monkeypatch):
    config_file, _ = published_company
    work_db = tmp_path / "c360.duckdb"
    shutil.copyfile(load_config(config_file).warehouse_dir / "work" / "c360.duckdb", work_db)
    monkeypatch.setenv("C360_WORK_DB", str(work_db))  # the profile's DuckDB output names it
    monkeypatch.setenv("C360_AS_OF", SESSION_AS_OF)  # the night's "now", as the night pins it
    names = {path.stem for path in INTEGRITY.glob("*.sql")}
    assert len(names) == 3

    assert run_integrity_tests(config_file, work_db, tmp_path / "target") == dict.fromkeys(names, "pass")

    with duckdb.connect(str(work_db)) as con:
        con.execute(
            "delete from marts.fct_touchpoints where source_table = 'tickets' and source_record_id = "
            "(select min(source_record_id) from marts.fct_touchpoints where source_table = 'tickets')"
        )
        con.execute(
            "delete from marts.customer_identity_map where source_table = 'Contact' and source_record_id = "
            "(select min(source_record_id) from marts.customer_identity_map where source_table = 'Contact')"
        )
        con.execute(
            "update marts.customer_360 set revenue_12m = revenue_12m + 1 where customer_id = "
            "(select min(customer_id) from marts.customer_360 where revenue_12m > 0)"
        )
    assert run_integrity_tests(config_file, work_db, tmp_path / "target") == dict.fromkeys(names, "warn")
