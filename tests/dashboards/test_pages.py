"""Every dashboard page renders the published demo, shows its key elements, and follows the
filters (Streamlit AppTest, in this process)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from c360.warehouse import contacts_of
from dashboards import data, filters
from dashboards.queries import segments_churn as segments_churn_queries

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py")

pytestmark = pytest.mark.integration

# page -> subheaders it must show (English)
PAGES = {
    "views/overview.py": ["Worklist", "Reachable contacts", "Touchpoints by month and department"],
    "views/satisfaction.py": [
        "In the customers' own words",
        "Over time by channel",
        "By value tier",
        "By product family",
        "What preceded the bad ratings",
    ],
    "views/service_calls.py": ["Tickets by month", "Open backlog", "Calls by hour of day", "By queue", "By agent"],
    "views/delivery.py": ["Delivery and installation by month", "Order journey"],
    "views/segments_churn.py": [
        "Value pyramid × lifecycle stage",
        "Movement between tiers",
        "Revenue against the year before",
        "Value at risk, night by night",
        "Churn-risk list",
    ],
    "views/open_promises.py": ["Work queue"],
    "views/worklist.py": ["By owner", "Actions"],
    "views/figure_details.py": ["The list it is counted from"],
    "views/data_health.py": [
        "Recent runs",
        "Sources: freshness and rows",
        "Quality checks",
        "Identity resolution",
        "Reachable contacts, month by month",
    ],
}


def in_english(vocabulary: str, value: str) -> str:
    """A warehouse value as the English pages show it (dashboards/words.py: "no tier" for none)."""
    from dashboards.i18n import CATALOGUE

    return CATALOGUE.get(f"{vocabulary}.{value}", {}).get("en", value)


def published(config: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str((config.parent / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True)


def open_app(monkeypatch, config: Path, page: str | None = None) -> AppTest:
    monkeypatch.setenv("C360_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    return at


def rendered_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def chart_specs(at: AppTest) -> list[dict]:
    """The Plotly figures the page drew, as the JSON Streamlit sends the browser."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def default_view(monkeypatch, published_company) -> tuple[Path, str, tuple]:
    """The published company's config (in force), its publish and the pages' default period."""
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    version = data.publish_version()
    return config, version, filters._default_dates(version)


def figure_details_page(params: dict) -> AppTest:
    """The Figure details page opened by a link with these parameters, drawn without an error."""
    at = AppTest.from_file(APP, default_timeout=60).switch_page("views/figure_details.py")
    at.query_params = params
    at.run()
    rendered_ok(at)
    return at


def x_title(spec: dict) -> str | None:
    return spec["layout"].get("xaxis", {}).get("title", {}).get("text")


def plotted(values) -> list:
    """A trace's values as numbers: Plotly sends a numeric array as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict):
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def table_rows(at: AppTest) -> list[int]:
    return [len(frame.value) for frame in at.dataframe]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_its_sections_with_the_publish_time(monkeypatch, published_company, page):
    config, _ = published_company
    at = open_app(monkeypatch, config, page)
    rendered_ok(at)
    shown = [s.value for s in at.subheader]
    for heading in PAGES[page]:
        assert heading in shown, f"{page} lacks the section {heading!r}; it shows {shown}"
    assert any("Data published" in c.value for c in at.caption)
    assert at.dataframe, f"{page} shows no table"
    assert len(at.get("download_button")) == len(at.dataframe), "every table has its CSV download"


def test_overview_figures_equal_the_warehouse_and_lead_to_their_pages(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)
    rendered_ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {
        "Customers",
        "Ordering customers",
        "Revenue, 12 months",
        "CSAT",
        "NPS",
        "SLA compliance",
        "OTIF",
        "Abandonment rate",
        "Open promises",
        "High churn risk",
    }
    con = published(config)
    # customers are who had bought by the period's end (today, the publish's day), never prospects
    customers = con.execute("select count(distinct customer_id) from marts.order_fulfilment").fetchall()
    prospects = con.execute("select count(*) from marts.customer_360 where lifecycle_stage = 'prospect'").fetchall()
    assert prospects[0][0] > 0
    high = con.execute("select count(*) from marts.customer_360 where is_high_churn_risk").fetchall()
    con.close()
    assert metrics["Customers"] == f"{customers[0][0]:,}"
    assert metrics["High churn risk"] == f"{high[0][0]:,}"
    assert len(at.get("page_link")) == 12, "each figure (the worklist's, the reachable contacts') leads to its page"
    assert at.get("plotly_chart")


def test_data_rot_month_by_month_is_the_warehouses_on_the_overview_and_data_health(monkeypatch, published_company):
    config, _ = published_company
    con = published(config)
    months = con.execute(
        """select month_start_date,
                  100 * sum(share_of_contacts) filter (where channel = 'phone' and is_reachable),
                  100 * sum(share_of_contacts) filter (where channel = 'email' and is_reachable)
           from marts.customer_reachability_monthly group by 1 order by 1"""
    ).fetchall()
    rows = con.execute("select count(*) from marts.customer_reachability_monthly").fetchone()[0]
    con.close()
    assert len(months) >= 12 and rows >= 4 * len(months), "months, each channel with the reachable and reasons"
    (_, phone_before, email_before), (_, phone, email) = months[-2], months[-1]
    metrics = {m.label: m for m in open_app(monkeypatch, config).metric}
    assert metrics["Reachable by phone"].value == f"{phone or 0:.1f} %"
    assert metrics["Reachable by e-mail"].value == f"{email or 0:.1f} %"
    assert metrics["Reachable by phone"].delta == f"{(phone or 0) - (phone_before or 0):+.1f} pt"
    assert metrics["Reachable by e-mail"].delta == f"{(email or 0) - (email_before or 0):+.1f} pt"
    at = open_app(monkeypatch, config, "views/data_health.py")
    rendered_ok(at)
    assert rows in table_rows(at), "the data-health page lists every month, channel and reason"


def test_the_value_tier_filter_narrows_every_customer_figure(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)
    before = {m.label: m.value for m in at.metric}
    at.multiselect(key="widget-filter_tiers").set_value(["platinum"]).run()
    rendered_ok(at)
    after = {m.label: m.value for m in at.metric}

    def as_number(shown: str) -> float:
        """A card's figure: 1,158, or money as CLDR writes it compact (CN¥681.6M)."""
        number, unit = re.fullmatch(r"\D*?([\d,.]+)\s*([KMB]?)\s*%?", shown).groups()
        return float(number.replace(",", "")) * {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}[unit]

    assert as_number(after["Customers"]) < as_number(before["Customers"])
    assert as_number(after["Revenue, 12 months"]) < as_number(before["Revenue, 12 months"])
    assert any("value tiers: platinum" in c.value for c in at.caption)

    at.switch_page("views/segments_churn.py").run()  # the filter follows to other pages
    rendered_ok(at)
    tiers_shown = set(at.dataframe[0].value["value_tier"])
    assert tiers_shown == {"platinum"}


def test_a_shorter_date_range_shows_fewer_months(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)
    dates = at.date_input[0]
    start, end = dates.value
    months_before = len(at.dataframe[0].value)
    dates.set_value((end - timedelta(days=10), end)).run()
    rendered_ok(at)
    assert len(at.dataframe[0].value) < months_before or months_before == 1
    assert any(f"{end - timedelta(days=10):%Y-%m-%d} to {end:%Y-%m-%d}" in c.value for c in at.caption)


