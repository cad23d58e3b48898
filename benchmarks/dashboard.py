"""The dashboard on a 1,000,000-customer warehouse: each query's p50/p95, each page's server
re-run with a warm cache, each page's first render after a new publish, the customer search.

    python -m benchmarks.dashboard --customers 1000000 --json benchmarks/results/dashboard.json

The warehouse is the published result of one nightly run of a `--base-customers` demo company,
tiled until it holds `--customers` customers: every table the dashboard reads is copied once per
tile, and every id, name, e-mail and phone in it carries the tile's number (tile 0 keeps the
originals, so real names and phone numbers can be searched). Tables that are already aggregates
(per day × queue, per day × channel × tier, ...) are tiled too, so they hold `tiles` times the
rows a real company of that size would have: the figures err on the slow side.

Pages run in Streamlit's AppTest, in this process, against the tiled warehouse read-only.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import phonenumbers
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from benchmarks.identity import base_company
from c360.lookup import find_customers
from c360.privacy import KEY_FILE
from c360.warehouse import contacts_of
from dashboards import data, queries
from dashboards.queries import (  # noqa: F401 - each page's queries, reached as queries.<page>
    customer_360,
    data_health,
    delivery,
    figure_details,
    open_promises,
    overview,
    pipeline,
    satisfaction,
    segments_churn,
    service_calls,
    worklist,
)

# columns that identify or name someone: made distinct per tile
TEXT_KEYS = {
    "customer_id", "person_id", "touchpoint_id", "promise_id", "order_id", "order_number", "source_record_id",
    "response_id", "previous_id", "current_id", "crm_account_id", "crm_contact_id", "account_id",
    "first_shipment_id", "email", "phone_e164", "phone2_e164", "primary_email", "primary_phone", "display_name",
    "full_name", "search_key", "matched_value",
}  # fmt: skip
NUMBER_KEYS = {"ticket_id"}
# what the dashboard reads besides the marts (the search and Data health)
EXTRA_TABLES: list[str] = []
# aggregate marts: rows kept once, these counts and sums multiplied by the number of tiles
ADDITIVE = {
    "marts.touchpoints_daily": ["touchpoints", "customers"],
    "marts.orders_daily": ["orders", "revenue"],
    "marts.callcenter_daily": ["offered", "answered", "abandoned", "short_abandons", "fcr_responses"],
    "marts.callcenter_hourly": ["offered", "answered", "abandoned", "answered_within_20s", "answered_hold_seconds",
                                "answered_talk_seconds"],
    "marts.satisfaction_daily": ["responses", "satisfied", "rated", "promoters", "detractors", "nps_responses"],
    "marts.sales_monthly": ["opportunities_opened", "pipeline_created_amount", "opportunities_won",
                            "opportunities_lost", "won_amount", "lost_amount", "orders", "revenue",
                            "open_pipeline_amount_now"],
    "marts.acquisition_funnel": ["leads", "converted", "became_customers"],
    "marts.segment_movements": ["customers"],
    "marts.segment_family_matrix": ["customers", "orders", "revenue_12m"],
    "marts.customer_kpis_daily": ["numerator", "denominator"],
    "marts.customer_reachability_monthly": ["contacts"],
    "marts.customer_identity_summary": ["records", "resolved_into", "merged_away", "joined_by_rule",
                                        "joined_by_splink", "alone"],
    "marts.customer_churn_nightly": ["scored_customers", "high_risk_customers", "revenue_12m", "value_at_risk"],
    "marts.sales_revenue_monthly": ["orders", "revenue", "margin"],
    "marts.satisfaction_themes_monthly": ["comments", "bad_comments"],
}  # fmt: skip
# tables the models store sorted (see their SQL): tiles are sorted the same way
SORTED_BY = {
    "marts.fct_touchpoints": "customer_id, occurred_at",
    "marts.order_fulfilment": "ordered_at",
    "marts.customer_search": "search_key",
    "marts.dim_customer": "customer_id",
    "marts.customer_360": "customer_id",
    "marts.open_promises": "queue_position nulls last",
}
KEPT_AS_IS = ["ops.publish_log", "ops.load_reconciliation", "ops.quality_results", "ops.quarantine",
              "identity.match_runs", "identity.shared_identifiers"]  # fmt: skip


def tile_warehouse(base: Path, target: Path, tiles: int) -> dict[str, int]:
    """Write `target`, the base publish tiled `tiles` times; returns the rows of each table.
    Built under another name and renamed when complete, so a stopped build is not reused."""
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    con = duckdb.connect(str(partial))
    # sorting the biggest tables must spill to disk rather than fail
    con.execute("set memory_limit = '12GB'")
    con.execute(f"set temp_directory = '{target.parent / 'tmp'}'")
    con.execute(f"attach '{base}' as base (read_only)")
    found = con.execute(
        "select table_name from information_schema.tables where table_catalog = 'base' and table_schema = 'marts'"
    ).fetchall()
    marts = [f"marts.{table}" for (table,) in found]
    rows = {}
    con.execute("create table tiles as select range as tile from range(?)", [tiles])
    for name in [*marts, *EXTRA_TABLES, *KEPT_AS_IS]:
        schema, table = name.split(".")
        con.execute(f"create schema if not exists {schema}")
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = 'base' and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        if name in KEPT_AS_IS:
            con.execute(f"create table {name} as select * from base.{name}")
        elif name in ADDITIVE:
            select = [
                f'"{column}" * {tiles} as "{column}"' if column in ADDITIVE[name] else f'"{column}"'
                for column, _ in columns
            ]
            con.execute(f"create table {name} as select {', '.join(select)} from base.{name}")
        else:
            select = []
            for column, kind in columns:
                if column in TEXT_KEYS and kind == "VARCHAR":
                    select.append(
                        f'case when tile = 0 then "{column}" else "{column}" || \'~\' || tile end as "{column}"'
                    )
                elif column in NUMBER_KEYS:
                    select.append(f'"{column}" + tile * 1000000000 as "{column}"')
                else:
                    select.append(f'"{column}"')
            order = f" order by {SORTED_BY[name]}" if name in SORTED_BY else ""
            con.execute(f"create table {name} as select {', '.join(select)} from base.{name}, tiles{order}")
        rows[name] = con.execute(f"select count(*) from {name}").fetchall()[0][0]
        print(f"benchmark: {name:<50} {rows[name]:>12,} rows", flush=True)
    con.execute("detach base")
    con.execute("checkpoint")
    con.close()
    os.chmod(partial, 0o444)
    os.replace(partial, target)
    return rows


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(1000 * statistics.median(ordered), 1), "p95_ms": round(1000 * p95, 1), "runs": len(ordered)}


def timed(call, repeats: int) -> dict:
    call()  # warm: the connection, DuckDB's caches
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def measure_queries(repeats: int) -> dict:
    """Each cached query of the data module, its work without Streamlit's cache (the DuckDB
    query and the Arrow → pandas copy), on the default filters and on one value tier.
    Long because: one table of every query the pages run, each with its arguments, in one place."""

    version = data.publish_version()
    info = data.publish_info(version)
    end = info["as_of"]
    start = date.fromordinal(end.toordinal() - 89)
    customer = queries.segments_churn.churn_list(version, ()).iloc[0]["customer_id"]
    period = data.Period(start, end)
    # a point of a customer's satisfaction over time: the newest answer's customer, month and channel
    answered = data.query(
        version,
        """select customer_id, cast(date_trunc('month', response_date) as date) as month, channel
           from marts.satisfaction_responses order by responded_at desc, response_id limit 1""",
    ).iloc[0]
    overview_params = {**period.params(), **period.previous().params("prev_")}

    def overview_statement(kpi: str, tiers: tuple[str, ...]):
        tier = data.tier_filter(tiers, "value_tier" if kpi == "high_churn" else "segment")
        sql = queries.overview.OVERVIEW_SQL[kpi].format(segment=data.segment_filter(tiers), tier=tier)
        return data.query(version, sql, data.with_tiers(overview_params, tiers))

    calls = {
        **{
            f"overview.{kpi}": (lambda tiers, kpi=kpi: overview_statement(kpi, tiers))
            for kpi in queries.overview.OVERVIEW_SQL
        },
        "overview (all ten statements)": lambda tiers: queries.overview.overview.__wrapped__(
            version, start, end, tiers
        ),
        "touchpoints_by_month": lambda tiers: queries.overview.touchpoints_by_month.__wrapped__(
            version, start, end, tiers
        ),
        "satisfaction_by_month": lambda tiers: queries.satisfaction.satisfaction_by_month.__wrapped__(
            version, start, end, tiers
        ),
        "satisfaction_by_segment": lambda tiers: queries.satisfaction.satisfaction_by.__wrapped__(
            version, "segment", start, end, tiers
        ),
        "satisfaction_by_family": lambda tiers: queries.satisfaction.satisfaction_by.__wrapped__(
            version, "product_family", start, end, tiers
        ),
        "bad_rating_precursors": lambda tiers: queries.satisfaction.bad_rating_precursors.__wrapped__(
            version, start, end, tiers
        ),
        "answers_after": lambda tiers: queries.satisfaction.answers_after.__wrapped__(
            version, start, end, tiers, "late_delivery", True
        ),
        "service_by_month": lambda tiers: queries.service_calls.service_by_month.__wrapped__(
            version, start, end, tiers
        ),
        "service_backlog": lambda tiers: queries.service_calls.service_backlog.__wrapped__(version, tiers),
        "calls_by_queue": lambda tiers: queries.service_calls.calls_by_queue.__wrapped__(version, start, end),
        "calls_by_hour": lambda tiers: queries.service_calls.calls_by_hour.__wrapped__(version, start, end),
        "calls_by_agent": lambda tiers: queries.service_calls.calls_by_agent.__wrapped__(version, start, end),
        "calls_of_hour": lambda tiers: queries.service_calls.calls_of_hour.__wrapped__(
            version, start, end, 10, queries.service_calls.calls_by_queue.__wrapped__(version, start, end).iloc[0, 0]
        ),
        "delivery_by_month": lambda tiers: queries.delivery.delivery_by_month.__wrapped__(version, start, end, tiers),
        "order_journey": lambda tiers: queries.delivery.order_journey.__wrapped__(version, start, end, tiers),
        "tier_by_stage": lambda tiers: queries.segments_churn.tier_by_stage.__wrapped__(version, tiers),
        "customers_of_tier_and_stage": lambda tiers: queries.segments_churn.customers_of_tier_and_stage.__wrapped__(
            version, (tiers or data.value_tiers(version))[0], "active"
        ),
        "tier_movements": lambda tiers: queries.segments_churn.tier_movements.__wrapped__(version, start, end),
        "churn_list": lambda tiers: queries.segments_churn.churn_list.__wrapped__(version, tiers),
        "value_at_risk_of_night": lambda tiers: queries.segments_churn.churn_list.__wrapped__(
            version, tiers, limit=data.ROW_CAP
        ),
        "promises_by_age": lambda tiers: queries.open_promises.promises_by_age.__wrapped__(version, tiers),
        "promise_queue": lambda tiers: queries.open_promises.promise_queue.__wrapped__(version, tiers),
        "source_freshness": lambda tiers: queries.data_health.source_freshness.__wrapped__(version),
        "quality_results": lambda tiers: queries.data_health.quality_results.__wrapped__(version),
        "identity_health": lambda tiers: queries.data_health.identity_health.__wrapped__(version),
        "contactability": lambda tiers: queries.data_health.contactability.__wrapped__(version),
        "reachability_rows": lambda tiers: queries.data_health.reachability_rows.__wrapped__(version),
        "reachable_share_by_month": lambda tiers: queries.data_health.reachable_share_by_month.__wrapped__(version),
        "customer_profile": lambda tiers: queries.customer_360.customer_profile.__wrapped__(version, customer),
        "customer_timeline": lambda tiers: queries.customer_360.customer_timeline.__wrapped__(
            version, customer, start, end, (), ()
        ),
        "customer_promises": lambda tiers: queries.customer_360.customer_promises.__wrapped__(version, customer),
        "customer_satisfaction": lambda tiers: queries.customer_360.customer_satisfaction.__wrapped__(
            version, customer
        ),
        "customer_answers_of_month": lambda tiers: queries.customer_360.customer_answers_of_month.__wrapped__(
            version, answered.customer_id, answered.month, answered.channel
        ),
        **{
            f"customer_{part}": (
                lambda tiers, part=part: getattr(queries.customer_360, f"customer_{part}").__wrapped__(
                    version, customer
                )
            )
            for part in ("departments_and_channels", "people", "opportunities", "actions", "verbatims")
        },
        "publishes": lambda tiers: queries.data_health.publishes.__wrapped__(version),
        "quarantine": lambda tiers: queries.data_health.quarantine.__wrapped__(version),
        "identity_runs": lambda tiers: queries.data_health.identity_runs.__wrapped__(version),
        "shared_identifiers": lambda tiers: queries.data_health.shared_identifiers.__wrapped__(version),
        "open_and_at_risk": lambda tiers: queries.open_promises.open_and_at_risk.__wrapped__(version, tiers),
        "themes_by_month": lambda tiers: queries.satisfaction.themes_by_month.__wrapped__(version, start, end, tiers),
        "verbatims": lambda tiers: queries.satisfaction.verbatims.__wrapped__(version, start, end, tiers, None),
        "revenue_by_month_against_year_before": lambda tiers: (
            queries.segments_churn.revenue_by_month_against_year_before.__wrapped__(version, end, tiers)
        ),
        "revenue_by_family_against_year_before": lambda tiers: (
            queries.segments_churn.revenue_by_against_year_before.__wrapped__(version, end, tiers, "product_family")
        ),
        "value_at_risk_by_night": lambda tiers: queries.segments_churn.value_at_risk_by_night.__wrapped__(
            version, tiers
        ),
        "top_customers": lambda tiers: queries.segments_churn.top_customers.__wrapped__(version, start, end, tiers),
        "open_tickets": lambda tiers: queries.service_calls.open_tickets.__wrapped__(version, tiers),
        "pipeline_by_stage": lambda tiers: queries.pipeline.by_stage.__wrapped__(version, tiers),
        "stale_deals": lambda tiers: queries.pipeline.stale_deals.__wrapped__(version, tiers),
        "worklist_summary": lambda tiers: queries.worklist.summary.__wrapped__(version, start, end, tiers),
        "worklist_by_owner": lambda tiers: queries.worklist.by_owner.__wrapped__(version, start, end, tiers),
        "worklist_actions": lambda tiers: queries.worklist.actions.__wrapped__(
            version, tiers, ("open", "overdue"), None, None
        ),
        # the list behind each of the Overview's figures and charts, and the figure added up from all of it
        **{
            f"figure_details.{kpi}{part}": (
                lambda tiers, kpi=kpi, part=part: getattr(
                    queries.figure_details, part.strip(".") or "rows"
                ).__wrapped__(version, kpi, start, end, tiers)
            )
            for kpi in queries.figure_details.LISTS
            for part in ("", ".figure")
        },
    }
    figures = {}
    for name, call in calls.items():
        figures[name] = {
            "all_tiers": timed(lambda call=call: call(()), repeats),
            "one_tier": timed(lambda call=call: call(("gold",)), repeats),
        }
        print(f"benchmark: query {name:<26} {figures[name]}", flush=True)
    return figures


def measure_search(repeats: int) -> dict:

    version = data.publish_version()
    con = data.connection(version).cursor()
    region = data.config().phone_region
    key = queries.customer_360.pseudonym_key_of_publish()
    # the publish holds pseudonyms: the real phone and e-mail come from its contacts file
    contacts = duckdb.connect(str(contacts_of(Path(version))), read_only=True)
    name, phone, email, customer_id = contacts.execute(
        """select display_name, primary_phone, primary_email, customer_id from customers
           where primary_phone is not null and primary_email is not null and display_name not like '+%'
           order by customer_id limit 1"""
    ).fetchall()[0]
    contacts.close()
    order_number = con.execute("select order_number from marts.order_fulfilment limit 1").fetchall()[0][0]

    national = phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.NATIONAL)
    lookups = {
        "name": name,
        "part_of_name": name[2:6],
        "phone_national_format": national,
        "email_upper_case": email.upper(),
        "order_number": order_number,
        "customer_id": customer_id,
        "name_with_typo": name[:-2] + name[-1] + name[-2],
    }
    figures = {}
    for kind, text in lookups.items():
        figures[kind] = {
            **timed(lambda text=text: find_customers(con, text, region, key), repeats),
            "found": len(find_customers(con, text, region, key)),
        }
        print(f"benchmark: search {kind:<24} {figures[kind]}", flush=True)
    return figures


PAGES = ["views/overview.py", "views/customer_360.py", "views/satisfaction.py", "views/service_calls.py",
         "views/delivery.py", "views/segments_churn.py", "views/open_promises.py", "views/pipeline.py",
         "views/worklist.py", "views/data_health.py", "views/figure_details.py"]  # fmt: skip


def measure_pages(repeats: int, search_text: str) -> dict:
    """Each page's server run in AppTest: first after a new publish (every cache empty), then
    re-runs with a warm cache (what a user's click costs on the server)."""

    app = str(Path(__file__).resolve().parents[1] / "dashboards" / "streamlit_app.py")
    # A server reads every installed package's metadata for components once, when it starts; each
    # new AppTest would do it again (0.4 s here), which no user waits for after a publish
    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    figures = {}
    for page in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(app, default_timeout=120)
        started = time.perf_counter()
        at.run()
        at.switch_page(page).run()
        if page.endswith("customer_360.py"):
            at.text_input(key="customer_search").input(search_text).run()
        first = time.perf_counter() - started
        assert not at.exception, [e.value for e in at.exception]
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - started)
        figures[page] = {"first_render_after_publish_ms": round(1000 * first), "warm_rerun": percentiles(samples)}
        print(f"benchmark: page {page:<28} {figures[page]}", flush=True)
    manifest_scanner.scan_component_manifests = scan
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000, help="customers of the tiled warehouse")
    parser.add_argument("--base-customers", type=int, default=2000, help="customers of the demo company tiled")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keep", help="keep the tiled warehouse in this folder (reused when present)")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="c360-dashboard-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        company = folder / "company"
        tiled_dir = folder / "tiled"
        published = tiled_dir / "warehouse" / "published"
        tiled = published / "c360-tiled.duckdb"
        if not tiled.exists():
            base = company / "warehouse" / "published" / "current.duckdb"
            if not base.exists():
                print(f"benchmark: demo company of {args.base_customers:,} customers and a nightly run ...", flush=True)
                base_company(args.base_customers, args.seed, company)
            base = base.resolve()
            base_customers = duckdb.connect(str(base), read_only=True).execute(
                "select count(*) from marts.customer_360").fetchall()[0][0]  # fmt: skip
            tiles = -(-args.customers // base_customers)
            print(f"benchmark: tiling {base_customers:,} customers {tiles} times ...", flush=True)
            published.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            tile_warehouse(base, tiled, tiles)
            # tile 0 keeps the base's pseudonyms: the search finds its real phones and e-mails
            shutil.copyfile(contacts_of(base), contacts_of(tiled))
            (tiled_dir / "warehouse" / "secrets").mkdir(exist_ok=True)
            shutil.copyfile(company / "warehouse" / KEY_FILE, tiled_dir / "warehouse" / KEY_FILE)
            print(f"benchmark: tiled in {time.perf_counter() - started:.0f} s", flush=True)
            (published / "current.duckdb").unlink(missing_ok=True)
            (published / "current.duckdb").symlink_to(tiled.name)
            config = (company / "c360.yml").read_text(encoding="utf-8")
            (tiled_dir / "c360.yml").write_text(config, encoding="utf-8")
            for folder_name in ("crm", "logistics", "call_center"):  # the config checks they exist
                (tiled_dir / folder_name).mkdir(exist_ok=True)
            (tiled_dir / "crm" / "crm.sqlite").touch()
        os.environ["C360_CONFIG"] = str(tiled_dir / "c360.yml")
        con = duckdb.connect(str(tiled), read_only=True)
        sizes = {
            table: con.execute(f"select count(*) from {table}").fetchall()[0][0]
            for table in ("marts.customer_360", "marts.fct_touchpoints", "marts.order_fulfilment",
                          "marts.service_tickets", "marts.customer_search")
        }  # fmt: skip
        search_text = con.execute(
            "select display_name from marts.customer_360 order by revenue_12m desc nulls last limit 1"
        ).fetchall()[0][0]
        con.close()
        figures = {
            "customers": sizes["marts.customer_360"],
            "rows": sizes,
            "file_bytes": tiled.stat().st_size,
            "queries": measure_queries(args.repeats),
            "search": measure_search(args.repeats),
            "pages": measure_pages(args.repeats, search_text),
            "machine": f"{os.cpu_count()} cores",
            "measured_on": date.today().isoformat(),
        }
    worst_query = max(
        max(v["all_tiers"]["p95_ms"], v["one_tier"]["p95_ms"])
        for name, v in figures["queries"].items()
        if not name.startswith("overview (")
    )
    figures["summary"] = {
        "worst_query_p95_ms": worst_query,
        "worst_page_rerun_p95_ms": max(p["warm_rerun"]["p95_ms"] for p in figures["pages"].values()),
        "worst_first_render_ms": max(p["first_render_after_publish_ms"] for p in figures["pages"].values()),
        "worst_search_p95_ms": max(s["p95_ms"] for s in figures["search"].values()),
    }
    text = json.dumps(figures, indent=2, default=str)
    print(json.dumps(figures["summary"], indent=2))
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
