"""The warehouse's values in the reader's language (dashboards/words.py): every sentence the
warehouse composes has its Chinese, every word of its closed lists has one, the Chinese adds no
English of its own, and a Chinese page shows none of the warehouse's raw values."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import words
from dashboards.i18n import CATALOGUE
from scoring.features import FEATURES

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py")
# the abbreviations a Chinese reader meets as they are
ABBREVIATIONS = {"IVR", "CSAT", "NPS", "SLA", "API", "CES", "CRM", "OTIF", "CSV", "splink", "c360"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
CJK = re.compile(r"[\u4e00-\u9fff]")
VOCABULARIES = sorted(
    {
        *(
            name
            for names in words.COLUMN_VOCABULARY.values()
            for name in ([names] if isinstance(names, str) else names)
        ),
        *words.PART_VOCABULARY.values(),
        "ticket_status",
        "promise_status",
    }
)


@pytest.fixture
def chinese():
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # session state outside a running app
    st.session_state["language"] = "zh"
    yield
    del st.session_state["language"]


def english_words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(text)) - ABBREVIATIONS


def test_the_chinese_adds_no_english_of_its_own():
    for pattern, zh in [*words.SENTENCES_ZH, *words.MATCHES_ZH]:
        assert not english_words(re.sub(r"\{[a-z_0-9]+\}", "", zh)), (pattern, zh)
    for feature, zh in words.FEATURES_ZH.items():
        assert not english_words(zh.replace("{}", "")), (feature, zh)
    for key, entry in CATALOGUE.items():
        if key.split(".")[0] in VOCABULARIES:
            assert not english_words(entry["zh"]), (key, entry["zh"])


def test_every_reason_the_churn_model_gives_reads_in_chinese(chinese):
    assert set(words.FEATURES_ZH) == set(FEATURES), "scoring/features.py and dashboards/words.py name the same features"
    for feature, template in FEATURES.items():
        english = template.format(0.25)
        printed = re.search(r"[\d.,]+%?", english).group()
        assert words.sentence(english) == words.FEATURES_ZH[feature].format(printed), feature


def test_sentences_keep_the_companys_words_and_read_their_parts(chinese):
    assert words.sentence("Cross-sell Material Handling") == "交叉销售：Material Handling"
    assert (
        words.sentence("churn risk 71 %: 2 complaint ticket(s) in 180 days; only 1 order(s) so far")
        == "流失风险 71 %：180 天内 2 张投诉工单；迄今仅 1 笔订单"
    )
    assert words.sentence("ticket #263, 166 working day(s) overdue") == "工单 #263，逾期 166 个工作日"
    assert words.sentence("phone: do-not-call; e-mail: reachable") == "电话：拒绝来电；邮件：可达"
    assert (
        words.sentence("Negotiation/Review, 105200: no activity for 23 working days; past its close date")
        == "Negotiation/Review，105200：23 个工作日没有跟进；已过预计成交日期"
    )
    assert words.sentence("Ann Lee (Decision Maker, primary); Bo Li (Custom Role)") == (
        "Ann Lee（决策人，主要联系人）；Bo Li（Custom Role）"
    )
    assert words.match("similar name (0.83)") == "名称相近（0.83）"
    assert words.match("phone +86 21 5555 0101") == "电话 +86 21 5555 0101"
    assert words.sentence("Something a company wrote itself") == "Something a company wrote itself"
    assert not words.knows("Something a company wrote itself")


def test_english_readers_get_the_warehouses_sentences_as_stored():
    assert words.sentence("ticket #263, 166 working day(s) overdue") == "ticket #263, 166 working day(s) overdue"


# the published warehouse's sentences, by where they are; the CRM's activities are its own words
SENTENCES = {
    "action_queue": ["action", "reason"],
    "customer_360": ["churn_reasons", "next_best_action", "next_best_action_reason"],
    "open_opportunities": ["stale_reason", "contact_roles"],
}
CLOSED_LISTS = {
    ("customer_360", "value_tier"): "tier",
    ("customer_360", "lifecycle_stage"): "lifecycle",
    ("customer_360", "customer_type"): "customer_type",
    ("action_queue", "status"): "status",
    ("action_queue", "kind"): "kind",
    ("action_queue", "department"): "department",
    ("open_promises", "status"): "promise_status",
    ("open_promises", "kind"): "kind",
    ("service_tickets", "status"): "ticket_status",
    ("service_tickets", "priority"): "priority",
    ("fct_touchpoints", "channel"): "channel",
    ("fct_touchpoints", "touchpoint_type"): "touchpoint",
    ("fct_touchpoints", "department"): "department",
    ("satisfaction_daily", "channel"): "channel",
    ("satisfaction_themes_monthly", "theme"): "theme",
}


@pytest.mark.integration
def test_every_sentence_of_the_published_warehouse_reads_in_chinese(warehouse, chinese):
    values = [
        value
        for table, columns in SENTENCES.items()
        for column in columns
        for (value,) in warehouse.execute(
            f"select distinct {column} from marts.{table} where {column} <> ''"
        ).fetchall()
    ]
    values += [
        value
        for (value,) in warehouse.execute(
            "select distinct summary from marts.fct_touchpoints where touchpoint_type <> 'crm_activity'"
        ).fetchall()
    ]
    assert len(values) > 100, "the small company has actions, reasons and a timeline"
    unknown = [value for value in values if not words.knows(value)]
    assert not unknown, f"sentences dashboards/words.py does not know: {unknown[:5]}"
    assert all(words.sentence(value) != value for value in values)


@pytest.mark.integration
def test_every_word_of_the_warehouses_closed_lists_reads_in_chinese(warehouse):
    for (table, column), vocabulary in CLOSED_LISTS.items():
        found = {value for (value,) in warehouse.execute(f"select distinct {column} from marts.{table}").fetchall()}
        missing = sorted(value for value in found - {None} if f"{vocabulary}.{value}" not in CATALOGUE)
        assert not missing, f"marts.{table}.{column}: no {vocabulary}.<value> in the catalogue for {missing}"


def raw_values() -> set[str]:
    """The warehouse's own spelling of every closed-list word that reads otherwise in Chinese."""
    return {key.split(".", 1)[1] for key in CATALOGUE if key.split(".")[0] in VOCABULARIES}


