"""The dbt project's unit tests hold for any company: each pins the variables its hand-computed
rows depend on, starting with the time zone, instead of taking them from the company's config
(the us demo, in Chicago, failed a Shanghai-computed test of business minutes)."""

from __future__ import annotations

from pathlib import Path

import yaml

MODELS = Path(__file__).resolve().parents[1] / "dbt_project" / "models"


def test_every_dbt_unit_test_pins_the_company_time_zone():
    unpinned = []
    for path in sorted(MODELS.rglob("*.yml")):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            if "company_time_zone" not in ((test.get("overrides") or {}).get("vars") or {}):
                unpinned.append(f"{path.relative_to(MODELS)}: {test['name']}")
    assert unpinned == []
