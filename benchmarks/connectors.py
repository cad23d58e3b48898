"""Connector throughput on this machine, each case in its own process so peak memory is its own.

    python -m benchmarks.connectors --case cdr --rows 10000000
    python -m benchmarks.connectors --case logistics --rows 10000000
    python -m benchmarks.connectors --case crm --rows 1000000
    python -m benchmarks.connectors --case api --rows 1000000
    python -m benchmarks.connectors --case api-limited --rows 30000
    python -m benchmarks.connectors --all --json benchmarks/results/connectors.json

Cases: `cdr` writes Asterisk Master-*.csv files and loads them with the call-center
connector, side by side with DuckDB's own `read_csv` of the same files (the engine's limit);
`crm` loads a SQLite CRM whose Order table holds N rows; `api` serves N tickets from the
demo service desk on 127.0.0.1 and compares the connector with fetching the same pages
alone (what the server allows); `api-limited` does the same with the desk keeping Zendesk's
rate limit for incremental exports (10 requests a minute), the pace a real service desk sets."""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import orjson
import psutil
import requests

from benchmarks.demo_desk import free_port, running_desk
from connectors.call_center import asterisk
from connectors.dlt_runs import run_plan
from connectors.logistics import drops
from connectors.sales import crm
from connectors.service import api
from demo.service_desk_api import Faults
from demo.writers import COMMON_COLUMNS, CRM_COLUMNS

ROWS_PER_FILE = 200_000
CALLERS = 300_000  # distinct caller numbers in the CDR case


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_load(connector, *args) -> tuple[object, float, dict]:
    """`connector.plan(*args)` run with dlt: its LoadReport, the wall seconds, and the seconds
    that show where they went: dlt's extract (reading, checking and handing over the rows),
    normalize and load (writing them into DuckDB) steps, and apart from the wall time the
    import of Great Expectations (~3 s, once per process whatever the rows)."""
    started = time.perf_counter()
    import data_quality.validate  # noqa: F401 - once per process, not per row: reported on its own

    import_s = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    plan = connector.plan(*args, log=lambda *_: None)
    report = run_plan(plan)
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    steps = {
        f"dlt_{step.step}_s": round((step.finished_at - step.started_at).total_seconds(), 2)
        for step in plan.pipeline.last_trace.steps
        if step.step in ("extract", "normalize", "load")
    }
    return report, seconds, {"one_time_import_s": round(import_s, 2), "c360_cpu_s": round(cpu_s, 2), **steps}


