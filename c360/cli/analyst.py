"""`c360 sql`, `c360 docs`, `c360 customer`: what an analyst or an agent asks of the published warehouse."""

from __future__ import annotations

import csv
import sys

from c360 import analyst_sql
from c360.cli.options import tcp_port, with_config
from c360.config import load_config
from c360.docs import generate as generate_docs
from c360.docs import serve as serve_docs
from c360.lookup import find_customers, profile, render, sections_of, timeline
from c360.privacy import pseudonym_key, real_contacts, show_contacts
from c360.warehouse import WarehousePaths, current_file, open_published


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
        sections = sections_of(con, chosen.customer_id)
    finally:
        con.close()
    print(f"matched on {chosen.matched_on}")
    print("\n".join(render(customer, events, total, sections)))
    return 0


def add_commands(sub) -> None:
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

    p = with_config(sub.add_parser("docs", help="dbt docs of the published marts, served on 127.0.0.1"))
    p.add_argument("--port", type=tcp_port, default=8580)
    p.add_argument("--no-serve", action="store_true", help="only write the page")
    p.set_defaults(func=cmd_docs)

    p = with_config(sub.add_parser("customer", help="one customer's profile and timeline"))
    p.add_argument("query", help="a name (or part), phone, e-mail, order number, source record id or customer id")
    p.add_argument("--limit", type=int, default=30, help="newest touchpoints to show (default 30)")
    p.add_argument("--all", action="store_true", help="show the whole timeline")
    p.add_argument("--first", action="store_true", help="when several customers match, show the best match")
    p.set_defaults(func=cmd_customer)
