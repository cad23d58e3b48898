"""The service-desk connector against the demo's real HTTP server on 127.0.0.1, with faults
injected: 429 with Retry-After, 500s, answers slower than the timeout, a page served twice,
an endpoint that keeps failing."""

from __future__ import annotations

import json
import logging
import math
import time
from datetime import date

import duckdb
import pytest

from connectors.loader import SourceError
from connectors.service import api
from demo.generate import generate
from demo.service_desk_api import Faults, serve
from tests.conftest import free_port
from tests.warehouse import query as query_warehouse

TOKEN = "svc-test-token"
RESOURCES = ["tickets", "users", "organizations", "ticket_events", "satisfaction_ratings"]


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    out = tmp_path_factory.mktemp("svc")
    generate(out, customers=60, seed=5, end=date(2026, 2, 28), log=lambda *_: None)
    return out / "service_desk"


@pytest.fixture
def desk(company):
    servers = []

    def start(faults: Faults | None = None):
        server = serve(company, "127.0.0.1", free_port(), TOKEN, faults)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def expected(company, resource) -> int:
    return len({json.loads(line)["id"] for line in (company / f"{resource}.jsonl").read_text().splitlines()})


def load(server, tmp_path, token=TOKEN, timeout_s=5.0, retry_s=5.0, log=lambda *_: None):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    client = api.Client(base, token, "SVC_TOKEN", timeout_s=timeout_s, backoff_s=0.01, retry_s=retry_s)
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        return api.load(
            con,
            base,
            token,
            "SVC_TOKEN",
            "2020-01-01",
            "CN",
            work_db,
            tmp_path / "dlt",
            log=log,
            client=client,
        )
    finally:
        con.close()


def query(tmp_path, sql):
    return query_warehouse(tmp_path / "work.duckdb", sql)


def test_every_record_loads_once_through_429s_500s_slow_answers_and_a_repeated_page(desk, company, tmp_path):
    faults = Faults(rate_limit_every=4, server_error_every=5, slow_every=7, slow_seconds=1.5, repeat_page_every=2)
    server = desk(faults)
    load(server, tmp_path, timeout_s=1.0)
    assert {"429", "500", "slow"} <= set(faults.served), faults.served
    for resource in RESOURCES:
        got = query(tmp_path, f"select count(*), count(distinct id) from raw_service.{resource}")[0]
        assert got == (expected(company, resource), expected(company, resource)), resource
    assert query(tmp_path, "select bool_and(is_balanced) from ops.load_reconciliation") == [(True,)]


def test_a_rate_limit_is_kept_as_its_retry_after_says_and_every_record_loads_once(desk, company, tmp_path, monkeypatch):
    monkeypatch.setattr("demo.service_desk_api.PAGE", 50)  # enough requests to run into the limit
    faults = Faults.parse("limit=6/1")  # Zendesk's is 10 a minute; a second keeps the test short
    assert (faults.limit_requests, faults.limit_window_s) == (6, 1.0)
    server = desk(faults)
    started = time.monotonic()
    report = load(server, tmp_path)
    seconds = time.monotonic() - started
    answered = faults.requests - faults.served["rate_limited"]
    assert answered > 12, faults.served  # the export ran over several windows
    # the load waited out every full window but the last, and only as long as Retry-After said
    assert (math.ceil(answered / 6) - 1) * 1.0 <= seconds
    assert faults.served["rate_limited"] <= 2 * math.ceil(answered / 6)  # one 429 a window, not a storm
    for resource in RESOURCES:
        assert report.rows[resource] == expected(company, resource), resource


