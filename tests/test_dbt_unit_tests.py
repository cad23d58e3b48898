"""The dbt project's unit tests pass, and hold for any company: each pins the variables its
hand-computed rows depend on, starting with the time zone, instead of taking them from the
company's config (the us demo, in Chicago, failed a Shanghai-computed test of business minutes)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.dbt_runs import copy_of_the_night, dbt_test

MODELS = Path(__file__).resolve().parents[1] / "dbt_project" / "models"


def declared_unit_tests() -> list[tuple[Path, dict]]:
    """Every unit test the project's YAML declares, with the file declaring it."""
    return [
        (path, test)
        for path in sorted(MODELS.rglob("*.yml"))
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", [])
    ]


def test_every_dbt_unit_test_pins_the_company_time_zone():
    unpinned = [
        f"{path.relative_to(MODELS)}: {test['name']}"
        for path, test in declared_unit_tests()
        if "company_time_zone" not in ((test.get("overrides") or {}).get("vars") or {})
    ]
    assert unpinned == []


def test_the_dbt_unit_tests_pass(published_company, tmp_path, monkeypatch):
    """The night leaves the unit tests out of its builds (they check the SQL, not the night's
    data); they run here, against a copy of a night's working database, whose tables give dbt
    the column types of each tested model's inputs."""
    config_file, _ = published_company
    copy_of_the_night(config_file, tmp_path, monkeypatch)
    result = dbt_test(config_file, "test_type:unit", tmp_path / "target")
    ran = [r for r in result.result or [] if r.node.resource_type == "unit_test"]
    failed = [f"{r.node.unique_id}: {r.message}" for r in ran if r.status != "pass"]
    assert result.success and not failed, "\n".join(failed) or str(result.exception)
    assert len(ran) == len(declared_unit_tests()) > 0
