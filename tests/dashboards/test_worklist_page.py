"""The Worklist page and the overview's worklist figures on the published small demo company
(Streamlit AppTest, in this process)."""

from __future__ import annotations

import pytest

from tests.dashboards.test_pages import open_app, published, rendered_ok

pytestmark = pytest.mark.integration

PAGE = "views/worklist.py"


def test_the_worklist_lists_what_is_still_to_do_overdue_first_and_counts_to_its_figures(monkeypatch, published_company):
    config, _ = published_company
    with published(config) as con:
        overdue, to_do = con.execute(
            "select count(*) filter (where status = 'overdue'), count(*) filter (where status = 'open') "
            "from marts.action_queue"
        ).fetchone()
        owner, owners_actions = con.execute(
            "select owner, count(*) from marts.action_queue where status in ('open', 'overdue') "
            "group by owner order by count(*) desc, owner limit 1"
        ).fetchone()
    assert overdue and to_do, "the demo's night leaves actions overdue and to do"
    at = open_app(monkeypatch, config, PAGE)
    rendered_ok(at)
    figures = {m.label: m.value for m in at.metric}
    assert figures["Overdue"] == f"{overdue:,}" and figures["To do"] == f"{to_do:,}"
    by_owner, actions = (frame.value for frame in at.dataframe)
    assert by_owner["overdue"].sum() == overdue and by_owner["open"].sum() == to_do
    assert len(actions) == overdue + to_do, "the list is every action still to do"
    statuses = list(actions["status"])
    assert statuses == sorted(statuses, key=lambda s: s != "overdue"), "overdue first"
    assert actions.iloc[:, 0].str.startswith("customer_360?customer=").all(), "each row opens its customer"
    assert at.get("plotly_chart"), "the owners' chart is drawn"
    at.selectbox(key="wl-owner").set_value(owner).run()
    rendered_ok(at)
    assert len(at.dataframe[1].value) == owners_actions and set(at.dataframe[1].value["owner"]) == {owner}
    at.multiselect(key="wl-status").set_value(["done"]).run()
    assert set(at.dataframe[1].value["status"]) <= {"done"}


def test_the_overview_shows_actions_done_against_overdue(monkeypatch, published_company):
    config, _ = published_company
    with published(config) as con:
        [(overdue,)] = con.execute("select count(*) from marts.action_queue where status = 'overdue'").fetchall()
    at = open_app(monkeypatch, config)
    rendered_ok(at)
    figures = {m.label: m.value for m in at.metric}
    assert figures["Actions overdue"] == f"{overdue:,}" and "Actions done" in figures


def test_the_worklist_reads_in_chinese(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)
    at.radio(key="widget-language").set_value("zh").run()
    at.switch_page(PAGE).run()
    rendered_ok(at)
    assert at.title[0].value == "待办行动"
    assert {"待办", "已逾期", "本期已完成"} <= {m.label for m in at.metric}