def test_nested_fields_land_as_json_that_sql_can_query(desk, company, tmp_path):
    load(desk(), tmp_path)
    tickets = {t["id"]: t for t in map(json.loads, (company / "tickets.jsonl").read_text().splitlines())}
    rows = query(
        tmp_path,
        """select id, via ->> '$.channel', json_array_length(tags), tags ->> '$[0]',
                  custom_fields -> '$[1]' ->> '$.value', satisfaction_rating ->> '$.score'
           from raw_service.tickets""",
    )
    assert len(rows) == len(tickets)
    for ticket_id, channel, tag_count, first_tag, second_field, score in rows:
        source = tickets[ticket_id]
        assert channel == source["via"]["channel"]
        assert (tag_count, first_tag) == (len(source["tags"]), (source["tags"] or [None])[0])
        assert second_field == source["custom_fields"][1]["value"]
        assert score == (source["satisfaction_rating"] or {}).get("score")
    events = [json.loads(line) for line in (company / "ticket_events.jsonl").read_text().splitlines()]
    child_events = query(tmp_path, "select sum(json_array_length(child_events)) from raw_service.ticket_events")
    assert child_events[0][0] == sum(len(e["child_events"]) for e in events) > 0


def test_a_long_export_shows_its_progress(desk, company, tmp_path, monkeypatch):
    monkeypatch.setattr("demo.service_desk_api.PAGE", 50)
    monkeypatch.setattr(api, "PROGRESS_EVERY", 100)
    lines: list[str] = []
    load(desk(), tmp_path, log=lines.append)
    events = expected(company, "ticket_events")
    progress = [line for line in lines if line.startswith("service: ticket_events:") and "so far" in line]
    assert progress == [f"service: ticket_events: {n:,} read so far" for n in range(100, events + 1, 100)]


def test_a_page_served_twice_is_recognised_not_loaded_twice(desk, company, tmp_path, monkeypatch):
    monkeypatch.setattr("demo.service_desk_api.PAGE", 50)  # several pages, so one can repeat
    faults = Faults(repeat_page_every=1)
    server = desk(faults)
    report = load(server, tmp_path)
    assert faults.served.get("repeated_page", 0) > 0
    assert report.rows["tickets"] == expected(company, "tickets")
    already = query(
        tmp_path, "select sum(rows_already_loaded) from ops.load_reconciliation where table_name = 'tickets'"
    )
    assert already[0][0] > 0


def test_a_second_load_with_nothing_new_loads_nothing(desk, tmp_path):
    server = desk()
    load(server, tmp_path)
    before = query(tmp_path, "select count(*), max(_c360_loaded_at) from raw_service.tickets")
    report = load(server, tmp_path)
    assert report.total == 0
    assert query(tmp_path, "select count(*), max(_c360_loaded_at) from raw_service.tickets") == before


def test_a_load_gives_dlt_no_cause_to_warn(desk, tmp_path, caplog):
    # dlt warns on every batch whose Arrow schema differs from its hints (a nullable primary key)
    with caplog.at_level(logging.WARNING, logger="dlt"):
        report = load(desk(), tmp_path)
    assert report.total > 0
    assert [r.getMessage() for r in caplog.records if r.name.startswith("dlt")] == []


