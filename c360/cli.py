"""The `c360` command."""

from __future__ import annotations

import argparse
import atexit
import csv
import getpass
import json
import os
import re
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from benchmarks import scale as bench_at_scale
from c360 import analyst_sql
from c360.clock import AsOfError, parse_as_of, pin_as_of
from c360.config import ConfigError, load_config
from c360.docs import generate as generate_docs
from c360.docs import serve as serve_docs
from c360.eval_identity import TruthFileError, evaluate, report_lines
from c360.lookup import find_customers, profile, render, timeline
from c360.passwords import secrets_entry
from c360.privacy import pseudonym_key, real_contacts, show_contacts
from c360.run import RunInProgressError, run_nightly
from c360.warehouse import NotPublishedError, WarehousePaths, current_file, open_published, rollback, verify_publish
from connectors.loader import SourceError
from demo.generate import generate as generate_demo
from demo.held_back import advance
from demo.service_desk_api import Faults
from demo.service_desk_api import serve as serve_desk

DASHBOARD_APP = Path(__file__).resolve().parents[1] / "dashboards" / "streamlit_app.py"


def cmd_demo(args) -> int:
    generate_demo(
        Path(args.out),
        customers=args.customers,
        seed=args.seed,
        end=date.fromisoformat(args.end_date) if args.end_date else None,
        api_port=args.api_port,
        hold_back_days=args.hold_back_days,
        as_of=parse_as_of(args.as_of, "--as-of") if args.as_of else None,
        profile=args.profile,
    )
    return 0


def cmd_demo_advance(args) -> int:
    config = load_config(args.config)
    day = advance(config.folder, args.days)
    print(f"demo: source data now runs to {day}")
    return 0


def cmd_demo_api(args) -> int:
    config = load_config(args.config)
    service = config.source("service")
    if service is None:
        raise ConfigError(f"{config.path}: no 'sources.service' section to serve")
    token = os.environ.get(service["token_env"])
    if not token:
        raise ConfigError(
            f"demo-api: set ${service['token_env']} (sources.service.token_env) to the token the API should accept"
        )
    url = urlsplit(service["base_url"])
    faults = Faults.parse(args.faults) if args.faults else None
    server = serve_desk(config.folder / "service_desk", url.hostname or "127.0.0.1", url.port or 80, token, faults)
    print(f"demo-api: serving the service desk on {service['base_url']} (Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    return 0


def cmd_run(args) -> int:
    config = load_config(args.config)
    as_of = pin_as_of(args.as_of)  # one "now" for every step of the night, and its children
    print(f"c360 run: as of {as_of} UTC", flush=True)
    summary = run_nightly(config)
    print("\n".join(summary.lines()), flush=True)
    return 0 if summary.success else 1


def cmd_dashboard(args) -> int:
    config = load_config(args.config)
    paths = WarehousePaths(config.warehouse_dir)
    try:
        print(f"c360: published warehouse {current_file(paths)}")
    except NotPublishedError as e:
        print(f"c360: {e}; the dashboard will say so")
    print(f"c360: dashboard on http://localhost:{args.port}", flush=True)
    env = dict(os.environ, C360_CONFIG=str(config.path))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(DASHBOARD_APP),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # dashboard logins and their roles (dashboards/auth.py) live in this file, never in the config
        "--secrets.files",
        str(config.dashboard["secrets_file"]),
    ]
    # streamlit takes this process's place (not a child of it): a stop signal for `c360 dashboard`
    # reaches the server itself, which a child left running on its port when its parent was stopped
    sys.stdout.flush()
    os.execve(sys.executable, command, env)
    return 0  # not reached


def cmd_dashboard_password(args) -> int:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.user):
        print("c360: a user name may hold letters, digits, '_', '.' and '-' only", file=sys.stderr)
        return 2
    # a terminal asks twice without echo; a pipe (scripts, tests) gives it on one line
    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty() and getpass.getpass("again: ") != password:
        print("c360: the passwords differ", file=sys.stderr)
        return 2
    if len(password) < 8:
        print("c360: use a password of at least 8 characters", file=sys.stderr)
        return 2
    print(secrets_entry(args.user, args.role, password), end="")
    return 0


def cmd_sql(args) -> int:
    config = load_config(args.config)

    def emit(relation) -> None:
        if args.csv:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(relation.columns)
            writer.writerows(relation.fetchall())
        else:
            relation.show(max_rows=args.max_rows, max_width=10_000)

    try:
        limits = analyst_sql.limits(args.timeout, args.memory_limit, args.threads)
        analyst_sql.run(WarehousePaths(config.warehouse_dir), args.query, limits, emit)
    except analyst_sql.AnalystQueryError as e:
        print(f"c360: {e}", file=sys.stderr)
        return e.exit_code
    return 0


