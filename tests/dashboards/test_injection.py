"""The search box and every filter are safe against SQL injection: what a user types or picks
reaches DuckDB as a bound value, so an injection string is searched for like any other text
and finds nothing, and the published warehouse is the same afterwards."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.queries import customer_360 as customer_360_queries
from dashboards.queries import open_promises as open_promises_queries
from dashboards.queries import overview as overview_queries
from dashboards.queries import satisfaction as satisfaction_queries
from dashboards.queries import segments_churn as segments_churn_queries

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py")

pytestmark = pytest.mark.integration

INJECTIONS = [
    "' or '1'='1",
    "' or 1=1 --",
    "x'; drop table marts.customer_360; --",
    "%' union select customer_id, display_name, customer_type, 'x' from marts.dim_customer --",
    "'); copy (select * from marts.dim_customer) to '/tmp/c360-leak.csv'; --",
    "$q",
    "%",
    "_",
    "\\' or 1=1 /*",
    "1; attach '/tmp/evil.duckdb' as evil",
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published_file(published_company) -> Path:
    config, _ = published_company
    return (config.parent / "warehouse" / "published" / "current.duckdb").resolve()


@pytest.mark.parametrize("text", INJECTIONS)
def test_an_injection_typed_in_the_search_box_is_only_searched_for(
    monkeypatch, published_company, published_file, text
):
    config, _ = published_company
    before = digest(published_file)
    monkeypatch.setenv("C360_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("views/customer_360.py").run()
    at.text_input(key="customer_search").input(text).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.selectbox, f"{text!r} matched customers: {at.selectbox[0].options if at.selectbox else ''}"
    assert any("No customer matches" in w.value for w in at.warning)
    assert digest(published_file) == before
    assert not Path("/tmp/c360-leak.csv").exists()


def test_injections_in_the_filters_select_nothing_rather_than_everything(monkeypatch, published_company):
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    from dashboards import data

    version = data.publish_version()
    info = data.publish_info(version)
    start, end = date(2000, 1, 1), info["as_of"]
    everyone = overview_queries.overview(version, start, end, ())
    assert everyone["customers"][0] > 0
    for text in INJECTIONS:
        tiers = (text,)
        assert overview_queries.overview(version, start, end, tiers)["customers"][0] == 0, text
        assert segments_churn_queries.churn_list(version, tiers).empty, text
        assert segments_churn_queries.tier_by_stage(version, tiers).empty, text
        assert satisfaction_queries.satisfaction_by_month(version, start, end, tiers).empty, text
        assert open_promises_queries.promise_queue(version, tiers).empty, text
        customer = segments_churn_queries.churn_list(version, ())["customer_id"].iloc[0]
        assert customer_360_queries.customer_timeline(version, customer, start, end, (text,), ()).empty, text
        assert customer_360_queries.customer_timeline(version, customer, start, end, (), (text,)).empty, text
    assert satisfaction_queries.satisfaction_by(version, "segment", start, end, ()).shape[0] > 0
    with pytest.raises(KeyError):  # the grouping column is picked from a fixed list, never taken as text
        satisfaction_queries.satisfaction_by(version, "segment; drop table x", start, end, ())


def test_the_lookup_treats_like_wildcards_as_plain_characters(published_company):
    from c360.config import load_config
    from c360.lookup import find_customers
    from c360.warehouse import WarehousePaths, open_published

    config, _ = published_company
    settings = load_config(config)
    con = open_published(WarehousePaths(settings.warehouse_dir))
    try:
        for text in ("%", "_", "%%", "' or '1'='1"):
            assert find_customers(con, text, settings.phone_region, b"key") == [], text
    finally:
        con.close()