def test_a_late_update_is_merged_into_the_ticket_not_added(desk, company, tmp_path):
    server = desk()
    load(server, tmp_path)
    from datetime import UTC, datetime

    tickets = server.data.records("tickets")
    newest = max(datetime.fromisoformat(t["updated_at"].replace("Z", "+00:00")).timestamp() for t in tickets)
    ticket = dict(tickets[0])

    ticket["status"] = "closed"
    ticket["updated_at"] = datetime.fromtimestamp(newest + 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    server.data.upsert("tickets", ticket)
    report = load(server, tmp_path)
    assert report.rows["tickets"] == 1
    assert query(tmp_path, f"select status, count(*) over () from raw_service.tickets where id = {ticket['id']}") == [
        ("closed", 1)
    ]
    assert query(tmp_path, "select count(*) from raw_service.tickets")[0][0] == expected(company, "tickets")


def test_a_persistent_failure_names_endpoint_and_status_and_does_not_move_the_cursor(desk, company, tmp_path):
    broken = desk(Faults(failing_path="/api/v2/incremental/ticket_events.json"))
    with pytest.raises(
        SourceError, match=r"/api/v2/incremental/ticket_events.json failed after \d+ attempts in [\d.]+ s \(last: 500\)"
    ):
        load(broken, tmp_path, retry_s=1.0)
    healthy = desk()
    report = load(healthy, tmp_path)
    assert report.rows["ticket_events"] == expected(company, "ticket_events")
    assert report.rows["tickets"] == expected(company, "tickets")  # nothing was committed by the failed night


def test_a_refused_token_says_which_variable_to_check(desk, tmp_path):
    server = desk()
    with pytest.raises(SourceError, match=r"answered 401: check the token in \$SVC_TOKEN"):
        load(server, tmp_path, token="wrong")


def test_pages_fetched_ahead_arrive_in_order_and_errors_surface_in_the_loader():
    import threading

    import pytest

    from connectors.service.api import prefetched

    assert list(prefetched(iter(range(50)), depth=4)) == list(range(50))

    def failing():
        yield 1
        raise RuntimeError("service: /api/v2/x answered 500 six times")

    seen = []
    with pytest.raises(RuntimeError, match="answered 500"):
        for page in prefetched(failing(), depth=4):
            seen.append(page)
    assert seen == [1]

    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    pages = prefetched(endless(), depth=2)
    assert [next(pages) for _ in range(3)] == [0, 1, 2]
    pages.close()  # the loader stops early: the fetching thread stops too
    assert not any(t.name == "service-desk-prefetch" for t in threading.enumerate())
    assert len(produced) <= 3 + 2 + 2, "it fetched no further than its queue allows"


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: every connection is refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def test_an_unreachable_desk_fails_within_15_seconds_naming_the_source_and_the_url():
    base = closed_port_url()
    client = api.Client(base, TOKEN, "SVC_TOKEN")  # the defaults a night uses
    started = time.monotonic()
    with pytest.raises(SourceError) as error:
        client.get(f"{base}/api/v2/incremental/tickets/cursor.json", {"start_time": 0})
    seconds = time.monotonic() - started
    assert 5 < seconds < 15, f"gave up after {seconds:.1f} s"  # it did retry, and gave up in time
    message = str(error.value)
    assert message.startswith("service: ") and "\n" not in message
    assert f"{base}/api/v2/incremental/tickets/cursor.json" in message
    assert "Connection refused" in message and "sources.service.retry_seconds" in message


@pytest.mark.parametrize("retry_s", [1.0, 3.0])
def test_the_configured_retry_time_is_how_long_an_unreachable_desk_is_retried(tmp_path, retry_s):
    base = closed_port_url()
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    started = time.monotonic()
    try:
        with pytest.raises(SourceError, match=rf"service: {base}/api/v2/.* failed after \d+ attempts"):
            # the load builds its own client, as a night does
            api.load(
                con, base, TOKEN, "SVC_TOKEN", "2020-01-01", "CN", work_db, tmp_path / "dlt", retry_seconds=retry_s
            )
    finally:
        con.close()
    seconds = time.monotonic() - started
    assert retry_s / 2 <= seconds < retry_s + 2, f"gave up after {seconds:.1f} s"


def test_a_night_retries_the_desk_as_long_as_the_config_says(tmp_path, monkeypatch):
    import yaml

    from c360.config import load_config
    from connectors.registry import plan_source

    config_file = tmp_path / "c360.yml"
    raw = {
        "company": {"name": "Test", "time_zone": "UTC", "calendar_country": "CN"},
        "sources": {"service": {"base_url": closed_port_url(), "token_env": "SVC_TOKEN", "retry_seconds": 7.5}},
        "warehouse": {"dir": str(tmp_path / "warehouse")},
    }
    config_file.write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv("SVC_TOKEN", TOKEN)
    built = []
    monkeypatch.setattr(api, "Client", lambda *args, **kwargs: built.append(kwargs) or object())
    con = duckdb.connect()
    try:
        plan_source("service", load_config(config_file), con)
    finally:
        con.close()
    assert [kwargs.get("retry_s") for kwargs in built] == [7.5]
