"""The nightly run at scale: `c360 bench --scale S|M|L`.

    c360 bench --scale S --json benchmarks/results/scale-S.json

S, M and L are demo companies of 10,000, 100,000 and 1,000,000 customers with two years of
history. Each is generated once and cached (`--cache`, default ~/.cache/c360-bench) with its
last day held back; a bench runs the nightly integration on it in place, in this process as
`c360 run` does (Dagster's in-process executor), lets the held-back day arrive and runs again
(the incremental night), holds the day back again, and times the dashboard's queries and pages
on what was published. Beside them, in the same process so that the ratios hold on a noisy
machine: DuckDB's own `read_csv` of the same call-center files (the engine's limit for the
file loads), the core of `customer_360` in pandas and Polars, and the dbt project's compiled
SQL run plainly on one connection (the price of dbt and Dagster).

The cheap measurements come first and the plain-SQL rebuild last; with `--json` the figures
measured so far are written after each one (`"complete": false` until the end), so a run
stopped at L, where a night takes about an hour, still leaves what it measured.

For every Dagster step: wall seconds, rows per second and peak memory. A load's rows are the
rows it loaded; every other step's rows are the night's input (all rows of the `raw_*`
tables it builds from). Peak memory is the resident set of this process (dbt runs inside it) and
its children, sampled every 50 ms; the demo service desk, a separate system, is not
counted. The figures are written as JSON (`--json`) and as a Markdown table (`--markdown`,
default beside the JSON) and printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb
import yaml

from c360.config import load_config

try:
    import psutil
except ModuleNotFoundError:  # the bench extra; without it `c360` works and `c360 bench` says what to install
    psutil = None

from benchmarks.demo_desk import free_port, running_desk

SCALES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
SEED = 7
END = date(2026, 6, 30)  # a fixed end date and "now": every bench of a scale sees the same data
AS_OF = "2026-07-01 06:00:00"
TOKEN = "bench-token"
# The demo generator holds one batch of customers' history at a time (~105 kB a customer) and,
# for the whole company, the names and mailboxes it keeps distinct (~300 bytes a customer)
GENERATOR_BATCH_BYTES = 105_000 * 20_000
GENERATOR_BYTES_PER_CUSTOMER = 300
SOURCES = ("sales", "service", "logistics", "call_center")
# a cached company is reused only when the generator that wrote it made the same data
GENERATOR_VERSION = "batched-1"
# DuckDB's share of the machine in the nights (warehouse.memory_limit): past it DuckDB spills to
# disk; the rest is for Python's own work beside it (issue 8: at most 12 GB in all)
MEMORY_LIMIT = "8GB"


class MemorySampler:
    """Resident memory of this process and its children, every `interval` seconds, in a thread.

    The children are listed again only every `relist` seconds: listing them reads every
    process's /proc entry, and done every 50 ms it took 12.6% of the L night's identity step
    (py-spy), in the measured process, holding its GIL. A child lives far longer than that
    (a dbt build, the desk); reading the memory of one is one small file."""

    def __init__(self, exclude_pids: set[int] | None = None, interval: float = 0.05, relist: float = 1.0):
        self.samples: list[tuple[float, int]] = []
        self.exclude = exclude_pids or set()
        self.interval = interval
        self.relist = relist
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="memory-sampler", daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        children: list[psutil.Process] = []
        listed = 0.0
        while not self._stop.is_set():
            now = time.time()
            if now - listed >= self.relist:
                children = [c for c in me.children(recursive=True) if c.pid not in self.exclude]
                listed = now
            total = me.memory_info().rss
            for child in children:
                try:
                    total += child.memory_info().rss
                except psutil.Error:  # ended since it was listed
                    pass
            self.samples.append((now, total))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, began: float, ended: float) -> float:
        inside = [rss for at, rss in self.samples if began <= at <= ended]
        return round(max(inside, default=0) / 2**20)


def cached_company(customers: int, cache: Path, log=print) -> tuple[Path, float | None]:
    """The demo company of that many customers, its last day held back, generated when not
    cached yet; returns its folder and the seconds generating took (None when it was cached)."""
    # the demo's generator and writers: only `c360 bench` generating a company needs them
    from demo.generate import generate
    from demo.writers import EXPORT_ORDERED, sort_service_desk_files

    folder = cache / f"company-{customers}-seed{SEED}-{GENERATOR_VERSION}"
    done = folder / ".complete"
    if done.exists():
        if not (folder / "service_desk" / EXPORT_ORDERED).exists():
            # cached by a generator that left the desk's files in batch order: a page of the
            # export then lies in many places on disk (see sort_service_desk_files)
            log(f"bench: putting the service desk files of {folder} in export order ...")
            sort_service_desk_files(folder / "service_desk")
        return folder, None
    needed = GENERATOR_BATCH_BYTES + customers * GENERATOR_BYTES_PER_CUSTOMER
    free = psutil.virtual_memory().available
    if needed > free:
        raise SystemExit(
            f"bench: generating {customers:,} customers needs about {needed / 2**30:.0f} GiB of memory (a batch "
            f"of customers, and every name kept distinct) and {free / 2**30:.0f} GiB are free; "
            "use a smaller --scale or a bigger machine"
        )
    shutil.rmtree(folder, ignore_errors=True)
    log(f"bench: generating a company of {customers:,} customers, cached in {folder} ...")
    started = time.perf_counter()
    generate(folder, customers=customers, seed=SEED, end=END, hold_back_days=1, log=log)
    seconds = time.perf_counter() - started
    done.write_text(json.dumps({"generate_s": round(seconds, 1)}))
    return folder, seconds


@contextmanager
def service_desk(company: Path, port: int):
    """The company's demo service desk, serving until the block ends; yields its pid."""
    with running_desk(company / "service_desk", port, TOKEN) as server:
        yield server.pid


