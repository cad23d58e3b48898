"""dbt built inside the night's process (pipelines.dbt_in_process), on a project of two models
and two tests written here: its results become Dagster outputs and asset checks, a failing test
fails the step with dbt's own words, and the warehouse file is free again once the build ends."""

import json
import textwrap
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import dbt_assets

from pipelines.dbt_in_process import DbtBuildError, build, parsed_manifest

PROFILE = """
tiny:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{ env_var('TINY_DB') }}"
      threads: 2
"""


def tiny_project(root: Path, *, failing: bool) -> Path:
    project = root / "tiny"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: tiny\nversion: '1.0'\nprofile: tiny\nconfig-version: 2\n")
    (project / "profiles.yml").write_text(PROFILE)
    (project / "models" / "orders.sql").write_text("select 1 as order_id, {{ var('amount') }} as amount")
    (project / "models" / "big_orders.sql").write_text("select * from {{ ref('orders') }} where amount > 10")
    accepted = "[5]" if failing else "[7]"
    (project / "models" / "schema.yml").write_text(
        textwrap.dedent(f"""
            version: 2
            models:
              - name: orders
                columns:
                  - name: order_id
                    data_tests: [not_null]
                  - name: amount
                    data_tests:
                      - accepted_values:
                          arguments:
                            values: {accepted}
        """)
    )
    return project


def materialize(tmp_path: Path, *, failing: bool, monkeypatch) -> tuple[dg.ExecuteInProcessResult, Path]:
    project = tiny_project(tmp_path, failing=failing)
    work_db = tmp_path / "tiny.duckdb"
    monkeypatch.setenv("TINY_DB", str(work_db))
    target = tmp_path / "target"
    parsed_manifest(project, target, {"amount": 7})  # writes target/manifest.json, as `dbt parse` does

    @dbt_assets(manifest=json.loads((target / "manifest.json").read_text()), name="tiny_build")
    def tiny_build(context: dg.AssetExecutionContext):
        yield from build(context, project, target, ["build"], {"amount": 7})

    result = dg.materialize([tiny_build], raise_on_error=False)
    return result, work_db


def test_every_model_becomes_an_output_and_every_test_an_asset_check(tmp_path, monkeypatch):
    result, _ = materialize(tmp_path, failing=False, monkeypatch=monkeypatch)
    assert result.success
    materialized = {m.asset_key.path[-1] for m in result.asset_materializations_for_node("tiny_build")}
    assert materialized == {"orders", "big_orders"}
    checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert len(checks) == 2 and all(check.passed for check in checks)


def test_a_failing_test_fails_the_step_naming_the_test_and_the_models_before_it_stay_built(tmp_path, monkeypatch):
    result, _ = materialize(tmp_path, failing=True, monkeypatch=monkeypatch)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data.error
    while failure.cause is not None:
        failure = failure.cause
    assert failure.cls_name == DbtBuildError.__name__
    assert "dbt build failed" in failure.message and "accepted_values_orders_amount" in failure.message
    # the model the failing test checks was built and reported; the one after it was skipped
    materialized = {m.asset_key.path[-1] for m in result.asset_materializations_for_node("tiny_build")}
    assert materialized == {"orders"}
    failed = [e for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert [c.event_specific_data.passed for c in failed].count(False) == 1


def test_the_warehouse_file_is_free_for_another_configuration_once_the_build_ends(tmp_path, monkeypatch):
    result, work_db = materialize(tmp_path, failing=False, monkeypatch=monkeypatch)
    assert result.success
    # DuckDB refuses a second configuration of a file this process still has open
    with duckdb.connect(str(work_db), config={"threads": 1, "memory_limit": "512MB"}) as con:
        assert con.execute("select amount from main.orders").fetchall() == [(7,)]


def test_the_project_is_parsed_once_per_process_and_vars(tmp_path, monkeypatch):
    project = tiny_project(tmp_path, failing=False)
    monkeypatch.setenv("TINY_DB", str(tmp_path / "tiny.duckdb"))
    target = tmp_path / "target"
    first = parsed_manifest(project, target, {"amount": 7})
    assert parsed_manifest(project, target, {"amount": 7}) is first
    assert parsed_manifest(project, target, {"amount": 8}) is not first