PAGES = [
    "views/overview.py",
    "views/satisfaction.py",
    "views/service_calls.py",
    "views/delivery.py",
    "views/segments_churn.py",
    "views/open_promises.py",
    "views/pipeline.py",
    "views/worklist.py",
    "views/data_health.py",
    "views/customer_360.py",
]


def chinese_pages(monkeypatch, config: Path, warehouse):
    """Each page rendered in 中文, as (page, AppTest); Customer 360 opens the customer with the
    most actions, and the list behind each of the Overview's figures and charts is a page of its own."""
    from dashboards.queries.figure_details import LISTS

    monkeypatch.setenv("C360_CONFIG", str(config))
    (customer,) = warehouse.execute(
        "select customer_id from marts.action_queue group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()
    views = [(page, {}) for page in PAGES if not page.endswith("customer_360.py")]
    views += [("views/customer_360.py", {"customer": customer})]
    views += [("views/figure_details.py", {"kpi": kpi}) for kpi in LISTS]
    for page, params in views:
        at = AppTest.from_file(APP, default_timeout=60).switch_page(page)
        at.query_params = {"lang": "zh", **params}
        at.run()
        name = f"{page}?kpi={params['kpi']}" if "kpi" in params else page
        assert not at.exception, (name, [e.value for e in at.exception])
        yield name, at


@pytest.mark.integration
def test_a_chinese_page_shows_no_raw_value_of_the_warehouse(monkeypatch, published_company, warehouse):
    """No value as the warehouse stores it (a status, a tier, a reason in English), and no missing
    value as Python's "None": each table draws one as a dash (a canvas, which the browser test
    cannot read, so the table's own setting is checked, on tables that hold such values)."""
    from dashboards import ui

    config, _ = published_company
    raw = raw_values()
    checked = {}
    with_missing_values = 0
    for page, at in chinese_pages(monkeypatch, config, warehouse):
        for frame in at.dataframe:
            shown = frame.value
            assert frame.proto.placeholder == ui.MISSING, f"{page}: a missing value reads {frame.proto.placeholder!r}"
            with_missing_values += bool(shown.isna().any().any())
            for column in shown.columns:
                if column in words.SENTENCE_COLUMNS:
                    texts = [v for v in shown[column] if isinstance(v, str) and v]
                    assert all(CJK.search(v) for v in texts), (
                        page,
                        column,
                        [v for v in texts if not CJK.search(v)][:3],
                    )
                elif column in words.COLUMN_VOCABULARY and column != "owner":
                    texts = [v for v in shown[column] if isinstance(v, str) and v]
                    left = sorted(set(texts) & raw)
                    assert not left, f"{page}: {column} shows the warehouse's {left}"
                else:
                    continue
                checked[(page, column)] = len(texts)
    assert sum(checked.values()) > 100, checked
    assert with_missing_values >= 5, "tables with values missing, whose dash is checked"
    for column in ("action", "reason", "status", "kind", "value_tier", "department", "summary", "churn_reasons"):
        assert any(n for (_, shown_column), n in checked.items() if shown_column == column), f"no page showed {column}"


@pytest.mark.integration
def test_money_reads_in_the_companys_currency_and_the_readers_units(monkeypatch, published_company):
    """The small company keeps its books in yuan (its calendar country's currency): 亿 and 万 in
    Chinese, M and B in English, never a bare number."""
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    shown = {}
    for language, label in (("en", "Revenue, 12 months"), ("zh", "近 12 个月收入")):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params = {"lang": language}
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown[language] = next(m.value for m in at.metric if m.label == label)
    assert re.fullmatch(r"CN¥[\d,.]+[KMB]", shown["en"]), shown
    assert re.fullmatch(r"¥[\d,.]+(万|亿)", shown["zh"]), shown


# the company's own words, which a page shows as the company wrote them (names and data)
COMPANYS_WORDS = [
    "select distinct queue_name from marts.callcenter_hourly",
    "select distinct agent from marts.callcenter_hourly",
    "select distinct product_family from marts.segment_family_matrix",
    "select distinct stage from marts.open_opportunities",
    "select distinct owner from marts.action_queue",
    "select distinct display_name from marts.customer_360",
]


def page_texts(at: AppTest) -> list[str]:
    """Every text a page shows outside its tables' cells (tested above): titles, captions, cards,
    pickers, column headers, and what its charts write (titles, legends, categories, hover)."""
    import json

    shown = [
        e.value
        for kind in ("title", "header", "subheader", "caption", "markdown", "info", "success", "warning")
        for e in at.get(kind)
    ]
    shown += [text for m in at.metric for text in (m.label, m.value, m.delta or "")]
    shown += [text for w in [*at.selectbox, *at.multiselect, *at.radio] for text in (w.label, *w.options)]
    for frame in at.dataframe:
        shown += [c.get("label") or "" for c in json.loads(frame.proto.columns or "{}").values() if isinstance(c, dict)]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec["layout"]
        for axis in (key for key in layout if key.startswith(("xaxis", "yaxis"))):
            shown.append((layout[axis].get("title") or {}).get("text") or "")
            shown += [str(v) for v in layout[axis].get("categoryarray") or []]
        shown.append(((layout.get("legend") or {}).get("title") or {}).get("text") or "")
        shown += [note.get("text", "") for note in layout.get("annotations", [])]
        for trace in spec["data"]:
            shown += [trace.get("name") or "", re.sub(r"%\{[^}]*\}|<[^>]*>", " ", trace.get("hovertemplate") or "")]
            for axis in ("x", "y"):
                values = trace.get(axis)
                if isinstance(values, list) and values and isinstance(values[0], str):
                    shown += values
    return shown


def english_left_over(config: Path, warehouse) -> Callable[[str], set[str]]:
    """What reads as English in a text of a 中文 page once the company's own words (its names and
    data), its time zone, its currency's symbol, ids and the language picker are taken out (the
    browser's check in test_browser.py reads the same way)."""
    import babel.numbers

    from c360.config import load_config

    companys = sorted(
        {value for sql in COMPANYS_WORDS for (value,) in warehouse.execute(sql).fetchall() if value},
        key=len,
        reverse=True,
    )
    company = load_config(config)
    zone_name = re.escape(company.time_zone)
    # a time's zone ("16:43 CST (Asia/Shanghai)"), the currency's symbol in Chinese (US$), and ids
    symbol = re.escape(babel.numbers.get_currency_symbol(company.currency, "zh_Hans_CN"))
    own = re.compile(rf"\S+ \({zone_name}\)|{zone_name}|{symbol}|\b\w*\d\w*\b")

    def left_over(text: str) -> set[str]:
        text = own.sub(" ", text.replace("Language / 语言", "").replace("English", ""))  # the language picker
        for value in companys:
            text = text.replace(value, " ")
        return english_words(text)

    return left_over


def english_on_chinese_pages(monkeypatch, config: Path, warehouse) -> dict[str, set[str]]:
    """Each page in 中文 (Customer 360: the customer with the most actions), and the English words
    it shows outside the company's names and data, its time zone, its currency's symbol and ids."""
    left_over = english_left_over(config, warehouse)
    english = {}
    for page, at in chinese_pages(monkeypatch, config, warehouse):
        for text in page_texts(at):
            if left := left_over(text):
                english.setdefault(page, set()).update(left)
    return english


@pytest.mark.integration
def test_a_chinese_page_shows_no_english_outside_names_and_data(monkeypatch, published_company, warehouse):
    config, _ = published_company
    english = english_on_chinese_pages(monkeypatch, config, warehouse)
    assert not english, f"English words on 中文 pages: {english}"