def cmd_rollback(args) -> int:
    config = load_config(args.config)
    restored = rollback(WarehousePaths(config.warehouse_dir))
    print(f"c360: {restored.name} is current again")
    problems = verify_publish(restored)
    if problems:
        print("c360: it does NOT match what was recorded when it was published:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("c360: every mart matches the checksums recorded when it was published")
    return 0


def cmd_docs(args) -> int:
    config = load_config(args.config)
    print("c360: generating the dbt docs of the published warehouse ...", flush=True)
    page = generate_docs(config)
    print(f"c360: wrote {page}")
    if not args.no_serve:
        serve_docs(page.parent, args.port)
    return 0


def cmd_customer(args) -> int:
    config = load_config(args.config)
    # one publish for the whole lookup: its marts, and the contacts file published with it
    published = current_file(WarehousePaths(config.warehouse_dir))
    con = open_published(WarehousePaths(config.warehouse_dir), published)
    try:
        key = pseudonym_key(config.warehouse_dir, create=False)
        matches = find_customers(con, args.query, config.phone_region, key)
        if not matches:
            print(
                f"c360: no customer matches {args.query!r} (try a name, phone, e-mail, order number or id)",
                file=sys.stderr,
            )
            return 1
        if len(matches) > 1 and not args.first:
            print(f"{len(matches)} customers match {args.query!r}; name one by id (or pass --first):")
            for m in matches:
                print(f"  {m.customer_id}  {m.customer_type:<13} {m.display_name}   ({m.matched_on})")
            return 0
        chosen = matches[0]
        # the real e-mail and phone only for an account that may read the contacts file
        customer = show_contacts(profile(con, chosen.customer_id), real_contacts(published, chosen.customer_id))
        total = con.execute(
            "select count(*) from marts.fct_touchpoints where customer_id = ?", [chosen.customer_id]
        ).fetchall()[0][0]
        events = timeline(con, chosen.customer_id, None if args.all else args.limit)
    finally:
        con.close()
    print(f"matched on {chosen.matched_on}")
    print("\n".join(render(customer, events, total)))
    return 0


def cmd_eval_identity(args) -> int:
    config = load_config(args.config)
    truth = Path(args.truth) if args.truth else config.folder / "ground_truth" / "identities.csv"
    con = open_published(WarehousePaths(config.warehouse_dir))
    try:
        result = evaluate(con, truth)
    finally:
        con.close()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"identity against {truth}")
        print("\n".join(report_lines(result)))
    return 0


