"""The Pipeline page on a company whose CRM has open deals (a small us demo company: every stage,
some stale), and on one whose CRM has none (Streamlit AppTest, in this process)."""

from __future__ import annotations

import pytest

from tests.conftest import SESSION_AS_OF, c360, free_port, serving_demo_api, wait_for_port
from tests.dashboards.test_browser import (  # noqa: F401 - browser: the fixture
    browser,
    click_a_bar,
    no_error_box,
    open_page,
    screenshot,
    start_dashboard,
)
from tests.dashboards.test_pages import open_app, published, rendered_ok
from tests.dashboards.test_words import english_on_chinese_pages

pytestmark = pytest.mark.integration

PAGE = "views/pipeline.py"


@pytest.fixture(scope="module")
def company_with_deals(tmp_path_factory):
    out = tmp_path_factory.mktemp("pipeline_company")
    c360(
        "demo", "--profile", "us", "--customers", "80", "--seed", "7", "--out", str(out), "--api-port", str(free_port())
    )
    config = out / "c360.yml"
    with serving_demo_api(config):
        c360("run", "--config", str(config), env={"C360_AS_OF": SESSION_AS_OF})
    return config


# a us company of its own (about 65 s a night): make test-slow; make test keeps the page without deals
@pytest.mark.slow
def test_the_pipeline_shows_the_open_deals_by_stage_and_the_stale_ones_biggest_first(monkeypatch, company_with_deals):
    with published(company_with_deals) as con:
        deals, stale, stages = con.execute(
            "select count(*), count(*) filter (where is_stale), count(distinct stage) from marts.open_opportunities"
        ).fetchone()
        stale_amounts = [
            a
            for (a,) in con.execute(
                "select amount from marts.open_opportunities where is_stale order by amount desc"
            ).fetchall()
        ]
    assert deals and 0 < stale < deals and stages >= 2, "the us company plants deals in every stage, some stale"
    at = open_app(monkeypatch, company_with_deals, PAGE)
    rendered_ok(at)
    figures = {m.label: m.value for m in at.metric}
    assert figures["Open deals"] == f"{deals:,}" and figures["Stale deals"] == f"{stale:,}"
    by_stage, stale_list = (frame.value for frame in at.dataframe)
    assert len(by_stage) == stages and by_stage["deals"].sum() == deals
    assert list(stale_list["amount"]) == stale_amounts, "every stale deal, the biggest first"
    assert stale_list.iloc[:, 0].str.startswith("customer_360?customer=").all(), "each row opens its customer"


@pytest.mark.slow
def test_the_pipeline_reads_in_chinese(monkeypatch, company_with_deals):
    at = open_app(monkeypatch, company_with_deals)
    at.radio(key="widget-language").set_value("zh").run()
    at.switch_page(PAGE).run()
    rendered_ok(at)
    assert at.title[0].value == "销售管道"
    assert {"进行中的商机", "管道金额", "加权管道金额", "停滞商机"} <= {m.label for m in at.metric}
    assert {"按阶段", "需要跟进的停滞商机"} <= {s.value for s in at.subheader}
    # every page of this company, whose deals, stages and roles the small cn company lacks
    with published(company_with_deals) as con:
        english = english_on_chinese_pages(monkeypatch, company_with_deals, con)
    assert not english, f"English words on 中文 pages: {english}"


def test_a_crm_without_open_deals_says_so(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config, PAGE)
    rendered_ok(at)
    assert {m.label: m.value for m in at.metric}["Open deals"] == "0"
    assert any("No open opportunities" in info.value for info in at.info)


@pytest.mark.slow
def test_the_pipeline_and_a_customers_days_in_stage_in_chromium_in_both_languages(company_with_deals, browser):  # noqa: F811
    """Screenshots of the Pipeline page and of the Customer 360 of the customer with the most open
    deals (their days in stage), in English and 中文 (test-artifacts/)."""
    with published(company_with_deals) as con:
        (customer,) = con.execute(
            "select customer_id from marts.open_opportunities group by 1 order by count(*) desc, 1 limit 1"
        ).fetchone()
    port = free_port()
    process = start_dashboard(company_with_deals, port)
    try:
        wait_for_port(port, timeout=60)
        for path, shown, shot in (
            ("pipeline?lang=en", "Stale deals to act on", "dashboard-pipeline-deals.png"),
            ("pipeline?lang=zh", "需要跟进的停滞商机", "dashboard-pipeline-deals-zh.png"),
            (f"customer_360?customer={customer}&lang=en", "Open opportunities", "dashboard-customer_360-deals.png"),
            (f"customer_360?customer={customer}&lang=zh", "进行中的商机", "dashboard-customer_360-deals-zh.png"),
        ):
            page = open_page(browser, f"http://127.0.0.1:{port}/{path}")
            try:
                page.get_by_text(shown, exact=False).first.wait_for(timeout=30_000)
                no_error_box(page)
                screenshot(page, shot)
            finally:
                page.close()
        # a stage's bar clicked opens that stage's open deals, every one of them
        page = open_page(browser, f"http://127.0.0.1:{port}/pipeline")
        try:
            listed, rows, _ = click_a_bar(page, "open deals")
            (stage,) = set(rows["stage"])
            with published(company_with_deals) as con:
                (deals,) = con.execute(
                    "select count(*) from marts.open_opportunities where stage = ?", [stage]
                ).fetchone()
            assert len(rows) == listed == deals > 0
        finally:
            page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
