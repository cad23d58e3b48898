"""Analysts never need to ask where a number came from: every column of every published mart
is described in the dbt YAML, and `c360 docs` writes those descriptions into one page."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import c360

pytestmark = pytest.mark.integration

MANIFEST = Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "manifest.json"


def test_every_column_of_every_published_mart_has_a_description(published_company):
    config, _ = published_company
    manifest = json.loads(MANIFEST.read_text())
    described = {
        node["name"]: {name for name, column in node["columns"].items() if column.get("description", "").strip()}
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    con = duckdb.connect(str((config.parent / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True)
    columns = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'marts'"
    ).fetchall()
    tables = {table for table, _ in columns}
    con.close()
    assert len(tables) >= 15
    missing = sorted(f"{table}.{column}" for table, column in columns if column not in described.get(table, set()))
    assert not missing, f"columns without a description in the dbt YAML: {missing}"


@pytest.mark.slow  # dbt docs generate over the whole project (about 35 s): make test-slow
def test_c360_docs_writes_one_page_with_the_marts_and_their_column_descriptions(published_company):
    config, _ = published_company
    result = c360("docs", "--config", str(config), "--no-serve")
    page = config.parent / "warehouse" / "docs" / "static_index.html"
    assert str(page) in result.stdout
    html = page.read_text(encoding="utf-8")
    assert "callcenter_hourly" in html
    assert "Average speed of answer: mean hold time" in html
    catalog = json.loads((page.parent / "catalog.json").read_text())
    assert "model.c360.customer_360" in catalog["nodes"], "column types come from the published warehouse"
    assert not list((config.parent / "warehouse").glob(".docs-*")), "the private copy is deleted"