def bench_config(company: Path, run_dir: Path, memory_limit: str) -> Path:
    """The config the nights run with, `run_dir/c360.yml`. They run on the cached company in
    place: at a million customers its 30 GB and a copy do not both fit beside the warehouse on
    this machine's disk. Its last day is held back again first (a former bench released it),
    the config names the company's files by absolute path, the warehouse is `run_dir/warehouse`
    (one publish kept), the service desk listens on a free port and DuckDB is held to
    `memory_limit`."""
    from demo.held_back import rewind  # as the generator above: only this part of the bench needs it

    rewind(company, 1)
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    config = yaml.safe_load((company / "c360.yml").read_text(encoding="utf-8"))
    sources = config["sources"]
    sources["sales"]["url"] = f"sqlite:///{company / 'crm' / 'crm.sqlite'}"
    sources["logistics"]["landing_dir"] = str(company / "logistics")
    sources["call_center"]["landing_dir"] = str(company / "call_center")
    sources["service"]["base_url"] = f"http://127.0.0.1:{free_port()}"
    sources["service"]["token_env"] = "C360_BENCH_SERVICE_DESK_TOKEN"
    config["warehouse"] = {
        **config.get("warehouse", {}),
        "dir": str(run_dir / "warehouse"),
        "keep_publishes": 1,
        "memory_limit": memory_limit,
    }
    config_file = run_dir / "c360.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config_file


def _raw_rows(work_db: Path) -> int:
    """Rows of the raw layer: the input a night's build reads (not dlt's merge staging)."""

    con = duckdb.connect(str(work_db), read_only=True)
    try:
        tables = con.execute(
            """select schema_name, table_name from duckdb_tables()
               where starts_with(schema_name, 'raw_') and not ends_with(schema_name, '_staging')
                 and not starts_with(table_name, '_dlt')"""
        ).fetchall()
        return sum(con.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0] for s, t in tables)
    finally:
        con.close()


def night(config_file: Path, company: Path, label: str, log=print) -> dict:
    """One nightly run with every step's figures."""
    from c360.run import run_nightly  # Dagster and dbt: seconds to import, for this part of `c360 bench` only

    config = load_config(config_file)
    port = int(config.source("service")["base_url"].rsplit(":", 1)[1])
    with service_desk(company, port) as server_pid, MemorySampler({server_pid}) as memory:
        log(f"bench: {label} night ...")
        began = time.time()
        summary = run_nightly(config)
        ended = time.time()
    if not summary.success:
        raise SystemExit(f"bench: the {label} night failed: {summary.failure}")
    input_rows = _raw_rows(config.warehouse_dir / "work" / "c360.duckdb")
    steps = []
    for step, (step_began, step_ended) in sorted(summary.steps.items(), key=lambda item: item[1][0]):
        source = next((s for s in SOURCES if step.endswith(s) or f"_{s}_" in step or step.startswith(s)), None)
        rows = summary.rows_by_source.get(source, 0) if source else input_rows
        seconds = step_ended - step_began
        steps.append(
            {
                "step": step,
                "seconds": round(seconds, 2),
                "rows": rows,
                "rows_per_s": round(rows / seconds) if seconds > 0 else None,
                "peak_rss_mb": memory.peak_mb(step_began, step_ended),
            }
        )
    log("\n".join(summary.lines()))
    return {
        "seconds": round(ended - began, 1),
        "peak_rss_mb": memory.peak_mb(began, ended),
        "rows_loaded": sum(summary.rows_by_source.values()),
        "input_rows": input_rows,
        "steps": steps,
    }