def test_customer_360_finds_a_customer_by_name_phone_in_another_format_and_a_typo(monkeypatch, published_company):
    config, _ = published_company
    con = published(config)
    with_departments = [
        r[0]
        for r in con.execute(
            "select customer_id from marts.fct_touchpoints group by 1 having count(distinct department) >= 2"
        ).fetchall()
    ]
    # the publish holds phones as pseudonyms: the real one comes from its contacts file
    contacts = duckdb.connect(
        str(contacts_of((config.parent / "warehouse" / "published" / "current.duckdb").resolve())), read_only=True
    )
    name, phone, customer_id = contacts.execute(
        """select display_name, primary_phone, customer_id from customers
           where primary_phone like '+86%' and length(display_name) > 8 and display_name not like '+%'
               and customer_id in (select unnest($ids))
           order by customer_id limit 1""",
        {"ids": with_departments},
    ).fetchall()[0]
    contacts.close()
    touchpoints = con.execute(
        "select count(*) from marts.fct_touchpoints where customer_id = ?", [customer_id]
    ).fetchall()
    con.close()
    at = open_app(monkeypatch, config, "views/customer_360.py")
    rendered_ok(at)
    assert any("Type a name" in i.value for i in at.info), "an empty search says what to type"

    import phonenumbers

    national = phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.NATIONAL)
    typo = name[:-2] + name[-1] + name[-2]  # the last two characters swapped
    for query in (name, national, customer_id, typo):
        at.text_input(key="customer_search").input(query).run()
        rendered_ok(at)
        assert at.selectbox, f"no match for {query!r}"
        assert any(customer_id in option for option in at.selectbox[0].options), f"{query!r} did not find it"
    at.selectbox[0].set_value(customer_id).run()
    assert at.header[0].value == name
    timeline = at.dataframe[-1].value
    assert len(timeline) == min(touchpoints[0][0], 5000)
    departments = sorted(set(timeline["department"]))
    at.multiselect[0].set_value(departments[:1]).run()
    assert set(at.dataframe[-1].value["department"]) == set(departments[:1])


def test_the_language_switch_turns_every_label_chinese(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)
    at.radio(key="widget-language").set_value("zh").run()
    rendered_ok(at)
    assert at.title[0].value == "总览"
    assert "客户数" in [m.label for m in at.metric]
    at.switch_page("views/data_health.py").run()
    rendered_ok(at)
    assert at.title[0].value == "数据健康"
    assert "最近运行" in [s.value for s in at.subheader]


