"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against `c360
dashboard` serving the published demo. Every page opens and shows its content without an
error box; the language switch works; a screenshot of each page is kept in test-artifacts/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TOKEN, TOKEN_ENV, free_port, wait_for_port

pytestmark = pytest.mark.integration

CHROMIUM = os.environ.get("C360_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("C360_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))

# url path -> text the page must show once loaded
PAGES = {
    "": "Touchpoints by month and department",
    "customer_360": "Type a name, phone number",
    "satisfaction": "What preceded the bad ratings",
    "service_calls": "Calls by hour of day",
    "delivery": "Order journey",
    "segments_churn": "Churn-risk list",
    "open_promises": "Work queue",
    "pipeline": "Stale deals to act on",
    "worklist": "By owner",
    "data_health": "Identity resolution",
    "figure_details?kpi=otif": "The list it is counted from",
}


def start_dashboard(config: Path, port: int) -> subprocess.Popen:
    """`c360 dashboard` in the background; its output is not read, so it goes nowhere (a pipe
    nobody reads stalls a server once it fills)."""
    return subprocess.Popen(
        [sys.executable, "-m", "c360.cli", "dashboard", "--config", str(config), "--port", str(port)],
        env={**os.environ, TOKEN_ENV: TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def dashboard(published_company):
    config, _ = published_company
    port = free_port()
    process = start_dashboard(config, port)
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (or set C360_CHROMIUM)"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_load_state("networkidle")
    return page


def screenshot(page, name: str) -> None:
    """The whole page into test-artifacts/<name>: Streamlit scrolls its main block itself, so the
    window grows to the block's height first (a full-page shot would stop at the window's)."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height), 1000), 12_000)})
    page.wait_for_timeout(1_000)  # let the charts draw at the new size
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def no_error_box(page) -> None:
    page.wait_for_timeout(500)  # let late elements arrive
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']"
    ).first.inner_text()
    errors = page.locator("[data-testid='stAlertContentError']")
    assert errors.count() == 0, errors.first.inner_text()


# a time of day as a page writes it ("10:04", "23:59:59")
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
# a warehouse's name: lower-case words joined by underscores ("csat_pct", "bad_rating_no_follow_up");
# an id carries digits, an e-mail address or a link goes on past it
WAREHOUSE_NAME = re.compile(r"(?<![\w/@.-])[a-z]+(?:_[a-z]+)+(?![\w/@.-])")
# Streamlit's icons are words drawn in an icon font ("arrow_forward"): a reader sees a picture
ICON = "[data-testid='stIconMaterial']"
# the number of data points of each chart on the page, as Plotly holds them
CHART_POINTS = """[...document.querySelectorAll('.js-plotly-plot')].map(chart => (chart._fullData || []).reduce(
    (points, trace) => points + (trace._length ?? (trace.z || []).flat().filter(v => v !== null).length), 0))"""


@dataclass
class Seen:
    """What a reader sees on a page: its lines of text (the charts' too), each table's headers
    and the rows it draws (Streamlit's grid is a canvas; its accessible copy holds the text), and
    how many data points each chart has."""

    lines: list[str]
    tables: list[tuple[list[str], list[list[str]]]]
    chart_points: list[int]


def seen_on(page) -> Seen:
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    for icon in set(main.locator(ICON).all_text_contents()):
        text = text.replace(icon, " ")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    tables = [
        (grid.locator("[role=columnheader]").all_text_contents(),
         [row.locator("td").all_text_contents() for row in grid.locator("tbody tr").all()])
        for grid in main.locator("[data-testid='stDataFrame']").all()
    ]  # fmt: skip
    return Seen(lines, tables, page.evaluate(CHART_POINTS))


# how pandas, Python and Arrow write a value that is missing: a reader sees a dash
MISSING_AS_WORDS = {"None", "nan", "NaN", "NaT", "<NA>", "null"}


def what_reads_wrong(seen: Seen, language: str, english_left_over, zone: str, executive: bool) -> list[str]:
    """What issue 22 says no page may show: English on a 中文 page outside the company's names and
    data, a warehouse's name on a page for executives, a missing value written "None", a chart
    without data points, a time without its zone."""
    headers = [header for header, _ in seen.tables for header in header]
    cells = [cell for _, rows in seen.tables for row in rows for cell in row]
    wrong = []
    if language == "zh":  # a cell's words are the company's data (test_words.py checks the closed lists' values)
        english = set().union(*(english_left_over(text) for text in [*seen.lines, *headers]))
        if english:
            wrong.append(f"English on the 中文 page: {sorted(english)}")
    if executive:
        names = {name for text in [*seen.lines, *headers, *cells] for name in WAREHOUSE_NAME.findall(text)}
        if names:
            wrong.append(f"warehouse names: {sorted(names)}")
    missing = sorted({cell for cell in cells if cell.strip() in MISSING_AS_WORDS})
    if missing:
        wrong.append(f"a missing value shown as a programmer's word: {missing}")
    if 0 in seen.chart_points:
        wrong.append(f"a chart without data points (points per chart: {seen.chart_points})")
    unzoned = [line for line in seen.lines if TIME_OF_DAY.search(line) and zone not in line]
    for header, rows in seen.tables:
        for column, name in enumerate(header):
            if zone not in name and any(TIME_OF_DAY.search(row[column]) for row in rows if column < len(row)):
                unzoned.append(f"the column {name!r}")
    if unzoned:
        wrong.append(f"times without their zone ({zone}): {unzoned[:5]}")
    return wrong


def test_what_reads_wrong_finds_each_thing_a_page_may_not_show():
    def left_over(text: str) -> set[str]:
        return {word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in {"CST", "Asia", "Shanghai"}}

    clean = Seen(
        ["总览", "数据发布于 2026-11-30 15:43 CST (Asia/Shanghai)"],
        [(["截止时间 (Asia/Shanghai)"], [["2026-11-30 23:59:59"]])],
        [3],
    )
    assert what_reads_wrong(clean, "zh", left_over, "Asia/Shanghai", executive=True) == []
    dirty = Seen(
        ["总览 Overview", "csat_pct 76.1"], [(["截止时间", "金额"], [["2026-11-30 23:59:59", "None"]])], [3, 0]
    )
    wrong = what_reads_wrong(dirty, "zh", left_over, "Asia/Shanghai", executive=True)
    assert [problem.split(":")[0] for problem in wrong] == [
        "English on the 中文 page",
        "warehouse names",
        "a missing value shown as a programmer's word",
        "a chart without data points (points per chart",
        "times without their zone (Asia/Shanghai)",
    ], wrong
    assert "Overview" in wrong[0] and "csat_pct" in wrong[1] and "None" in wrong[2] and "截止时间" in wrong[4]
    in_english_for_analysts = what_reads_wrong(dirty, "en", left_over, "Asia/Shanghai", executive=False)
    assert [problem.split(" ")[1] for problem in in_english_for_analysts] == ["missing", "chart", "without"]


@pytest.fixture(scope="module")
def english_left_over(published_company, warehouse):
    from tests.dashboards.test_words import english_left_over

    config, _ = published_company
    return english_left_over(config, warehouse)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens_in_chromium_and_reads_right(
    dashboard, browser, published_company, english_left_over, path, language
):
    """Each page in each language, as Chromium draws it: no error box, and none of what
    `what_reads_wrong` looks for. Its screenshot is kept (test-artifacts/dashboard-<page>[-zh].png)."""
    from c360.config import load_config

    page = open_page(browser, f"{dashboard}/{path}{'&' if '?' in path else '?'}lang={language}")
    try:
        if language == "en":
            page.get_by_text(PAGES[path], exact=False).first.wait_for(timeout=30_000)
        else:
            page.get_by_text("数据发布于").first.wait_for(timeout=30_000)
        no_error_box(page)
        assert page.get_by_text("Data published" if language == "en" else "数据发布于").first.is_visible()
        screenshot(page, f"dashboard-{path.split('?')[0] or 'overview'}{'' if language == 'en' else '-zh'}.png")
        seen = seen_on(page)  # the page drawn whole: the screenshot grew the window to its height
        zone = load_config(published_company[0]).time_zone
        wrong = what_reads_wrong(seen, language, english_left_over, zone, executive=path != "data_health")
        assert not wrong, wrong
    finally:
        page.close()


def test_switching_the_language_in_the_browser_turns_the_page_chinese(dashboard, browser):
    page = open_page(browser, dashboard)
    try:
        page.get_by_text("中文").first.click()
        page.get_by_role("heading", name="总览").wait_for(timeout=30_000)
        page.get_by_text("按月份与部门的接触次数").first.wait_for(timeout=30_000)
        no_error_box(page)
        screenshot(page, "dashboard-overview-zh.png")
    finally:
        page.close()


def test_a_customer_is_found_in_the_browser_and_the_timeline_shown(dashboard, browser, published_company):
    import duckdb

    config, _ = published_company
    con = duckdb.connect(str((config.parent / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True)
    name = con.execute(
        "select display_name from marts.customer_360 where customer_type = 'organization' "
        "order by revenue_12m desc limit 1"
    ).fetchall()[0][0]
    con.close()
    page = open_page(browser, f"{dashboard}/customer_360")
    try:
        box = page.get_by_label("Find a customer")
        box.fill(name)
        box.press("Enter")
        page.get_by_role("heading", name=name).wait_for(timeout=30_000)
        page.get_by_text("Timeline across departments").first.wait_for(timeout=30_000)
        no_error_box(page)
        screenshot(page, "dashboard-customer_360-found.png")
    finally:
        page.close()


def test_the_worklist_and_a_customers_actions_and_people_read_in_chinese(dashboard, browser, warehouse):
    customer = warehouse.execute(
        """select customer_id from marts.action_queue group by 1
           having count(*) filter (where status = 'overdue') > 0 order by count(*) desc, 1 limit 1"""
    ).fetchone()[0]
    for path, heading, shown, shot in (
        ("worklist?lang=zh", "待办行动", "按负责人", "dashboard-worklist-zh.png"),
        (f"customer_360?customer={customer}&lang=zh", "客户 360", "采购决策团队", "dashboard-customer_360-zh.png"),
        (f"customer_360?customer={customer}", "Customer 360", "Buying centre", "dashboard-customer_360-sections.png"),
    ):
        page = open_page(browser, f"{dashboard}/{path}")
        try:
            page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
            page.get_by_text(shown, exact=False).first.wait_for(timeout=30_000)
            no_error_box(page)
            screenshot(page, shot)
        finally:
            page.close()


def test_stopping_c360_dashboard_stops_the_server_on_its_port(published_company):
    """`c360 dashboard` stopped as a service manager stops it (SIGTERM) leaves nothing serving:
    it ran streamlit as a child, which kept the port after its parent had gone."""
    import socket
    import time

    config, _ = published_company
    port = free_port()
    process = start_dashboard(config, port)
    try:
        wait_for_port(port, timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=20)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"something still serves port {port} after c360 dashboard was stopped")


def test_the_dashboard_fetches_nothing_from_outside_and_shows_no_developer_menu(dashboard, browser):
    """Offline, and behind a firewall that blocks foreign CDNs, the page must be whole: every
    request it makes goes to the server it came from (the icon too); and readers get the viewer's
    toolbar, not Streamlit's "Deploy"."""
    from urllib.parse import urlsplit

    requested: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{dashboard}/open_promises")
        page.get_by_text(PAGES["open_promises"], exact=False).first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        no_error_box(page)
        outside = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(url).hostname not in ("127.0.0.1", "localhost")]  # fmt: skip
        assert requested and not outside, outside
        assert page.get_by_role("button", name="Deploy").count() == 0
        icon = page.locator("link[rel~='icon']").first.get_attribute("href")
        assert icon, "the page names its icon"
        assert not icon.startswith("http") or urlsplit(icon).hostname in ("127.0.0.1", "localhost"), icon
    finally:
        page.close()


def test_a_deep_link_as_the_first_request_gets_the_sidebar_and_its_view(published_company, browser):
    """The first request a fresh server answers is a link to one page with a view in it: the
    page runs inside the app (navigation, language, filters, sign-in), not on its own."""
    config, _ = published_company
    port = free_port()
    process = start_dashboard(config, port)
    try:
        wait_for_port(port, timeout=60)
        page = open_page(browser, f"http://127.0.0.1:{port}/delivery?lang=zh")
        page.get_by_text("订单旅程").first.wait_for(timeout=30_000)  # the page, in the link's language
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_by_text("总览").first.is_visible(), "the app's navigation, in the link's language"
        assert sidebar.get_by_text("Language / 语言").first.is_visible()
        assert "streamlit app" not in sidebar.inner_text().lower(), "Streamlit's own page list: the page ran alone"
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_row_link_opens_the_customer_360_of_its_customer(dashboard, browser, published_company):
    """A table row's link (`customer_360?customer=<id>`, relative to the page it is on: the
    AppTest in test_pages.py checks each row carries it) opens that customer in the browser.
    Followed as the browser resolves it, not clicked: the grid is drawn on a canvas."""
    from urllib.parse import urljoin

    config, _ = published_company
    con = duckdb.connect(str(config.parent / "warehouse" / "published" / "current.duckdb"), read_only=True)
    [(customer_id, name)] = con.execute(
        "select customer_id, display_name from marts.customer_360 order by revenue_12m desc nulls last limit 1"
    ).fetchall()
    con.close()
    page = open_page(browser, urljoin(f"{dashboard}/segments_churn", f"customer_360?customer={customer_id}"))
    try:
        page.get_by_text("1 matching customers").first.wait_for(timeout=30_000)
        assert page.url.startswith(f"{dashboard}/customer_360?customer={customer_id}")
        assert page.locator("h2").filter(has_text=name).count() >= 1
        no_error_box(page)
    finally:
        page.close()


def counted_from(kpi: str, rows) -> float:
    """A headline figure added up from the rows of its list (the warehouse's values: true and
    false, as the download has them; test_pages.py gives it the rows the page shows)."""
    if kpi in ("revenue_12m", "revenue"):
        return rows["order_amount"].sum()
    shares = {"csat": "is_satisfied", "otif": "is_otif", "perfect_order": "is_perfect_order"}
    if kpi in shares or kpi == "installation_kept":
        return 100.0 * rows[shares.get(kpi, "is_installation_kept")].astype(bool).mean()
    if kpi == "sla":
        return 100.0 * (~rows["is_sla_breached"].astype(bool)).mean()
    if kpi == "nps":
        return 100.0 * ((rows["nps_score"] >= 9).sum() - (rows["nps_score"] <= 6).sum()) / len(rows)
    if kpi == "abandonment":
        return 100.0 * rows["abandoned"].sum() / rows["offered"].sum()
    return len(rows)  # customers, promises, touchpoints, comments, orders placed: one row each


def test_each_figures_details_open_the_list_that_counts_to_it(dashboard, browser, published_company, monkeypatch):
    """Clicked as a reader would: each card's Details on the Overview open its list, whose page
    shows the same figure, and the list's download (every row, read here: the grid itself is a
    canvas) adds up to the card's figure."""
    import io

    import pandas as pd

    from dashboards import ui
    from dashboards.i18n import CATALOGUE
    from dashboards.queries.figure_details import FIGURES

    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config))  # the company's currency, for the money figure
    page = open_page(browser, dashboard)
    try:
        for kpi in FIGURES:
            page.get_by_text("Touchpoints by month and department").first.wait_for(timeout=30_000)
            label = CATALOGUE[f"kpi.{kpi}"]["en"]
            card = page.locator("[data-testid='stColumn']").filter(
                has=page.locator("[data-testid='stMetricLabel']").get_by_text(label, exact=True)
            )
            shown = card.locator("[data-testid='stMetricValue']").inner_text().strip()
            card.locator("a[href*='figure_details']").click()
            page.get_by_text("The list it is counted from").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            no_error_box(page)
            assert f"kpi={kpi}" in page.url, f"{label}: Details opened {page.url}"
            details = page.locator("[data-testid='stMetric']").first
            assert details.locator("[data-testid='stMetricLabel']").inner_text().strip() == label
            assert details.locator("[data-testid='stMetricValue']").inner_text().strip() == shown
            if shown not in ("0", "n/a"):
                with page.expect_download(timeout=30_000) as download:
                    page.get_by_text("Download CSV").first.click()
                rows = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
                counted = ui.KPI_FORMATS[kpi](counted_from(kpi, rows))
                assert counted == shown, f"{label}: the list adds up to {counted}, not {shown}"
            # back to the Overview as a reader goes, by the menu (no new page load)
            page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Overview").first.click()
            page.get_by_text("The list it is counted from").first.wait_for(state="detached", timeout=30_000)
            page.wait_for_load_state("networkidle")
    finally:
        page.close()


def click_a_bar(page, counted: str, chart_index: int = 0, bar: int = 0):
    """Click a bar or a marker (the `bar`th of the first trace) of the page's `chart_index`th chart as a reader
    does, and return what opened: the number its caption says it lists ("12 promises, one row
    each."; `counted` is a pattern of what comes between), the rows its download holds, and the chart."""
    import io

    import pandas as pd

    page.get_by_text("Click a bar or a point to list what it counts.").first.wait_for(timeout=30_000)
    chart = page.locator(".js-plotly-plot").nth(chart_index)
    chart.scroll_into_view_if_needed()
    # a bar is a path in a g.point, a line's marker a path.point
    box = chart.locator("g.trace").first.locator("g.point path, path.point").nth(bar).bounding_box()
    # Plotly's drag layer lies over the bars: the click lands at the bar's place, as a reader's does
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("What the bar counts").first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    no_error_box(page)
    caption = page.get_by_text(re.compile(rf"^[\d,]+ {counted}, one row each\.$")).first.inner_text()
    with page.expect_download(timeout=30_000) as download:
        # the list opens right under its chart: its download is the first after the chart
        chart.locator("xpath=following::*[@data-testid='stDownloadButton']").first.click()
    rows = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
    return int(caption.split()[0].replace(",", "")), rows, chart


def test_a_click_on_a_bar_of_open_promises_lists_the_promises_it_counts(dashboard, browser):
    """A bar of promises by age (a department, a kind, an age) opens its promises, one row each:
    as many as the bar is high, and all of that department, kind and age."""
    page = open_page(browser, f"{dashboard}/open_promises")
    try:
        listed, rows, chart = click_a_bar(page, "promises")
        height, (department, kind, age) = chart.evaluate(
            "plot => [plot._fullData[0].y[0], plot._fullData[0].customdata[0]]"
        )
        assert len(rows) == listed == height > 0, f"the bar counts {height} promises, its list has {listed}"
        assert set(rows["department"]) == {department} and set(rows["kind"]) == {kind}
        assert age == "0 (due)" or (rows["overdue_business_days"] > 0).all()
    finally:
        page.close()


def chart_titled(page, x_title: str, charts: int = 3) -> tuple[int, list]:
    """Which of the page's charts (once `charts` are drawn: Plotly draws them one by one, not in
    the page's order) has this x-axis title, and the values of its first trace."""
    drawn = page.locator(".js-plotly-plot")
    drawn.nth(charts - 1).wait_for(timeout=30_000)
    titles = [drawn.nth(i).evaluate("plot => plot.layout.xaxis.title.text") for i in range(drawn.count())]
    index = titles.index(x_title)
    return index, drawn.nth(index).evaluate("plot => Array.from(plot._fullData[0].y)")


def test_a_click_on_the_value_pyramid_lists_the_customers_of_its_tier_and_stage(dashboard, browser):
    """A part of the value pyramid (a tier's customers in one lifecycle stage) opens those
    customers, one row each: as many as the part is long, all of that tier and stage."""
    page = open_page(browser, f"{dashboard}/segments_churn")
    try:
        index, _ = chart_titled(page, "Customers")
        widths = page.locator(".js-plotly-plot").nth(index).evaluate("plot => Array.from(plot._fullData[0].x)")
        # the widest part: a part of a few customers is a sliver beside the axis, where a click drags it
        widest = max(range(len(widths)), key=widths.__getitem__)
        listed, rows, chart = click_a_bar(page, "customers", index, widest)
        width, (tier, stage) = chart.evaluate(
            f"plot => [plot._fullData[0].x[{widest}], plot._fullData[0].customdata[{widest}]]"
        )
        assert len(rows) == listed == width > 0, f"the part counts {width} customers, its list has {listed}"
        assert set(rows["value_tier"]) == {tier} and set(rows["lifecycle_stage"]) == {stage}
    finally:
        page.close()


def test_a_click_on_what_preceded_the_bad_ratings_lists_the_answers_it_counts(dashboard, browser):
    """The tallest bar of bad answers on "What preceded the bad ratings" opens those answers: their
    share of all bad answers in the period is the bar's height."""
    page = open_page(browser, f"{dashboard}/satisfaction")
    try:
        index, heights = chart_titled(page, "What preceded it")
        tallest = max(range(len(heights)), key=heights.__getitem__)
        listed, rows, chart = click_a_bar(page, r"of [\d,]+ answers", index, tallest)
        (bad,) = chart.evaluate(f"plot => [plot._fullData[0].customdata[{tallest}][1]]")
        caption = page.get_by_text(re.compile(r"^[\d,]+ of [\d,]+ answers")).first.inner_text()
        of_all = int(caption.split()[2].replace(",", ""))
        assert bad is True and len(rows) == listed > 0 and set(rows["is_bad"]) == {True}
        assert 100.0 * listed / of_all == pytest.approx(heights[tallest]), (listed, of_all, heights[tallest])
    finally:
        page.close()


def test_a_click_on_the_newest_night_of_value_at_risk_lists_the_customers_it_sums(dashboard, browser):
    """The newest night's point of value at risk opens tonight's scored customers, one row each:
    as many as the night scored, their revenue at risk adding up to the point."""
    page = open_page(browser, f"{dashboard}/segments_churn")
    try:
        index, nights = chart_titled(page, "Night")
        listed, rows, _ = click_a_bar(page, "customers", index, len(nights) - 1)
        assert len(rows) == listed > 0 and rows["customer_id"].is_unique
        assert rows["revenue_at_risk"].sum() == pytest.approx(nights[-1], abs=listed)
    finally:
        page.close()


def test_a_click_on_a_customers_satisfaction_point_lists_the_answers_it_stands_on(
    dashboard, browser, published_company
):
    """On Customer 360, a point of satisfaction over time opens the customer's answers of that
    month and channel: as many as the point rests on."""
    import io

    import pandas as pd

    config, _ = published_company
    with duckdb.connect(
        str((config.parent / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True
    ) as con:
        (customer_id,) = con.execute(
            """select customer_id from marts.satisfaction_responses where is_satisfied is not null
               group by customer_id order by count(*) desc, customer_id limit 1"""
        ).fetchone()
    page = open_page(browser, f"{dashboard}/customer_360?customer={customer_id}")
    try:
        page.get_by_text("Click a bar or a point to list what it counts.").first.wait_for(timeout=30_000)
        chart = page.locator(".js-plotly-plot").filter(has_text="CSAT %").first
        chart.scroll_into_view_if_needed()
        month, channel, responses = chart.evaluate("plot => plot._fullData[0].customdata[0].slice(0, 3)")
        box = chart.locator("g.trace").first.locator("path.point").first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text(f"The answers of {str(month)[:7]}").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        no_error_box(page)
        with page.expect_download(timeout=30_000) as download:
            chart.locator("xpath=following::*[@data-testid='stDownloadButton']").first.click()
        rows = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert len(rows) == responses > 0 and set(rows["channel"]) == {channel}
        assert set(rows["responded_at"].str[:7]) == {str(month)[:7]}
    finally:
        page.close()


def test_a_click_on_tonights_reachability_lists_the_persons_it_counts(dashboard, browser):
    """Data health: tonight's month's point of the persons reachable by phone opens those persons,
    one row each: their share of all the persons is the point's height."""
    page = open_page(browser, f"{dashboard}/data_health")
    try:
        charts = page.locator(".js-plotly-plot")
        charts.nth(1).wait_for(timeout=30_000)
        points = charts.nth(0).evaluate(
            "plot => [Array.from(plot._fullData[0].customdata), Array.from(plot._fullData[0].y)]"
        )
        listed, rows, _ = click_a_bar(page, "persons", 0, len(points[0]) - 1)
        (month, channel, reachability), share = points[0][-1][:3], points[1][-1]
        assert reachability == "reachable" and len(rows) == listed > 0 and rows["person_id"].is_unique
        assert rows["unreachable_reason"].isna().all(), (month, channel)
        assert share > 50, "the demo's contacts are mostly reachable"
    finally:
        page.close()