def engine_read_csv(company: Path) -> dict:
    """DuckDB alone reading the call-center files into a file database: the CDR (CSV without
    a header), queue_log (pipe-separated, trailing fields may be missing) and the IVR survey.
    (The logistics drops are GB18030, which DuckDB reads only with its `encodings` extension,
    not installable offline.)"""

    calls = company / "call_center"
    with tempfile.TemporaryDirectory(prefix="c360-bench-engine-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "engine.duckdb"))
        started = time.perf_counter()
        con.execute(
            f"create table cdr as select * from read_csv('{calls}/cdr/*.csv', header = false, all_varchar = true)"
        )
        fields = ", ".join(f"'field{i}': 'VARCHAR'" for i in range(10))  # time|callid|queue|agent|event|data1-5
        con.execute(
            f"""create table queue_log as select * from read_csv('{calls}/queue_log/queue_log-*', delim = '|',
                header = false, columns = {{{fields}}}, null_padding = true, auto_detect = false, quote = '')"""
        )
        con.execute(
            f"create table ivr as select * from read_csv('{calls}/ivr_survey/survey-*.csv', all_varchar = true)"
        )
        seconds = time.perf_counter() - started
        rows = sum(con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in ("cdr", "queue_log", "ivr"))
        con.close()
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


# dbt and Dagster together may add this much over the project's plain SQL (issue 8's target)
FRAMEWORK_FIXED_S = 8.0
FRAMEWORK_PER_MODEL_S = 0.030


def framework_cost(config_file: Path, night_figures: dict, log=print) -> dict:
    """A night's dbt steps against the same SQL run plainly on one connection, on the
    warehouse that night left (the plain run rebuilds every model from the same raw tables)."""
    from benchmarks.plain_sql import run_plain  # dbt's compiler: seconds to import, for this part only
    from pipelines.dbt import dbt_vars  # Dagster and dbt, as above

    config = load_config(config_file)
    log("bench: the dbt project's compiled SQL on one DuckDB connection ...")
    plain = run_plain(config.warehouse_dir / "work" / "c360.duckdb", dbt_vars(config), config.memory_limit)
    dbt_s = sum(step["seconds"] for step in night_figures["steps"] if step["step"].startswith("c360_dbt_"))
    allowed = FRAMEWORK_FIXED_S + FRAMEWORK_PER_MODEL_S * plain["models"]
    return {
        "dbt_steps_s": round(dbt_s, 2),
        "plain_sql": plain,
        "overhead_s": round(dbt_s - plain["seconds"], 2),
        "allowed_s": round(allowed, 2),
        "within_target": dbt_s - plain["seconds"] <= allowed,
    }


def transformation_peers(config_file: Path, log=print) -> dict:
    """The core of customer_360 in DuckDB SQL, pandas and Polars on the night's inputs."""
    from benchmarks.peers import compare_peers  # the peer tools it compares: for this part only

    config = load_config(config_file)
    log("bench: the core of customer_360 in DuckDB, pandas and Polars ...")
    return compare_peers(
        config.warehouse_dir / "work" / "c360.duckdb", datetime.fromisoformat(AS_OF), config.time_zone, log=log
    )


def dashboard(config_file: Path, repeats: int) -> dict:
    """Each dashboard query's p50/p95 and each page's warm server re-run, on the publish."""
    os.environ["C360_CONFIG"] = str(config_file)
    from benchmarks.dashboard import measure_pages, measure_queries  # Streamlit: for this part only

    queries = measure_queries(repeats)

    published = load_config(config_file).warehouse_dir / "published" / "current.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    search_text = con.execute(
        "select display_name from marts.customer_360 order by revenue_12m desc nulls last limit 1"
    ).fetchall()[0][0]
    con.close()
    pages = measure_pages(repeats, search_text)
    worst_query = max(
        ((name, figures[tier]["p95_ms"]) for name, figures in queries.items() for tier in figures),
        key=lambda item: item[1],
    )
    worst_page = max(((page, f["warm_rerun"]["p95_ms"]) for page, f in pages.items()), key=lambda item: item[1])
    return {
        "worst_query_p95_ms": {"query": worst_query[0], "p95_ms": worst_query[1]},
        "worst_page_rerun_p95_ms": {"page": worst_page[0], "p95_ms": worst_page[1]},
        "queries": queries,
        "pages": pages,
    }