def cmd_eval_churn(args) -> int:
    from scoring.churn import backtest  # scikit-learn: 1.5 s to import, for this command only

    config = load_config(args.config)
    # the features read the staging layer, which stays in the run's working database (not published)
    work_db = WarehousePaths(config.warehouse_dir).work_db
    if not work_db.exists():
        raise NotPublishedError(f"no working database at {work_db}: run `c360 run` first")
    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.IOException:
        raise NotPublishedError(f"{work_db} is being written by a run: try again when it has finished") from None
    try:
        result = backtest(con)
    finally:
        con.close()
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"churn backtest: fitted on customers as of {result['train_cutoff']}, tested on them as of "
            f"{result['test_cutoff']} against what they did in the following 180 days"
        )
        print(f"  AUC                 {result['auc']:.4f}")
        print(f"  top-decile lift     {result['lift_top_decile']:.2f}")
        print(f"  test customers      {result['test_customers']:,} (churn rate {result['test_churn_rate']:.1%})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c360", description="The customer-360 warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(p):
        p.add_argument("--config", help="the c360 YAML config (default: $C360_CONFIG, else ./c360.yml)")
        return p

    p = sub.add_parser("demo", help="write the demo company's four systems and a ready config")
    p.add_argument("--customers", type=int, default=2000, help="number of customers (default 2000)")
    p.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same bytes")
    p.add_argument("--out", default="demo_company", help="output folder (default ./demo_company)")
    p.add_argument("--end-date", help="last day of the two-year history, YYYY-MM-DD (written as at its last second)")
    p.add_argument(
        "--as-of",
        help="the UTC moment the systems are written at, 'YYYY-MM-DD HH:MM:SS'; nothing is stamped later "
        "(default: $C360_AS_OF, else now)",
    )
    p.add_argument("--api-port", type=int, default=8765, help="port the demo service-desk API will use")
    p.add_argument(
        "--profile",
        choices=["cn", "us"],
        default="cn",
        help="which company: cn, a network-equipment supplier in Shanghai (default); us, an industrial "
        "distributor in Chicago",
    )
    p.add_argument(
        "--hold-back-days",
        type=int,
        default=0,
        help="keep the last N days aside; `c360 demo-advance` releases them one by one",
    )
    p.set_defaults(func=cmd_demo)

    p = with_config(sub.add_parser("demo-advance", help="let the demo's systems gain held-back days"))
    p.add_argument("--days", type=int, default=1)
    p.set_defaults(func=cmd_demo_advance)

    p = with_config(sub.add_parser("demo-api", help="serve the demo's service-desk API until stopped"))
    p.add_argument(
        "--faults",
        help="inject trouble, e.g. 429=5,500=7,slow=9,repeat=3 (every n-th request), limit=10/60 (a rate limit)",
    )
    p.set_defaults(func=cmd_demo_api)

    p = with_config(sub.add_parser("run", help="one nightly integration: load, build, check, publish"))
    p.add_argument(
        "--as-of",
        help="the night's 'now', UTC 'YYYY-MM-DD HH:MM:SS': the same sources and as-of give the same marts "
        "(default: $C360_AS_OF, else the night's start)",
    )
    p.set_defaults(func=cmd_run)

    p = with_config(sub.add_parser("dashboard", help="start the Streamlit dashboard"))
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser(
        "dashboard-password", help="print the secrets-file lines that let a user sign in to the dashboard"
    )
    p.add_argument("user")
    p.add_argument("--role", default="viewer", help="the user's role (privacy.contact_roles see contact details)")
    p.set_defaults(func=cmd_dashboard_password)

    p = with_config(sub.add_parser("sql", help="query the published warehouse, read-only"))
    p.add_argument("query")
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.add_argument("--max-rows", type=int, default=100)
    p.add_argument(
        "--timeout",
        type=float,
        help="stop the query after this many seconds, 0 for never (default $C360_SQL_TIMEOUT, else 300)",
    )
    p.add_argument(
        "--memory-limit",
        help="DuckDB's memory limit, e.g. 2GB (default $C360_SQL_MEMORY_LIMIT, else a quarter of RAM, at most 4 GiB)",
    )
    p.add_argument("--threads", type=int, help="DuckDB's threads (default $C360_SQL_THREADS, else half the cores, 1-4)")
    p.set_defaults(func=cmd_sql)

    p = with_config(sub.add_parser("rollback", help="make the previous publish current again, and verify it"))
    p.set_defaults(func=cmd_rollback)

    p = with_config(sub.add_parser("docs", help="dbt docs of the published marts, served on 127.0.0.1"))
    p.add_argument("--port", type=int, default=8580)
    p.add_argument("--no-serve", action="store_true", help="only write the page")
    p.set_defaults(func=cmd_docs)

    p = with_config(sub.add_parser("customer", help="one customer's profile and timeline"))
    p.add_argument("query", help="a name (or part), phone, e-mail, order number, source record id or customer id")
    p.add_argument("--limit", type=int, default=30, help="newest touchpoints to show (default 30)")
    p.add_argument("--all", action="store_true", help="show the whole timeline")
    p.add_argument("--first", action="store_true", help="when several customers match, show the best match")
    p.set_defaults(func=cmd_customer)

    p = sub.add_parser("bench", help="the nightly run at scale S, M or L: every step's time, rows/s and memory")
    bench_at_scale.add_arguments(p)
    p.set_defaults(func=bench_at_scale.run_from_args)

    evaluations = sub.add_parser("eval", help="measure the published result against a ground truth")
    which = evaluations.add_subparsers(dest="evaluation", required=True)
    p = with_config(which.add_parser("identity", help="pairwise and cluster precision/recall of identity"))
    p.add_argument("--truth", help="ground-truth CSV (default: <config folder>/ground_truth/identities.csv)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_eval_identity)
    p = with_config(which.add_parser("churn", help="out-of-time backtest of the churn model: AUC and top-decile lift"))
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_eval_churn)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, NotPublishedError, TruthFileError, AsOfError) as e:
        print(f"c360: {e}", file=sys.stderr)
        return 2
    except Exception as e:
        if isinstance(e, (SourceError, RunInProgressError, duckdb.Error)):
            print(f"c360: {e}", file=sys.stderr)
            return 2
        raise


def console_main() -> None:
    """The `c360` command: `main`, then the process ends without tearing its modules down one by
    one. Python's own teardown of what a night imports (Dagster, dbt, dlt, splink, scikit-learn)
    and holds took 2 s of a small company's 22 s night here; exit handlers still run and every
    stream is flushed first. An error that escapes `main` ends the process the usual way."""
    code = main() or 0
    atexit._run_exitfuncs()  # what libraries registered (dbt-duckdb closes its database there)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