def write_cdr(folder: Path, rows: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    day = 0
    while written < rows:
        n = min(ROWS_PER_FILE, rows - written)
        base = 1767225600 + day * 86400
        lines = []
        for i in range(n):
            t = base + 3600 + i % 30000
            hh, rem = divmod(t - base + 8 * 3600, 3600)
            mm, ss = divmod(rem, 60)
            stamp = f"2026-01-{1 + day % 28:02d} {hh % 24:02d}:{mm:02d}:{ss:02d}"
            src = f"138{(written + i) * 7919 % CALLERS:08d}"  # a caller base that calls again
            lines.append(
                f'"","{src}","4008208820","from-pstn","""C"" <{src}>","SIP/t-{i:08x}","SIP/8001-{i:08x}",'
                f'"Queue","support,t,,,300","{stamp}","{stamp}","{stamp}",{60 + i % 240},{50 + i % 10},'
                f'"ANSWERED","DOCUMENTATION","{t}.{written + i}",""\n'
            )
        (folder / f"Master-2026{1 + day // 28:02d}{1 + day % 28:02d}.csv").write_text("".join(lines))
        written += n
        day += 1


def case_cdr(rows: int, work: Path) -> dict:
    landing = work / "pbx"
    started = time.perf_counter()
    write_cdr(landing / "cdr", rows)
    generated = time.perf_counter() - started
    con = duckdb.connect(str(work / "engine.duckdb"))
    started = time.perf_counter()
    con.execute(f"create table cdr as select * from read_csv('{landing}/cdr/*.csv', header=false, all_varchar=true)")
    engine_s = time.perf_counter() - started
    engine_rows = con.execute("select count(*) from cdr").fetchone()[0]
    con.close()
    work_db = work / "work.duckdb"
    con = duckdb.connect(str(work_db))
    report, c360_s, steps = timed_load(asterisk, con, landing, "Asia/Shanghai", "utf-8", "CN", work_db, work / "dlt")
    con.close()
    return {
        "case": "cdr",
        "rows": rows,
        "generate_s": round(generated, 1),
        "duckdb_read_csv_s": round(engine_s, 2),
        "duckdb_rows_per_s": round(engine_rows / engine_s),
        "c360_s": round(c360_s, 2),
        "c360_rows_loaded": report.rows["cdr"],
        "c360_rows_per_s": round(report.rows["cdr"] / c360_s),
        "ratio_c360_to_duckdb": round(c360_s / engine_s, 1),
        **steps,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def write_drops(root: Path, rows: int) -> None:
    """Logistics drop folders: one shipments.csv of 200,000 rows per day (SOURCES.md columns)."""
    header = (
        "shipment_id,order_number,carrier,tracking_number,ship_date,promised_delivery_date,recipient_name,"
        "recipient_phone,ship_to_address,ship_to_city,ship_to_postal_code,status,updated_at\n"
    )
    written, day = 0, 0
    while written < rows:
        n = min(ROWS_PER_FILE, rows - written)
        folder = (
            root / f"2026-01-{1 + day % 28:02d}" if day < 28 else root / f"2026-{2 + day // 28:02d}-{1 + day % 28:02d}"
        )
        folder.mkdir(parents=True, exist_ok=True)
        lines = [header]
        for i in range(written, written + n):
            lines.append(
                f"SH{i:010d},{i // 2:08d},SF Express,SF{i:012d},2026-01-05,2026-01-08,张伟{i % 97},"
                f"138{i % 100000000:08d},中山路{i % 999}号,上海,200000,delivered,2026-01-08T15:00:00+08:00\n"
            )
        (folder / "shipments.csv").write_text("".join(lines), encoding="utf-8")
        written += n
        day += 1


def case_logistics(rows: int, work: Path) -> dict:
    landing = work / "logistics"
    started = time.perf_counter()
    write_drops(landing, rows)
    generated = time.perf_counter() - started
    con = duckdb.connect(str(work / "engine.duckdb"))
    started = time.perf_counter()
    con.execute(f"create table shipments as select * from read_csv('{landing}/*/shipments.csv', all_varchar=true)")
    engine_s = time.perf_counter() - started
    engine_rows = con.execute("select count(*) from shipments").fetchall()[0][0]
    con.close()
    work_db = work / "work.duckdb"
    con = duckdb.connect(str(work_db))
    report, c360_s, steps = timed_load(drops, con, landing, "utf-8", "CN", work_db, work / "dlt")
    con.close()
    return {
        "case": "logistics",
        "rows": rows,
        "generate_s": round(generated, 1),
        "duckdb_read_csv_s": round(engine_s, 2),
        "duckdb_rows_per_s": round(engine_rows / engine_s),
        "c360_s": round(c360_s, 2),
        "c360_rows_loaded": report.rows["shipments"],
        "c360_rows_per_s": round(report.rows["shipments"] / c360_s),
        "ratio_c360_to_duckdb": round(c360_s / engine_s, 1),
        **steps,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def case_crm(rows: int, work: Path) -> dict:
    db = work / "crm.sqlite"
    lite = sqlite3.connect(db)
    columns = COMMON_COLUMNS + CRM_COLUMNS["Order"].split()
    lite.execute('create table "Order" (' + ", ".join(f'"{c}"' for c in columns) + ")")
    stamp = "2026-01-05T10:00:00.000+0000"
    lite.executemany(
        f'insert into "Order" values ({", ".join("?" for _ in columns)})',
        (
            (
                f"801{i:015d}",
                stamp,
                stamp,
                f"2026-01-05T10:{i % 60:02d}:{i % 59:02d}.000+0000",
                0,
                f"001{i % 50000:015d}",
                f"006{i:015d}",
                f"{i:08d}",
                "2026-01-05",
                "Activated",
                1000.0 + i % 777,
                "中山路1号",
                "上海",
                "200000",
                "China",
            )
            for i in range(rows)
        ),
    )
    lite.commit()
    lite.close()
    work_db = work / "work.duckdb"
    con = duckdb.connect(str(work_db))
    report, seconds, steps = timed_load(crm, con, f"sqlite:///{db}", ["Order"], "CN", work_db, work / "dlt")
    con.close()
    return {
        "case": "crm",
        "rows": rows,
        "c360_s": round(seconds, 2),
        "c360_rows_loaded": report.rows["order"],
        "c360_rows_per_s": round(report.rows["order"] / seconds),
        **steps,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def _write_tickets(folder: Path, rows: int) -> None:
    folder.mkdir()
    with open(folder / "tickets.jsonl", "w") as f:
        for i in range(1, rows + 1):
            stamp = f"2026-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{i % 59:02d}Z"
            f.write(
                json.dumps(
                    {
                        "id": i,
                        "via": {"channel": "email"},
                        "created_at": stamp,
                        "updated_at": stamp,
                        "type": "question",
                        "subject": "Help",
                        "description": "How do I ...",
                        "priority": "normal",
                        "status": "open",
                        "requester_id": 1000 + i % 5000,
                        "tags": ["question"],
                        "custom_fields": [{"id": 360001, "value": None}],
                        "satisfaction_rating": None,
                    }
                )
                + "\n"
            )
    for empty in ("users", "organizations", "ticket_events", "satisfaction_ratings"):
        (folder / f"{empty}.jsonl").write_text("")


@contextmanager
def _service_desk(folder: Path, faults: str = ""):
    """The demo desk serving `folder`, pinned to core 0 and this process to core 1: neither's
    bursts (Arrow and DuckDB use every core) slow the other down, and the comparison with the
    bare fetch (same pinning) measures the loader, not the contention. Yields the base URL and a
    function giving the desk's CPU seconds so far (how busy it was kept)."""
    port = free_port()
    with running_desk(folder, port, "bench", faults, start_timeout_s=120) as server:
        os.sched_setaffinity(server.pid, {0})
        os.sched_setaffinity(0, {1})

        def server_cpu() -> float:
            times = psutil.Process(server.pid).cpu_times()
            return times.user + times.system

        yield f"http://127.0.0.1:{port}", server_cpu


def _bare_fetch(base: str) -> tuple[int, int, float]:
    """The least any client must do: take each page of the tickets export and parse it for the
    cursor (with orjson, the fastest parser there is here), then the other four exports, as the
    connector does; a 429 is waited out as its Retry-After says. Returns the records, the
    requests answered with a page and the seconds."""
    session = requests.Session()
    session.headers.update({"Authorization": "Bearer bench"})
    answered = 0

    def page(path: str, params: dict) -> dict:
        nonlocal answered
        while True:
            response = session.get(base + path, params=params, timeout=60)
            if response.status_code != 429:
                answered += 1
                return orjson.loads(response.content)
            time.sleep(float(response.headers["Retry-After"]))

    started = time.perf_counter()
    tickets = "/api/v2/incremental/tickets/cursor.json"
    answer = page(tickets, {"start_time": 0})
    fetched = len(answer["tickets"])
    while not answer["end_of_stream"]:
        answer = page(tickets, {"cursor": answer["after_cursor"]})
        fetched += len(answer["tickets"])
    for path in (
        "/api/v2/incremental/users/cursor.json",
        "/api/v2/incremental/organizations.json",
        "/api/v2/incremental/ticket_events.json",
        "/api/v2/satisfaction_ratings.json",
    ):
        page(path, {"start_time": 0})
    return fetched, answered, time.perf_counter() - started


def _c360_load(base: str, work: Path) -> tuple[object, float, dict]:
    work_db = work / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        return timed_load(api, con, base, "bench", "BENCH_TOKEN", "2020-01-01", "CN", work_db, work / "dlt")
    finally:
        con.close()


def case_api(rows: int, work: Path) -> dict:
    folder = work / "service_desk"
    _write_tickets(folder, rows)
    with _service_desk(folder) as (base, server_cpu):
        server_started = server_cpu()
        fetched, _, fetch_s = _bare_fetch(base)
        fetch_server_cpu_s = server_cpu() - server_started
        server_started = server_cpu()
        report, seconds, steps = _c360_load(base, work)
        load_server_cpu_s = server_cpu() - server_started
    return {
        "case": "api",
        "rows": rows,
        "server_only_fetch_s": round(fetch_s, 2),
        "server_rows_per_s": round(fetched / fetch_s),
        "c360_s": round(seconds, 2),
        "c360_rows_loaded": report.rows["tickets"],
        "c360_rows_per_s": round(report.rows["tickets"] / seconds),
        "ratio_c360_to_fetch": round(seconds / fetch_s, 2),
        # the share of the wall time the server was working: near 1, the server sets the pace
        "server_busy_in_fetch": round(fetch_server_cpu_s / fetch_s, 2),
        "server_busy_in_c360_extract": round(load_server_cpu_s / steps["dlt_extract_s"], 2),
        **steps,
        "peak_rss_mb": round(peak_rss_mb()),
    }


ZENDESK_EXPORT_LIMIT = "limit=10/60"  # Zendesk's incremental exports: 10 requests a minute


def case_api_limited(rows: int, work: Path) -> dict:
    """The same desk keeping Zendesk's own rate limit for incremental exports: the pace a real
    service desk allows, which the connector should keep (and never exceed into backoff)."""
    folder = work / "service_desk"
    _write_tickets(folder, rows)
    limit = Faults.parse(ZENDESK_EXPORT_LIMIT)  # read as the desk reads it
    requests_allowed, window_s = limit.limit_requests, limit.limit_window_s
    with _service_desk(folder, ZENDESK_EXPORT_LIMIT) as (base, _):
        fetched, pages, fetch_s = _bare_fetch(base)
        # the fetch ends in a fresh window; let it end before the loader's first request
        time.sleep(window_s)
        report, seconds, steps = _c360_load(base, work)
    return {
        "case": "api-limited",
        "rows": rows,
        "rate_limit": f"{requests_allowed:.0f} requests per {window_s:.0f} s",
        # the least time the limit allows: every full window but the last waited out
        "limit_floor_s": (math.ceil(pages / requests_allowed) - 1) * window_s,
        "server_only_fetch_s": round(fetch_s, 2),
        "server_only_rows": fetched,
        "pages": pages,
        "c360_s": round(seconds, 2),
        "c360_rows_loaded": report.rows["tickets"],
        "c360_rows_per_s": round(report.rows["tickets"] / seconds),
        "ratio_c360_to_fetch": round(seconds / fetch_s, 2),
        **steps,
        "peak_rss_mb": round(peak_rss_mb()),
    }


CASES = {
    "cdr": case_cdr,
    "logistics": case_logistics,
    "crm": case_crm,
    "api": case_api,
    "api-limited": case_api_limited,
}
DEFAULT_ROWS = {"cdr": 10_000_000, "logistics": 10_000_000, "crm": 1_000_000, "api": 1_000_000, "api-limited": 30_000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--all", action="store_true", help="every case at its default size, one process each")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    if args.all:
        results = []
        for case in CASES:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.connectors",
                    "--case",
                    case,
                    "--rows",
                    str(args.rows or DEFAULT_ROWS[case]),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
    else:
        work = Path(tempfile.mkdtemp(prefix=f"c360-bench-{args.case}-"))
        try:
            results = [CASES[args.case](args.rows or DEFAULT_ROWS[args.case], work)]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(results[0]), flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")
    sys.exit(main())