def markdown(result: dict) -> str:
    full, incremental = result["full_night"], result["incremental_night"]
    lines = [
        f"### Scale {result['scale']}: {result['customers']:,} customers, {full['input_rows']:,} source rows "
        f"({result['machine']}, {', '.join([result['measured_on'], *result.get('resumed_on', [])])})",
        "",
        "| step | full night s | rows/s | peak MB | incremental night s | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    later = {s["step"]: s for s in incremental["steps"]}
    for step in full["steps"]:
        other = later.get(step["step"], {})
        lines.append(
            f"| {step['step']} | {step['seconds']:.1f} | {step['rows_per_s'] or 0:,} | {step['peak_rss_mb']:,} | "
            f"{other.get('seconds', 0):.1f} | {other.get('peak_rss_mb', 0):,} |"
        )
    lines.append(
        f"| **whole night** | **{full['seconds']:.1f}** | | **{full['peak_rss_mb']:,}** | "
        f"**{incremental['seconds']:.1f}** ({result['incremental_share_of_full']:.0%}) | "
        f"**{incremental['peak_rss_mb']:,}** |"
    )
    engine = result["engine"]
    lines += [
        "",
        f"Call-center files: DuckDB's own `read_csv` {engine['duckdb_read_csv']['rows_per_s']:,} rows/s "
        f"({engine['duckdb_read_csv']['seconds']:.1f} s); c360's call-center load "
        f"{engine['c360_load']['rows_per_s']:,} rows/s ({engine['c360_load']['seconds']:.1f} s, "
        f"{engine['ratio_c360_to_duckdb']}x).",
    ]
    framework = result["framework"]
    lines.append(
        f"The incremental night's dbt steps {framework['dbt_steps_s']:.1f} s against the same "
        f"{framework['plain_sql']['models']} models and "
        f"{framework['plain_sql']['tests']} tests as plain SQL on one connection "
        f"{framework['plain_sql']['seconds']:.1f} s: the framework adds {framework['overhead_s']:.1f} s "
        f"(target at most {framework['allowed_s']:.1f} s)."
    )
    peers = result["peers"]
    lines.append(
        f"The core of customer_360 ({peers['customers']:,} customers, {peers['input_rows']:,} input rows): "
        f"DuckDB SQL {peers['duckdb']['seconds']:.2f} s, pandas {peers['pandas']['seconds']:.2f} s "
        f"({peers['pandas_over_duckdb']}x), Polars {peers['polars']['seconds']:.2f} s ({peers['polars_over_duckdb']}x)."
    )
    if "dashboard" in result:
        board = result["dashboard"]
        lines.append(
            f"Dashboard, warm: slowest query p95 {board['worst_query_p95_ms']['p95_ms']} ms "
            f"({board['worst_query_p95_ms']['query']}); slowest page re-run p95 "
            f"{board['worst_page_rerun_p95_ms']['p95_ms']} ms ({board['worst_page_rerun_p95_ms']['page']})."
        )
    return "\n".join(lines) + "\n"


def resumable(previous: dict, scale: str, customers: int, run_dir: Path) -> None:
    """Raise SystemExit unless the bench that wrote `previous` can be carried on: same scale,
    not complete, and its warehouse in the state its last measurement left (a night stopped
    part way has loaded part of a day, and the next night would measure something else)."""
    if previous.get("complete"):
        raise SystemExit("bench: --resume: that bench is complete; run it again without --resume")
    if (previous.get("scale"), previous.get("customers")) != (scale, customers):
        raise SystemExit(
            f"bench: --resume: that bench is of scale {previous.get('scale')} "
            f"({previous.get('customers')} customers), not {scale} ({customers})"
        )
    work_db = run_dir / "warehouse" / "work" / "c360.duckdb"
    last_night = previous.get("incremental_night") or previous.get("full_night")
    if last_night is None or not work_db.exists():
        raise SystemExit(f"bench: --resume: no night of that bench is left in {run_dir}; run it without --resume")
    if _raw_rows(work_db) != last_night["input_rows"]:
        raise SystemExit(
            f"bench: --resume: {work_db} holds other rows than the last night measured left "
            f"({last_night['input_rows']:,}): a night was stopped part way; run the bench without --resume"
        )


def bench(
    scale: str,
    cache: Path,
    repeats: int,
    customers: int | None = None,
    memory_limit: str = MEMORY_LIMIT,
    log=print,
    checkpoint=None,
    previous: dict | None = None,
) -> dict:
    """Every measurement of one scale; `checkpoint(result)` is called after each with the
    figures so far. With `previous` (the figures a stopped bench wrote), the measurements it
    has are kept and the rest are taken on the warehouse it left: at L the full night alone
    takes longer than some sessions last."""
    customers = customers or SCALES[scale]
    company, generate_s = cached_company(customers, cache, log)
    run_dir = cache / f"run-{customers}"
    if previous is None:
        generated_now = generate_s is not None
        if not generated_now:  # what generating it took when it was cached
            generate_s = json.loads((company / ".complete").read_text())["generate_s"]
        config_file = bench_config(company, run_dir, memory_limit)
        result = {
            "scale": scale,
            "customers": customers,
            "machine": f"{os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB, "
            f"{platform.machine()}",
            "measured_on": date.today().isoformat(),
            "memory_limit": memory_limit,
            "generate_s": round(generate_s, 1),
            "generated_now": generated_now,
            "complete": False,
        }
    else:
        resumable(previous, scale, customers, run_dir)
        from demo.held_back import rewind  # as the generator above: only this part of the bench needs it

        rewind(company, 1)  # the day the incremental night releases is held back
        config_file = run_dir / "c360.yml"  # as the stopped bench wrote it (its memory_limit too)
        result = {**previous, "resumed_on": [*previous.get("resumed_on", []), date.today().isoformat()]}
    os.environ["C360_BENCH_SERVICE_DESK_TOKEN"] = TOKEN
    os.environ["C360_AS_OF"] = AS_OF  # both nights count back from the same moment

    def measured(key: str, take) -> dict:
        """`take()`'s figures under `key`, unless the bench being resumed has them."""
        if key not in result:
            result[key] = take()
            if checkpoint:
                checkpoint(result)
        return result[key]

    full = measured("full_night", lambda: night(config_file, company, "full", log))
    measured("engine", lambda: engine_versus_c360(company, full))
    measured("peers", lambda: transformation_peers(config_file, log))
    incremental = measured("incremental_night", lambda: incremental_night(config_file, company, log))
    result["incremental_share_of_full"] = round(incremental["seconds"] / full["seconds"], 3)
    if repeats:
        measured("dashboard", lambda: dashboard(config_file, repeats))
    # last: it rebuilds every model once more, the longest measurement after the nights
    measured("framework", lambda: framework_cost(config_file, incremental, log))
    result["complete"] = True
    return result


def engine_versus_c360(company: Path, full: dict) -> dict:
    """DuckDB's own read of the call-center files beside the full night's load of them."""
    engine = engine_read_csv(company)
    call_center = next(s for s in full["steps"] if "call_center" in s["step"])
    return {
        "duckdb_read_csv": engine,
        "c360_load": {
            "rows": call_center["rows"],
            "seconds": call_center["seconds"],
            "rows_per_s": call_center["rows_per_s"],
        },
        "ratio_c360_to_duckdb": round(call_center["seconds"] / engine["seconds"], 1),
    }


def incremental_night(config_file: Path, company: Path, log=print) -> dict:
    """The held-back day arrives and the night runs again; the day is held back afterwards, so
    the cached company stays as generated for the next bench."""
    from demo.held_back import advance, rewind  # as the generator above: only this part of the bench needs it

    advance(company, 1)
    try:
        return night(config_file, company, "incremental (one more day)", log)
    finally:
        rewind(company, 1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=SCALES, required=True, help="S, M or L: 10k, 100k or 1M customers")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--markdown", help="write the table here (default: beside --json, .md)")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "c360-bench"), help="companies are kept here")
    parser.add_argument("--repeats", type=int, default=20, help="runs of each dashboard query (0: skip)")
    parser.add_argument("--customers", type=int, help="another number of customers (the harness's own test)")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="carry on the stopped bench whose figures --json holds, on the warehouse it left",
    )
    parser.add_argument(
        "--memory-limit", default=MEMORY_LIMIT, help=f"the nights' warehouse.memory_limit (default {MEMORY_LIMIT})"
    )


def run_from_args(args: argparse.Namespace) -> int:
    if psutil is None:
        raise SystemExit("c360 bench needs the bench extra (psutil, polars): pip install 'c360[bench]'")

    def write_so_far(result: dict) -> None:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")

    previous = None
    if args.resume:
        if not args.json or not Path(args.json).exists():
            raise SystemExit("bench: --resume carries on the bench whose figures --json names; give that file")
        previous = json.loads(Path(args.json).read_text())
    result = bench(
        args.scale,
        Path(args.cache),
        args.repeats,
        args.customers,
        args.memory_limit,
        checkpoint=write_so_far if args.json else None,
        previous=previous,
    )
    table = markdown(result)
    print(table, flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
        Path(args.markdown or Path(args.json).with_suffix(".md")).write_text(table)
    elif args.markdown:
        Path(args.markdown).write_text(table)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
