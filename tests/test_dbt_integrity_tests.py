"""The dbt project's integrity tests (dbt_project/tests/integrity), which every night runs: on a
copy of a night's working database they pass; with a ticket taken off the timeline, a record
taken out of the identity map and a customer's revenue changed, each of them warns."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.dbt import DBT_PROJECT_DIR
from tests.conftest import SESSION_AS_OF
from tests.dbt_runs import copy_of_the_night, dbt_test

INTEGRITY = DBT_PROJECT_DIR / "tests" / "integrity"


def run_integrity_tests(config_file: Path, target: Path) -> dict[str, str]:
    result = dbt_test(config_file, "path:tests/integrity", target)
    assert result.success, str(result.exception)
    return {r.node.name: str(r.status) for r in result.result}


def test_the_integrity_tests_pass_on_a_night_and_warn_on_each_loss(published_company, tmp_path, monkeypatch):
    config_file, _ = published_company
    work_db = copy_of_the_night(config_file, tmp_path, monkeypatch)
    monkeypatch.setenv("C360_AS_OF", SESSION_AS_OF)  # the night's "now", as the night pins it
    names = {path.stem for path in INTEGRITY.glob("*.sql")}
    assert len(names) == 3

    assert run_integrity_tests(config_file, tmp_path / "target") == dict.fromkeys(names, "pass")

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
    assert run_integrity_tests(config_file, tmp_path / "target") == dict.fromkeys(names, "warn")
