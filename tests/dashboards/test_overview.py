"""The overview page renders the published numbers (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py")


def run_app(monkeypatch, config) -> AppTest:
    monkeypatch.setenv("C360_CONFIG", str(config))
    return AppTest.from_file(APP, default_timeout=60).run()


@pytest.mark.integration
def test_overview_shows_the_published_kpis_and_the_publish_time(monkeypatch, published_company):
    config, _ = published_company
    at = run_app(monkeypatch, config)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    con = duckdb.connect(str((config.parent / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True)
    customers = con.execute("select count(*) from marts.dim_customer where customer_type <> 'unidentified'").fetchone()[
        0
    ]
    open_tickets = con.execute("select sum(open_tickets) from marts.customer_360").fetchone()[0]
    con.close()
    assert metrics["Customers"] == f"{customers:,}"
    assert metrics["Open tickets"] == f"{open_tickets:,}"
    assert any("Data published" in c.value for c in at.caption)
    assert at.get("plotly_chart"), "the monthly touchpoints chart is drawn"


def test_overview_says_when_nothing_is_published_yet(monkeypatch, tmp_path):
    from datetime import date

    import yaml

    from demo.generate import demo_config

    for folder in ("logistics", "call_center", "crm"):
        (tmp_path / folder).mkdir()
    (tmp_path / "crm" / "crm.sqlite").write_bytes(b"")
    config = tmp_path / "c360.yml"
    config.write_text(yaml.safe_dump(demo_config(date(2026, 1, 1), 8765)), encoding="utf-8")
    at = run_app(monkeypatch, config)
    assert not at.exception
    assert any("Nothing has been published yet" in i.value for i in at.info)