def test_the_catalogue_has_both_languages_for_every_label_the_pages_use():

    from dashboards.i18n import CATALOGUE, LANGUAGES

    for key, entry in CATALOGUE.items():
        assert set(entry) == set(LANGUAGES), f"{key} lacks a language"
    root = Path(APP).parent
    used = set()
    for source in [*root.glob("*.py"), *root.glob("views/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9.]+)["']""", source.read_text()))
    assert used, "the pages use the catalogue"
    missing = sorted(used - set(CATALOGUE))
    assert not missing, f"labels not in the catalogue: {missing}"


def test_nothing_published_yet_is_said_on_every_page(monkeypatch, tmp_path):
    from datetime import date

    import yaml

    from demo.generate import demo_config

    for folder in ("logistics", "call_center", "crm"):
        (tmp_path / folder).mkdir()
    (tmp_path / "crm" / "crm.sqlite").write_bytes(b"")
    config = tmp_path / "c360.yml"
    config.write_text(yaml.safe_dump(demo_config(date(2026, 1, 1), 8765)), encoding="utf-8")
    for page in [None, *PAGES, "views/customer_360.py"]:
        at = open_app(monkeypatch, config, page)
        assert not at.exception
        assert any("Nothing has been published yet" in i.value for i in at.info), page


def test_a_measure_no_survey_asks_says_so_instead_of_drawing_empty_axes(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config, "views/satisfaction.py")
    charts_before = len(at.get("plotly_chart"))
    at.radio[0].set_value("ces_avg").run()  # the demo's surveys ask no CES question
    rendered_ok(at)
    assert any("Not measured" in info.value for info in at.info)
    assert len(at.get("plotly_chart")) == charts_before - 1


def test_calls_by_hour_draws_upright_bars_of_numbers(monkeypatch, published_company):
    """DuckDB's sum() arrives as a decimal; as Python objects Plotly drew the counts as
    categories on a bar chart turned on its side."""
    config, _ = published_company
    at = open_app(monkeypatch, config, "views/service_calls.py")
    rendered_ok(at)
    hourly = [
        spec
        for spec in chart_specs(at)
        if any(trace.get("type") == "bar" for trace in spec["data"]) and x_title(spec) == "Hour of day"
    ]
    assert hourly, "the calls-by-hour chart is missing"
    for trace in hourly[0]["data"]:
        assert trace.get("orientation", "v") == "v"
        values = trace["y"]
        if isinstance(values, dict):  # Plotly's typed-array encoding: numbers, never text
            assert "dtype" in values and values["dtype"] != "object"
        else:
            assert all(isinstance(v, int | float) for v in values)


def test_a_customers_satisfaction_over_time_draws_the_score_not_the_number_of_answers(monkeypatch, published_company):
    config, _ = published_company
    con = published(config)
    customer_id, csat = con.execute(
        """select customer_id, 100.0 * count(*) filter (where is_satisfied) / count(is_satisfied)
           from marts.satisfaction_responses group by customer_id
           having count(is_satisfied) >= 2 and count(*) filter (where is_satisfied) < count(is_satisfied)
           order by customer_id limit 1"""
    ).fetchall()[0]
    con.close()
    at = open_app(monkeypatch, config, "views/customer_360.py")
    at.text_input(key="customer_search").input(customer_id).run()
    at.selectbox[0].set_value(customer_id).run()
    rendered_ok(at)
    lines = [
        spec for spec in chart_specs(at) if spec["layout"].get("yaxis", {}).get("title", {}).get("text") == "CSAT %"
    ]
    assert lines, "no CSAT chart on the customer's page"
    drawn = [v for trace in lines[0]["data"] for v in plotted(trace["y"])]
    assert all(0 <= v <= 100 for v in drawn) and min(drawn) < 100  # a share, and this customer's are not all good
    assert csat < 100


def test_the_pyramid_runs_from_the_most_valuable_tier_and_promise_ages_run_in_age_order(monkeypatch, published_company):
    config, _ = published_company
    con = published(config)
    by_value = [
        r[0]
        for r in con.execute(
            """select value_tier from marts.customer_360 where customer_type <> 'unidentified'
               group by 1 order by avg(coalesce(revenue_12m, 0)) desc"""
        ).fetchall()
    ]
    con.close()
    at = open_app(monkeypatch, config, "views/segments_churn.py")
    rendered_ok(at)
    pyramid = next(spec for spec in chart_specs(at) if spec["data"][0].get("orientation") == "h")
    # Plotly draws a horizontal bar's first category at the bottom: the most valuable tier on top
    bottom_up = list(pyramid["layout"]["yaxis"]["categoryarray"])
    assert bottom_up[::-1] == [in_english("tier", tier) for tier in by_value] and len(by_value) >= 3
    stages = [trace["name"] for trace in pyramid["data"]]
    lifecycle = [
        in_english("lifecycle", stage) for stage in ("prospect", "new", "active", "won_back", "at_risk", "lapsed")
    ]
    assert stages == sorted(stages, key=lifecycle.index) and len(stages) >= 3

    at = open_app(monkeypatch, config, "views/open_promises.py")
    rendered_ok(at)
    bars = chart_specs(at)[0]
    order = bars["layout"]["xaxis"].get("categoryarray")
    assert order == ["0 (due)", "1-2", "3-5", "6-10", "> 10"]
    panels = [note["text"] for note in bars["layout"].get("annotations", [])]
    assert panels and not any("=" in title for title in panels), panels  # "logistics", not "department=logistics"


def test_times_are_shown_in_the_companys_time_zone_not_utc(monkeypatch, published_company):
    """The warehouse keeps UTC; the page shows the company's clock (the demo is in Shanghai,
    UTC+8): a promise due at 15:59:59 UTC is due at 23:59:59 there."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    import yaml

    config, _ = published_company
    zone = ZoneInfo(yaml.safe_load(config.read_text(encoding="utf-8"))["company"]["time_zone"])
    con = published(config)
    promise_id, due_utc = con.execute(
        "select promise_id, due_at from marts.open_promises where queue_position is not null and due_at is not null "
        "order by queue_position limit 1"
    ).fetchall()[0]
    published_at = con.execute("select max(published_at) from ops.publish_log").fetchall()[0][0]
    con.close()
    local = due_utc.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    assert local != due_utc
    at = open_app(monkeypatch, config, "views/open_promises.py")
    rendered_ok(at)
    queue = at.dataframe[-1].value
    shown = queue.loc[queue["promise_id"] == promise_id, "due_at"].iloc[0]
    assert shown.to_pydatetime() == local
    stamp = published_at.replace(tzinfo=UTC).astimezone(zone)
    assert any(f"Data published {stamp:%Y-%m-%d %H:%M}" in c.value and zone.key in c.value for c in at.caption)

    at = open_app(monkeypatch, config, "views/data_health.py")
    runs = at.dataframe[0].value
    assert str(runs["started_at"].dtype).startswith("datetime64")  # a time, not the log's ISO text


def test_the_default_period_ends_on_the_day_the_night_describes_not_the_day_it_was_published(
    monkeypatch, published_company
):
    """The session's night is pinned (tests/conftest.py SESSION_AS_OF) and published whenever
    the suite runs: the pages' days follow the night's as-of moment, so the figures are the same
    on any date, as they are for a rebuilt past night."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    import yaml

    from tests.conftest import SESSION_AS_OF

    config, _ = published_company
    zone = ZoneInfo(yaml.safe_load(config.read_text(encoding="utf-8"))["company"]["time_zone"])
    night = datetime.fromisoformat(SESSION_AS_OF).replace(tzinfo=UTC).astimezone(zone).date()
    con = published(config)
    as_of_at, published_at = con.execute(
        "select as_of_at, published_at from ops.publish_log order by published_at desc limit 1"
    ).fetchone()
    con.close()
    assert str(as_of_at) == SESSION_AS_OF and published_at > as_of_at
    at = open_app(monkeypatch, config)
    rendered_ok(at)
    start = night - timedelta(days=filters.DEFAULT_DAYS - 1)
    assert any(f"{start:%Y-%m-%d} to {night:%Y-%m-%d}" in c.value for c in at.caption), [c.value for c in at.caption]


def test_the_churn_list_puts_the_most_revenue_at_risk_first(monkeypatch, published_company):
    """Sorted by risk alone, a valuable customer at 0.8 sat below every small one at 0.9."""
    config, _ = published_company
    con = published(config)
    expected = [
        r[0]
        for r in con.execute(
            """select customer_id from marts.customer_360 where churn_risk is not null
               order by churn_risk * coalesce(revenue_12m, 0) desc, churn_risk desc, customer_id limit 5"""
        ).fetchall()
    ]
    con.close()
    at = open_app(monkeypatch, config, "views/segments_churn.py")
    rendered_ok(at)
    listed = at.dataframe[-1].value
    assert list(listed["customer_id"][:5]) == expected
    assert list(listed["revenue_at_risk"]) == sorted(listed["revenue_at_risk"], reverse=True)


def test_movement_between_tiers_follows_the_tier_filter(monkeypatch, published_company):
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    from dashboards import data

    version = data.publish_version()
    info = data.publish_info(version)
    every = segments_churn_queries.tier_movements(version, info["first_day"], info["as_of"])
    assert not every.empty, "the demo's customers change tier over two years"
    tier = every["to_segment"].iloc[0]
    chosen = segments_churn_queries.tier_movements(version, info["first_day"], info["as_of"], (tier,))
    assert not chosen.empty and len(chosen) < len(every)
    assert all(tier in (row.from_segment, row.to_segment) for row in chosen.itertuples())


def test_monthly_charts_are_ticked_by_month_not_by_day(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)  # the overview: touchpoints by month
    rendered_ok(at)
    monthly = [spec["layout"]["xaxis"] for spec in chart_specs(at) if x_title(spec) == "Month"]
    assert monthly
    for axis in monthly:
        assert axis.get("dtick") in ("M1", "M3") and axis.get("tickformat") == "%Y-%m"


def test_open_promises_are_one_number_on_the_overview_and_on_their_page(monkeypatch, published_company):
    config, _ = published_company
    overview = {m.label: m.value for m in open_app(monkeypatch, config).metric}
    page = open_app(monkeypatch, config, "views/open_promises.py")
    rendered_ok(page)
    figures = {m.label: m.value for m in page.metric}
    con = published(config)
    open_now, at_risk = con.execute(
        "select count(*) filter (where status = 'open'), count(*) filter (where status = 'at_risk') "
        "from marts.open_promises"
    ).fetchall()[0]
    con.close()
    assert open_now > 0
    assert overview["Open promises"] == figures["Open promises"] == f"{open_now:,}"
    assert figures["At risk"] == f"{at_risk:,}"


def test_each_rate_says_how_many_it_is_of_and_where_it_stands_against_its_target(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config)
    rendered_ok(at)
    captions = " | ".join(caption.value for caption in at.caption)
    start, end = filters._default_dates(data.publish_version())
    con = published(config)
    offered, orders_due = con.execute(
        """select (select sum(offered) from marts.callcenter_daily where call_date between $start and $end),
                  (select count(is_otif) from marts.order_fulfilment
                   where promised_delivery_date between $start and $end)""",
        {"start": start, "end": end},
    ).fetchall()[0]
    con.close()
    assert f"of {offered:,} calls offered" in captions
    assert f"of {orders_due:,} orders due" in captions
    # the demo's targets: abandonment at most 5 %, OTIF at least 95 %
    figures = {m.label: float(m.value.split()[0]) for m in at.metric if m.value.endswith("%")}
    assert f"target 5.0 %: {'met' if figures['Abandonment rate'] <= 5 else 'missed'}" in captions
    assert f"target 95.0 %: {'met' if figures['OTIF'] >= 95 else 'missed'}" in captions


def test_a_link_carries_the_view_its_dates_tiers_language_and_customer(monkeypatch, published_company):
    from dashboards.i18n import CATALOGUE

    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    con = published(config)
    tier, customer = con.execute(
        "select value_tier, customer_id from marts.customer_360 where value_tier is not null "
        "order by customer_id limit 1"
    ).fetchall()[0]
    con.close()
    as_of = filters._default_dates(data.publish_version())[1]
    start, end = as_of - timedelta(days=40), as_of - timedelta(days=10)
    shared = {"from": f"{start:%Y-%m-%d}", "to": f"{end:%Y-%m-%d}", "tiers": tier, "lang": "zh"}

    # a link someone shared opens their view, and the URL keeps it
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = dict(shared)
    at.run()
    rendered_ok(at)
    header = at.caption[0].value
    assert f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" in header and f"价值层级：{CATALOGUE[f'tier.{tier}']['zh']}" in header
    assert {key: at.query_params[key] for key in shared} == shared

    # a day the publish does not hold is left out: the default range stands
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = {"from": "1999-01-01", "to": f"{end:%Y-%m-%d}", "tiers": "no such tier"}
    at.run()
    rendered_ok(at)
    default_start = filters._default_dates(data.publish_version())[0]
    assert at.query_params["from"] == f"{default_start:%Y-%m-%d}" and "tiers" not in at.query_params

    # a link to one customer opens them on Customer 360
    at = AppTest.from_file(APP, default_timeout=60).switch_page("views/customer_360.py")
    at.query_params = {"customer": customer}
    at.run()
    rendered_ok(at)
    assert at.text_input(key="customer_search").value == customer
    assert customer in at.selectbox[0].value and at.query_params["customer"] == customer


def test_a_month_the_period_ends_in_before_it_is_over_is_marked_partial(monkeypatch, published_company):
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    as_of = filters._default_dates(data.publish_version())[1]
    first = (as_of.replace(day=1) - timedelta(days=1)).replace(day=1)  # the month before the publish's

    def overview_chart(end) -> dict:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params = {"from": f"{first:%Y-%m-%d}", "to": f"{end:%Y-%m-%d}"}
        at.run()
        rendered_ok(at)
        return next(spec for spec in chart_specs(at) if x_title(spec) == "Month")

    mid = first + timedelta(days=14)  # halfway through the period's first month
    notes = [note["text"] for note in overview_chart(mid)["layout"].get("annotations", [])]
    assert f"to {mid:%Y-%m-%d} only" in notes
    month_end = as_of.replace(day=1) - timedelta(days=1)  # a whole month
    assert not [n for n in overview_chart(month_end)["layout"].get("annotations", []) if "only" in n["text"]]


def test_charts_are_labelled_in_the_chosen_language_not_with_warehouse_names(monkeypatch, published_company):
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60).switch_page("views/delivery.py")
    at.query_params = {"lang": "zh"}
    at.run()
    rendered_ok(at)
    [spec] = chart_specs(at)[:1]
    assert x_title(spec) == "月份" and spec["layout"]["legend"]["title"]["text"] == "指标"
    assert {trace["name"] for trace in spec["data"]} == {"准时足额 %", "完美订单 %", "安装承诺兑现 %"}


def test_the_identity_figures_on_data_health_add_up(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config, "views/data_health.py")
    rendered_ok(at)
    table = next(frame.value for frame in at.dataframe if "resolved_into" in frame.value.columns)
    con = published(config)
    persons = con.execute(
        "select count(*), count(distinct person_id) from marts.customer_identity_map where record_kind = 'person'"
    ).fetchall()[0]
    con.close()
    for row in table.itertuples():
        assert row.records == row.joined_by_rule + row.joined_by_splink + row.alone
        assert row.merged_away == row.records - row.resolved_into
    person = table[table["level"] == "person"].iloc[0]
    assert (person["records"], person["resolved_into"]) == persons


def test_every_row_about_a_customer_links_to_their_customer_360(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config, "views/segments_churn.py")
    rendered_ok(at)
    with_link = [frame for frame in at.dataframe if "open_customer" in frame.value.columns]
    assert len(with_link) >= 2, "the top customers and the churn-risk list"
    for frame in with_link:
        links = frame.value["open_customer"]
        assert (links == "customer_360?customer=" + frame.value["customer_id"]).all()
        assert json.loads(frame.proto.columns)["open_customer"]["type_config"]["type"] == "link"


def test_comments_are_shown_in_the_customers_words_and_a_theme_narrows_them(monkeypatch, published_company):
    config, _ = published_company
    at = open_app(monkeypatch, config, "views/satisfaction.py")
    rendered_ok(at)
    every = at.dataframe[-1].value
    assert len(every) and every["comment"].notna().all(), "the customers' comments, each with its words"
    themed = every.dropna(subset=["themes"])
    assert len(themed), "the lexicon finds themes in the demo's comments"
    theme = themed["themes"].str.split(", ").explode().value_counts().index[-1]  # the rarest theme shown
    [picker] = [box for box in at.selectbox if box.label == "Theme"]
    picker.set_value(theme).run()
    rendered_ok(at)
    narrowed = at.dataframe[-1].value
    assert len(narrowed) < len(every) or len(themed) == len(every)
    assert narrowed["themes"].str.split(", ").apply(lambda names: theme in names).all()


def test_customer_360_shows_their_actions_people_deals_and_words(monkeypatch, published_company):
    config, _ = published_company
    with published(config) as con:
        customer, actions, people, comments = con.execute(
            """select q.customer_id, count(*),
                      (select count(*) from marts.customer_contacts as c where c.customer_id = q.customer_id),
                      (select count(*) from marts.satisfaction_verbatims as v where v.customer_id = q.customer_id)
               from marts.action_queue as q group by q.customer_id
               having count(*) filter (where status = 'overdue') > 0 order by 3 desc, 4 desc, 1 limit 1"""
        ).fetchone()
    assert people and comments, "the demo's customers have people and say things"
    monkeypatch.setenv("C360_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60).switch_page("views/customer_360.py")
    at.query_params = {"customer": customer}
    at.run()
    rendered_ok(at)
    headings = [s.value for s in at.subheader]
    assert {"Actions on the worklist", "Buying centre", "Open opportunities", "In their words"} <= set(headings)
    # each section's table, known by a column only it has
    tables = {
        column: frame.value
        for frame in at.dataframe
        for column in ("action", "buying_roles", "comment")
        if column in frame.value.columns
    }
    assert len(tables["action"]) == actions and tables["action"]["status"].iloc[0] == "overdue", "overdue first"
    assert len(tables["buying_roles"]) == people and len(tables["comment"]) == comments


def test_value_at_risk_is_the_warehouses_churn_risk_times_revenue_of_the_night(monkeypatch, published_company):
    config, _ = published_company
    with published(config) as con:
        night, expected = con.execute(
            """select (select max(night_date) from marts.customer_churn_nightly),
                      sum(churn_risk * coalesce(revenue_12m, 0)) from marts.customer_360 where churn_risk is not null"""
        ).fetchone()
    at = open_app(monkeypatch, config, "views/segments_churn.py")
    rendered_ok(at)
    nights = next(frame.value for frame in at.dataframe if "value_at_risk" in frame.value.columns)
    assert str(nights["night_date"].iloc[-1])[:10] == f"{night}" and expected > 0
    assert nights["value_at_risk"].iloc[-1] == pytest.approx(expected, rel=1e-9)


def test_a_list_longer_than_the_page_shows_downloads_every_row(monkeypatch, published_company):
    """The page shows a list up to its cap; the download (made when clicked) has every row, in
    the company's time and the warehouse's values."""
    import io
    from functools import partial

    import pandas as pd

    from dashboards import ui
    from dashboards.queries import worklist

    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    version = data.publish_version()
    statuses = ("open", "overdue", "done", "superseded")
    every = worklist.actions.__wrapped__(version, (), statuses, None, None, limit=None)
    shown = worklist.actions.__wrapped__(version, (), statuses, None, None, limit=3)
    assert len(shown) == 3 < len(every), "the small company has more actions than this cap"
    download = ui.csv_of(partial(worklist.actions.__wrapped__, version, (), statuses, None, None, limit=None))()
    downloaded = pd.read_csv(io.BytesIO(download))
    assert len(downloaded) == len(every) and set(downloaded["status"]) <= set(statuses)


def test_revenue_against_the_year_before_adds_up_to_the_marts_months(monkeypatch, published_company):
    """The 12 months to the period's end by product family add up to the mart's revenue of those
    months, and each month's bar to the same month in orders_daily."""
    config, _ = published_company
    at = open_app(monkeypatch, config, "views/segments_churn.py")
    rendered_ok(at)
    end = filters._default_dates(data.publish_version())[1]
    with published(config) as con:
        (expected,) = con.execute(
            """select sum(revenue) from marts.sales_revenue_monthly
               where month_start_date > date_trunc('month', $end) - interval 12 month
                 and month_start_date <= date_trunc('month', $end)""",
            {"end": end},
        ).fetchone()
        (orders_total,) = con.execute(
            """select sum(revenue) from marts.orders_daily
               where ordered_date >= date_trunc('month', $end) - interval 11 month
                 and ordered_date < date_trunc('month', $end) + interval 1 month""",
            {"end": end},
        ).fetchone()
    families = next(frame.value for frame in at.dataframe if "product_family" in frame.value.columns)
    assert expected > 0 and families["revenue_12m"].sum() == pytest.approx(expected)
    assert expected == pytest.approx(orders_total), "order lines add up to their orders"


def test_every_figure_opens_the_list_it_is_counted_from(monkeypatch, published_company):
    """Each figure of the Overview opens its list (customers, orders, answers, tickets, calls,
    promises) for the same dates and tiers, and the list adds up to the figure the card shows: on
    a past period of one tier (the browser test checks the default view, to the publish's day)."""
    from dashboards import ui
    from dashboards.i18n import CATALOGUE
    from dashboards.queries.figure_details import FIGURES
    from tests.dashboards.test_browser import counted_from

    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    as_of = filters._default_dates(data.publish_version())[1]
    tier = data.value_tiers.__wrapped__(data.publish_version())[0]
    shared = {"from": f"{as_of - timedelta(days=70):%Y-%m-%d}", "to": f"{as_of - timedelta(days=20):%Y-%m-%d}"}
    shared["tiers"] = tier
    overview = AppTest.from_file(APP, default_timeout=60)
    overview.query_params = dict(shared)
    overview.run()
    rendered_ok(overview)
    cards = {m.label: m.value for m in overview.metric}
    details = [parse_qs(link.proto.query_string) for link in overview.get("page_link")][: len(FIGURES)]
    assert details == [{"kpi": [kpi]} for kpi in FIGURES], "each card's Details open its own list"
    captions = " | ".join(caption.value for caption in overview.caption)
    nonzero = 0
    for kpi in FIGURES:
        at = figure_details_page({**shared, "kpi": kpi})
        label = in_english("kpi", kpi)
        card = {m.label: m.value for m in at.metric}
        assert card == {label: cards[label]}, f"{kpi}: the list's page shows the Overview's figure"
        rows = at.dataframe[0].value if at.dataframe else None
        if rows is None:
            assert cards[label] in ("0", "n/a"), f"{kpi}: no rows behind {cards[label]}"
            continue
        nonzero += 1
        # the page shows yes and no in words; the download, which the browser test adds up, booleans
        figure = counted_from(kpi, rows.replace({"yes": True, "no": False}))
        sample = rows["offered"].sum() if kpi == "abandonment" else len(rows)
        assert ui.KPI_FORMATS[kpi](figure) == cards[label], f"{kpi}: the list adds up to {figure}, not the card"
        if f"kpi.{kpi}.sample" in CATALOGUE:  # a rate says how many it is of
            assert f"of {sample:,.0f} " in captions, f"{kpi}: the list has {sample} where the card says otherwise"
        assert at.query_params["kpi"] == kpi and all(at.query_params[key] == value for key, value in shared.items())
    assert nonzero >= 8, "the small company has rows behind nearly every figure"


def test_every_bar_of_promises_by_age_opens_as_many_promises_as_it_counts(monkeypatch, published_company):
    """What a click on a bar of Open promises lists (the browser test clicks one): for every bar,
    its department's promises of its kind and age, as many as the bar is high."""
    from dashboards.queries import open_promises

    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    version = data.publish_version()
    bars = open_promises.promises_by_age.__wrapped__(version, ())
    assert len(bars) > 1
    for bar in bars.itertuples():
        listed = open_promises.promises_of_bar.__wrapped__(
            version, (), bar.department, bar.kind, bar.overdue_business_days, limit=None
        )
        assert len(listed) == bar.promises, bar


def test_big_numbers_on_a_charts_axis_read_in_the_readers_units(monkeypatch, published_company):
    """Revenue by month ticked 2,000万 in Chinese and 20M in English (CLDR's compact forms), never
    Plotly's SI prefixes (20M reads "20 mega" to nobody, 600k and 1.5G to no Chinese reader)."""
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    for language, units in (("zh", ("万", "亿")), ("en", ("K", "M", "B"))):
        at = AppTest.from_file(APP, default_timeout=60).switch_page("views/segments_churn.py")
        at.query_params = {"lang": language}
        at.run()
        rendered_ok(at)
        ticked = [
            spec["layout"]["yaxis"]["ticktext"] for spec in chart_specs(at) if spec["layout"]["yaxis"].get("ticktext")
        ]
        assert ticked, f"{language}: no chart of big numbers ticked in words"
        for texts in ticked:
            assert all(re.fullmatch(rf"-?[\d.,]+(?:{'|'.join(units)})?", text) for text in texts), texts
            assert any(text.endswith(units) for text in texts), texts


def test_a_months_point_on_delivery_and_service_opens_the_list_that_counts_to_it(monkeypatch, published_company):
    """OTIF, perfect orders and installation promises kept by month (Delivery) and SLA compliance
    by month (Service & calls): a click on a month's point opens `figure_details?kpi=…&month=…`,
    whose figure, counted from its list, is the point's (the browser test clicks a bar; Plotly's
    clicks do not reach AppTest)."""
    import pandas as pd

    from dashboards import ui
    from dashboards.queries import delivery, service_calls
    from tests.dashboards.test_browser import counted_from

    config, version, (start, end) = default_view(monkeypatch, published_company)
    monthly = {
        "otif": ("views/delivery.py", delivery.delivery_by_month, "otif_pct"),
        "perfect_order": ("views/delivery.py", delivery.delivery_by_month, "perfect_order_pct"),
        "installation_kept": ("views/delivery.py", delivery.delivery_by_month, "installation_kept_pct"),
        "sla": ("views/service_calls.py", service_calls.service_by_month, "sla_compliance_pct"),
    }
    for kpi, (page, by_month, column) in monthly.items():
        frame = by_month.__wrapped__(version, start, end, ())
        points = frame[column]
        chart = chart_specs(open_app(monkeypatch, config, page))[0]
        carried = {f"{pd.Timestamp(month):%Y-%m}" for trace in chart["data"] for month, *_ in trace["customdata"]}
        assert carried == {f"{pd.Timestamp(month):%Y-%m}" for month in frame["month"]}, "each point carries its month"
        checked = 0
        for month, point in zip(frame["month"], points, strict=True):
            at = figure_details_page({"kpi": kpi, "month": f"{pd.Timestamp(month):%Y-%m}"})
            (card,) = [m.value for m in at.metric]
            assert card == ui.KPI_FORMATS[kpi](None if pd.isna(point) else point), (kpi, month, card, point)
            if at.dataframe:
                rows = at.dataframe[0].value.replace({"yes": True, "no": False})
                assert ui.KPI_FORMATS[kpi](counted_from(kpi, rows)) == card, (kpi, month)
                checked += 1
        assert checked >= 2, f"{kpi}: months with a list behind them"


def test_a_bar_of_touchpoints_by_month_opens_its_departments_touchpoints_of_that_month(monkeypatch, published_company):
    """Touchpoints by month and department (Overview): each bar carries its month and department,
    and opens `figure_details?kpi=touchpoints&month=…&department=…`, that department's touchpoints
    of that month, as many as the bar is high (every bar through the list's query; one through the
    page, which shows the bar's figure and its department's rows alone)."""
    import pandas as pd

    from dashboards import ui, words
    from dashboards.queries import figure_details, overview

    config, version, (start, end) = default_view(monkeypatch, published_company)
    bars = overview.touchpoints_by_month.__wrapped__(version, start, end, ())
    chart = chart_specs(open_app(monkeypatch, config, "views/overview.py"))[0]
    carried = {(f"{pd.Timestamp(m):%Y-%m}", d) for trace in chart["data"] for m, d in trace["customdata"]}
    assert carried == {(f"{pd.Timestamp(b.month):%Y-%m}", b.department) for b in bars.itertuples()}
    assert bars["department"].nunique() >= 3 and bars["month"].nunique() >= 2, "bars of several kinds to open"
    for bar in bars.itertuples():
        first, last = ui.month_of(f"{pd.Timestamp(bar.month):%Y-%m}")
        counted = figure_details.figure.__wrapped__(
            version, "touchpoints", max(first, start), min(last, end), (), part=bar.department
        )
        assert counted["figure"] == bar.touchpoints, bar
    bar = bars.sort_values("touchpoints").iloc[len(bars) // 2]
    at = figure_details_page(
        {"kpi": "touchpoints", "month": f"{pd.Timestamp(bar.month):%Y-%m}", "department": bar.department}
    )
    assert [m.value for m in at.metric] == [ui.count(bar.touchpoints)]
    rows = at.dataframe[0].value
    assert len(rows) == bar.touchpoints
    assert set(rows["department"]) == {words.value_in_words("department", bar.department)}, "its department's alone"


def test_a_bar_of_revenue_by_month_opens_the_orders_of_its_whole_month(monkeypatch, published_company):
    """Revenue by month against the year before (Segments): each bar carries the month its orders
    were placed in (the year before's bar, twelve months earlier) and opens
    `figure_details?kpi=revenue&month=…`, that whole month's orders, whose amounts add up to the
    bar, though the month lies before the period chosen (every bar through the list's query; one
    through the page)."""
    import pandas as pd

    from dashboards import ui
    from dashboards.queries import figure_details, segments_churn

    config, version, (start, end) = default_view(monkeypatch, published_company)
    months = segments_churn.revenue_by_month_against_year_before.__wrapped__(version, end, ())
    bars = {
        f"{pd.Timestamp(row.month) - pd.DateOffset(years=back):%Y-%m}": getattr(row, measure)
        for row in months.itertuples()
        for measure, back in (("revenue_in_month", 0), ("revenue_year_before", 1))
    }
    chart = next(
        c for c in chart_specs(open_app(monkeypatch, config, "views/segments_churn.py")) if x_title(c) == "Month"
    )
    carried = {f"{pd.Timestamp(m):%Y-%m}" for trace in chart["data"] for (m,) in trace["customdata"]}
    assert carried == {month for month, revenue in bars.items() if not pd.isna(revenue)}, "each bar its month"
    assert sum(not pd.isna(revenue) and revenue > 0 for revenue in bars.values()) >= 6, "months of orders to open"
    for month, revenue in bars.items():
        first, last = ui.month_of(month)
        counted = figure_details.figure.__wrapped__(version, "revenue", first, last, ())["figure"]
        assert (counted or 0) == pytest.approx(0 if pd.isna(revenue) else revenue), month
    early = min(month for month, revenue in bars.items() if not pd.isna(revenue) and revenue > 0)
    assert ui.month_of(early)[1] < start, "a month before the period, listed whole all the same"
    at = figure_details_page({"kpi": "revenue", "month": early})
    assert [m.value for m in at.metric] == [ui.money(bars[early])]
    assert at.dataframe[0].value["order_amount"].sum() == pytest.approx(bars[early])


def test_a_capped_list_found_through_its_daily_mart_is_the_newest_of_the_whole_list(monkeypatch, published_company):
    """The touchpoints list reads only the newest days that hold its cap (Behind.newest_days):
    capped, it holds the newest rows of the uncapped list, for the whole period and for one
    department, whether the cap falls within a day or past every row."""
    from dashboards.queries import figure_details

    _, version, (start, end) = default_view(monkeypatch, published_company)
    assert figure_details.BEHIND["touchpoints"].newest_days, "the list this test is about"
    for part in (None, "service"):
        every = figure_details.rows.__wrapped__(version, "touchpoints", start, end, (), limit=None, part=part)
        assert len(every) > 200, part
        for cap in (7, 150, len(every) + 10):
            capped = figure_details.rows.__wrapped__(version, "touchpoints", start, end, (), limit=cap, part=part)
            newest = every["occurred_at"].sort_values(ascending=False).head(cap).tolist()
            assert capped["occurred_at"].tolist() == newest, (part, cap)


def test_every_list_comes_in_its_order_on_the_page_and_in_the_download(monkeypatch, published_company):
    """Each list behind a figure or a chart is sorted as its Behind says (its first sort key, where
    that is a column of the list), capped for the page and whole for the download."""
    from dashboards.queries import figure_details

    _, version, (start, end) = default_view(monkeypatch, published_company)
    checked = 0
    for kpi in figure_details.LISTS:
        column, *direction = figure_details.BEHIND[kpi].order.split(",")[0].split()
        if len(direction) > 1:  # an expression (revenue at risk), not a column of the list
            continue
        for limit in (40, None):
            listed = figure_details.rows.__wrapped__(version, kpi, start, end, (), limit=limit)
            if column not in listed.columns or len(listed) < 3:
                continue
            values = listed[column].dropna()
            ordered = values.is_monotonic_decreasing if direction == ["desc"] else values.is_monotonic_increasing
            assert ordered, (kpi, limit, values.head(10).tolist())
            checked += 1
    assert checked >= 20, "lists long enough to be out of order"


def test_a_bar_of_comments_by_theme_opens_that_months_comments_of_its_theme(monkeypatch, published_company):
    """Comments by theme and month (Satisfaction): each bar carries its month and theme, and
    opens `figure_details?kpi=comments&month=…&theme=…`, the whole month's comments of that theme
    (the chart counts whole months), as many as the bar is high."""
    import pandas as pd

    from dashboards import ui
    from dashboards.queries import figure_details, satisfaction

    config, version, (start, end) = default_view(monkeypatch, published_company)
    bars = satisfaction.themes_by_month.__wrapped__(version, start, end, ())
    chart = next(
        c
        for c in chart_specs(open_app(monkeypatch, config, "views/satisfaction.py"))
        if c["data"][0]["type"] == "bar" and x_title(c) == "Month"
    )
    carried = {(f"{pd.Timestamp(m):%Y-%m}", theme) for trace in chart["data"] for m, theme in trace["customdata"]}
    assert carried == {(f"{pd.Timestamp(b.month):%Y-%m}", b.theme) for b in bars.itertuples()}
    assert bars["theme"].nunique() >= 3, "themes to open"
    for bar in bars.itertuples():
        first, last = ui.month_of(f"{pd.Timestamp(bar.month):%Y-%m}")
        counted = figure_details.figure.__wrapped__(version, "comments", first, last, (), part=bar.theme)
        assert counted["figure"] == bar.comments, bar
    bar = bars.sort_values("comments").iloc[-1]
    at = figure_details_page({"kpi": "comments", "month": f"{pd.Timestamp(bar.month):%Y-%m}", "theme": bar.theme})
    assert [m.value for m in at.metric] == [ui.count(bar.comments)]
    assert len(at.dataframe[0].value) == bar.comments


def test_a_stage_of_the_order_journey_opens_the_orders_that_reached_it(monkeypatch, published_company):
    """The order journey (Delivery): each stage's bar carries its stage and opens
    `figure_details?kpi=journey&stage=…`, the period's orders that reached it, as many as the bar
    counts, one row each."""
    from dashboards import ui
    from dashboards.queries import delivery, figure_details

    config, version, (start, end) = default_view(monkeypatch, published_company)
    stages = delivery.order_journey.__wrapped__(version, start, end, ())
    chart = next(
        c for c in chart_specs(open_app(monkeypatch, config, "views/delivery.py")) if c["data"][0]["type"] == "funnel"
    )
    assert [point[0] for point in chart["data"][0]["customdata"]] == stages["stage"].tolist()
    assert stages["orders"].iloc[0] > stages["orders"].iloc[-1] > 0, "a funnel that narrows"
    for stage in stages.itertuples():
        listed = figure_details.rows.__wrapped__(version, "journey", start, end, (), limit=None, part=stage.stage)
        assert len(listed) == stage.orders == listed["order_number"].nunique(), stage
    delivered = stages.set_index("stage").loc["delivered", "orders"]
    at = figure_details_page({"kpi": "journey", "stage": "delivered"})
    assert [m.value for m in at.metric] == [ui.count(delivered)]
    rows = at.dataframe[0].value
    assert len(rows) == delivered and rows["delivered_at"].notna().all()


def test_a_bar_of_the_worklist_by_owner_lists_as_many_actions_as_it_counts(monkeypatch, published_company):
    """Worklist by owner: each bar carries its owner and status, and a click lists that owner's
    actions of that status (the browser test clicks one; Plotly's clicks do not reach AppTest),
    as many as the bar is long."""
    from dashboards.queries import worklist

    config, version, (start, end) = default_view(monkeypatch, published_company)
    owners = worklist.by_owner.__wrapped__(version, start, end, ())
    bars = owners.groupby("owner")[["overdue", "open"]].sum().stack()
    chart = chart_specs(open_app(monkeypatch, config, "views/worklist.py"))[0]
    carried = {tuple(point) for trace in chart["data"] for point in trace["customdata"]}
    assert carried <= {(owner, status) for owner, status in bars.index} and len(carried) >= 2
    for owner, status in carried:
        listed = worklist.actions.__wrapped__(version, (), (status,), owner, None, limit=None)
        assert len(listed) == bars[(owner, status)] and set(listed["owner"]) <= {owner}, (owner, status)


def test_a_bar_of_calls_by_hour_lists_its_queues_calls_of_that_hour_by_day_and_agent(monkeypatch, published_company):
    """Calls by hour of day (Service & calls): each bar carries its hour and queue, and a click
    lists that queue's calls of that hour by day and agent (Plotly's clicks do not reach AppTest),
    whose calls offered add up to the bar."""
    from dashboards.queries import service_calls

    config, version, (start, end) = default_view(monkeypatch, published_company)
    bars = service_calls.calls_by_hour.__wrapped__(version, start, end)
    charts = chart_specs(open_app(monkeypatch, config, "views/service_calls.py"))
    chart = next(c for c in charts if len(c["data"][0].get("customdata", [[]])[0]) == 2)  # [hour, queue]
    carried = {(int(hour), queue) for trace in chart["data"] for hour, queue in trace["customdata"]}
    assert carried == {(int(b.hour_of_day), b.queue_name) for b in bars.itertuples()}
    assert len(carried) >= 10, "bars to click"
    for bar in bars.itertuples():
        days = service_calls.calls_of_hour.__wrapped__(version, start, end, int(bar.hour_of_day), bar.queue_name)
        assert days["offered"].sum() == bar.offered and days["abandoned"].sum() == bar.abandoned, bar
        assert not days.duplicated(["call_date", "agent"]).any() and set(days["queue_name"]) <= {bar.queue_name}, bar


def test_a_publish_logged_before_the_as_of_moment_was_kept_dates_its_pages_by_its_publish(
    monkeypatch, published_company, tmp_path
):
    """A warehouse published by an earlier c360 (its publish_log has no as_of_at) still opens:
    its days are those of the publish, as they were."""
    import shutil
    from datetime import UTC

    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))
    older = tmp_path / "older.duckdb"
    shutil.copyfile((config.parent / "warehouse" / "published" / "current.duckdb").resolve(), older)
    con = duckdb.connect(str(older))
    con.execute("alter table ops.publish_log drop column as_of_at")
    (published_at,) = con.execute("select max(published_at) from ops.publish_log").fetchone()
    con.close()
    info = data.publish_info.__wrapped__(str(older))
    assert info["as_of"] == published_at.replace(tzinfo=UTC).astimezone(data.company_zone()).date()
    assert info["published_at"] == published_at


def test_a_months_point_of_csat_opens_its_channels_answers_and_of_nps_the_months(monkeypatch, published_company):
    """Satisfaction by month and channel: a CSAT point opens that month's rated answers on its
    channel (`&channel=…`), an NPS point that month's NPS answers; each list counts to its point."""
    import pandas as pd

    from dashboards import ui, words
    from dashboards.queries import satisfaction
    from tests.dashboards.test_browser import counted_from

    config, version, (start, end) = default_view(monkeypatch, published_company)
    monthly = satisfaction.satisfaction_by_month.__wrapped__(version, start, end, ())
    chart = chart_specs(open_app(monkeypatch, config, "views/satisfaction.py"))[0]
    assert {(f"{pd.Timestamp(m):%Y-%m}", c) for trace in chart["data"] for m, c in trace["customdata"]} == {
        (f"{pd.Timestamp(row.month):%Y-%m}", row.channel) for row in monthly.dropna(subset=["csat_pct"]).itertuples()
    }, "each CSAT point carries its month and channel"
    for kpi, column in (("csat", "csat_pct"), ("nps", "nps")):
        points = monthly.dropna(subset=[column])
        assert len(points) >= 2, f"{kpi}: points to click"
        for row in points.itertuples():
            at = figure_details_page({"kpi": kpi, "month": f"{pd.Timestamp(row.month):%Y-%m}", "channel": row.channel})
            (card,) = [m.value for m in at.metric]
            assert card == ui.KPI_FORMATS[kpi](getattr(row, column)), (kpi, row)
            rows = at.dataframe[0].value.replace({"yes": True, "no": False})
            assert ui.KPI_FORMATS[kpi](counted_from(kpi, rows)) == card, (kpi, row)
            if kpi == "csat":
                assert set(rows["channel"]) == {words.value_in_words("channel", row.channel)}, "its channel's alone"


def test_a_part_of_the_value_pyramid_lists_as_many_customers_as_it_counts(monkeypatch, published_company):
    """The value pyramid: each part of a tier's bar carries its tier and lifecycle stage, and a
    click lists that tier's customers in that stage (Plotly's clicks do not reach AppTest), as
    many as the part counts."""
    from dashboards.queries import segments_churn

    config, version, _ = default_view(monkeypatch, published_company)
    counted = segments_churn.tier_by_stage.__wrapped__(version, ())
    parts = {(p.value_tier, p.lifecycle_stage): p.customers for p in counted.itertuples()}
    pyramid = next(
        spec
        for spec in chart_specs(open_app(monkeypatch, config, "views/segments_churn.py"))
        if spec["data"][0].get("orientation") == "h"
    )
    carried = {tuple(point) for trace in pyramid["data"] for point in trace["customdata"]}
    assert carried == set(parts) and len(carried) >= 6
    for (tier, stage), customers in parts.items():
        listed = segments_churn.customers_of_tier_and_stage.__wrapped__(version, tier, stage, limit=None)
        assert len(listed) == customers and set(listed["value_tier"]) == {tier}, (tier, stage)
        assert set(listed["lifecycle_stage"]) == {stage} and listed["customer_id"].is_unique, (tier, stage)


def test_a_bar_of_what_preceded_the_bad_ratings_lists_the_answers_it_counts(monkeypatch, published_company):
    """What preceded the bad ratings: each bar carries its precursor and whether it counts the bad
    answers, and a click lists the period's answers of that group that followed the precursor;
    their share of the group's answers is the bar's height."""
    from dashboards.queries import satisfaction

    config, version, (start, end) = default_view(monkeypatch, published_company)
    bars = satisfaction.bad_rating_precursors.__wrapped__(version, start, end, ())
    chart = next(
        spec
        for spec in chart_specs(open_app(monkeypatch, config, "views/satisfaction.py"))
        if x_title(spec) == "What preceded it"
    )
    carried = {(precursor, bool(is_bad)) for trace in chart["data"] for precursor, is_bad in trace["customdata"]}
    assert carried == {(b.precursor, bool(b.is_bad)) for b in bars.itertuples()} and len(carried) == 8
    followed = 0
    for bar in bars.itertuples():
        listed = satisfaction.answers_after.__wrapped__(
            version, start, end, (), bar.precursor, bool(bar.is_bad), limit=None
        )
        assert 100.0 * len(listed) / bar.answers == pytest.approx(bar.pct_of_answers), bar
        assert set(listed["is_bad"]) <= {bool(bar.is_bad)} and listed["responded_at"].is_monotonic_decreasing, bar
        followed += len(listed)
    assert followed > 0, "a demo period in which nothing went wrong before an answer proves nothing"
    with pytest.raises(ValueError, match="no precursor"):
        satisfaction.answers_after.__wrapped__(version, start, end, (), "is_bad; drop table x", True)


def test_a_point_of_a_customers_satisfaction_over_time_lists_the_answers_it_stands_on(monkeypatch, published_company):
    """Customer 360's satisfaction over time: each point carries its month and channel, and a
    click lists the customer's answers of that month on that channel, as many as the point rests on."""
    import pandas as pd

    from dashboards.queries import customer_360

    config, version, _ = default_view(monkeypatch, published_company)
    with published(config) as con:
        (customer_id,) = con.execute(
            """select customer_id from marts.satisfaction_responses where is_satisfied is not null
               group by customer_id having count(distinct date_trunc('month', response_date)) >= 2
               order by count(*) desc, customer_id limit 1"""
        ).fetchone()
    at = open_app(monkeypatch, config, "views/customer_360.py")
    at.text_input(key="customer_search").input(customer_id).run()
    at.selectbox[0].set_value(customer_id).run()
    rendered_ok(at)
    line = next(
        spec for spec in chart_specs(at) if spec["layout"].get("yaxis", {}).get("title", {}).get("text") == "CSAT %"
    )
    # the custom data starts with the month and the channel (Plotly Express adds the hover data after)
    carried = {(str(point[0])[:10], point[1]) for trace in line["data"] for point in trace["customdata"]}
    points = customer_360.customer_satisfaction.__wrapped__(version, customer_id).dropna(subset=["csat_pct"])
    assert carried == {(f"{p.month:%Y-%m-%d}", p.channel) for p in points.itertuples()} and len(carried) >= 2
    for point in points.itertuples():
        listed = customer_360.customer_answers_of_month.__wrapped__(
            version, customer_id, pd.Timestamp(point.month).date(), point.channel
        )
        assert len(listed) == point.responses and set(listed["channel"]) == {point.channel}, point
        assert (listed["is_bad"].sum(), listed["responded_at"].dt.strftime("%Y-%m").unique().tolist()) == (
            point.bad_answers,
            [f"{point.month:%Y-%m}"],
        ), point


def test_the_newest_nights_value_at_risk_lists_the_customers_it_sums(monkeypatch, published_company):
    """Value at risk, night by night: each point carries its night; the newest night's lists
    tonight's scored customers, as many as it scored and summing to its value at risk (an earlier
    night kept its totals alone, and says so)."""
    from dashboards.queries import segments_churn

    config, version, _ = default_view(monkeypatch, published_company)
    nights = segments_churn.value_at_risk_by_night.__wrapped__(version, ())
    line = next(
        spec
        for spec in chart_specs(open_app(monkeypatch, config, "views/segments_churn.py"))
        if x_title(spec) == "Night"
    )
    carried = [str(point[0])[:10] for trace in line["data"] for point in trace["customdata"]]
    assert carried == [f"{night:%Y-%m-%d}" for night in nights["night_date"]]
    newest = nights.iloc[-1]
    listed = segments_churn.churn_list.__wrapped__(version, (), limit=None)
    assert len(listed) == newest["scored_customers"] > 0 and listed["customer_id"].is_unique
    assert (listed["revenue_at_risk"].sum()) == pytest.approx(newest["value_at_risk"], abs=len(listed))


def test_a_bar_of_tonights_reachability_lists_the_persons_it_counts(monkeypatch, published_company):
    """Data health's reachability by month: each bar and point carries its month, channel and
    reachability; tonight's month's lists the persons it counts (customer_contacts), as many as
    the bar, and the share of the reachable ones is the point's height."""
    import pandas as pd

    from dashboards.queries import data_health

    config, version, _ = default_view(monkeypatch, published_company)
    rows = data_health.reachability_rows.__wrapped__(version)
    charts = chart_specs(open_app(monkeypatch, config, "views/data_health.py"))
    carried = {
        (f"{pd.Timestamp(point[0]):%Y-%m}", point[1], point[2])
        for chart in charts
        for trace in chart["data"]
        for point in trace["customdata"]
    }
    expected = {(f"{pd.Timestamp(r.month):%Y-%m}", r.channel, r.reachability) for r in rows.itertuples()}
    assert carried == expected, carried ^ expected  # the line's points are the bars' reachable ones
    tonight = rows[rows["month"] == rows["month"].max()]
    assert len(tonight) >= 6, "the demo plants several reasons on each channel"
    for bar in tonight.itertuples():
        listed = data_health.persons_of_reachability.__wrapped__(version, bar.channel, bar.reachability, limit=None)
        assert len(listed) == bar.contacts and listed["person_id"].is_unique, bar
        known = tonight.loc[tonight["channel"] == bar.channel, "contacts"].sum()
        assert 100.0 * len(listed) / known == pytest.approx(bar.share_pct), bar
    with pytest.raises(ValueError, match="no channel"):
        data_health.persons_of_reachability.__wrapped__(version, "fax", "reachable")
