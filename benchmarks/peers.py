"""The core of `customer_360` in the engines a team might pick instead: plain DuckDB SQL,
pandas and Polars, side by side on the same inputs.

The core is the per-customer arithmetic of the mart (models/marts/customers/customer_360.sql): orders
and revenue in 12 months, last order and the customer's usual interval between orders, open
tickets and CSAT in 90 days, late deliveries in 12 months, calls, abandoned calls, last
touch and departments touched in 90 days, joined onto every customer. The inputs (identity
map, staging orders, tickets, shipments and tracking events, touchpoints, customers) are read
from a night's working warehouse into memory first, as Arrow, and converted to each engine's
own frames before the clock starts: only the computation is timed. Every engine's result is
checked against the others and against the mart the night built, so they are the same
computation.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

COLUMNS = [
    "customer_id",
    "revenue_12m",
    "orders_12m",
    "last_order_at",
    "usual_order_interval_days",
    "open_tickets",
    "csat_pct_90d",
    "late_deliveries_12m",
    "calls_90d",
    "abandoned_calls_90d",
    "last_touch_at",
    "departments_touched_90d",
]
OPEN_STATUSES = ["new", "open", "pending", "hold"]
CALLS = ["call_answered", "call_abandoned"]

INPUTS = {
    "identity_map": """select source_table, source_record_id, customer_id from marts.customer_identity_map
                       where source_table in ('Account', 'users', 'shipments')""",
    "orders": "select account_id, created_at, total_amount from staging.stg_sales__orders where not is_deleted",
    "tickets": "select requester_id, status, satisfaction_score, updated_at from staging.stg_service__tickets",
    "shipments": "select shipment_id, tracking_number, promised_delivery_date from staging.stg_logistics__shipments",
    "delivered": """select tracking_number, event_at from staging.stg_logistics__tracking_events
                    where event_code = 'DL'""",
    "touchpoints": "select customer_id, occurred_at, touchpoint_type, department from marts.fct_touchpoints",
    "customers": "select customer_id from marts.dim_customer",
}


def read_inputs(work_db: Path) -> dict[str, pa.Table]:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        return {name: con.sql(sql).to_arrow_table() for name, sql in INPUTS.items()}
    finally:
        con.close()


CORE_SQL = """
with orders as (
    select orders.*, identity_map.customer_id from orders
    join identity_map on identity_map.source_table = 'Account' and identity_map.source_record_id = orders.account_id
),
tickets as (
    select tickets.*, identity_map.customer_id from tickets
    join identity_map on identity_map.source_table = 'users'
        and identity_map.source_record_id = cast(tickets.requester_id as varchar)
),
deliveries as (
    select identity_map.customer_id, shipments.promised_delivery_date, delivered.event_at as delivered_at
    from shipments
    join identity_map
        on identity_map.source_table = 'shipments' and identity_map.source_record_id = shipments.shipment_id
    left join delivered on delivered.tracking_number = shipments.tracking_number
),
order_stats as (
    select customer_id,
        sum(case when created_at >= $year_ago then total_amount else 0 end) as revenue_12m,
        count(case when created_at >= $year_ago then 1 end) as orders_12m,
        max(created_at) as last_order_at,
        case when count(*) > 1 then date_diff('day', min(created_at), max(created_at)) / (count(*) - 1) end
            as usual_order_interval_days
    from orders group by customer_id
),
ticket_stats as (
    select customer_id,
        count(case when status in ('new', 'open', 'pending', 'hold') then 1 end) as open_tickets,
        count(case when satisfaction_score in ('good', 'bad') and updated_at >= $quarter_ago then 1 end) as rated_90d,
        count(case when satisfaction_score = 'good' and updated_at >= $quarter_ago then 1 end) as good_90d
    from tickets group by customer_id
),
delivery_stats as (
    select customer_id,
        count(case when promised_delivery_date >= cast($year_ago as date)
                        and coalesce(cast(timezone($zone, timezone('UTC', delivered_at)) as date), cast($as_of as date))
                            > promised_delivery_date then 1 end) as late_deliveries_12m
    from deliveries group by customer_id
),
touch_stats as (
    select customer_id,
        max(occurred_at) as last_touch_at,
        count(case when touchpoint_type in ('call_answered', 'call_abandoned')
                        and occurred_at >= $quarter_ago then 1 end) as calls_90d,
        count(case when touchpoint_type = 'call_abandoned' and occurred_at >= $quarter_ago then 1 end)
            as abandoned_calls_90d
    from touchpoints group by customer_id
),
department_stats as (  -- distinct pairs first: four times faster than a distinct count per group
    select customer_id, count(*) as departments_touched_90d
    from (select distinct customer_id, department from touchpoints
          where department is not null and occurred_at >= $quarter_ago)
    group by customer_id
)
select customers.customer_id,
    coalesce(order_stats.revenue_12m, 0) as revenue_12m,
    coalesce(order_stats.orders_12m, 0) as orders_12m,
    order_stats.last_order_at,
    order_stats.usual_order_interval_days,
    coalesce(ticket_stats.open_tickets, 0) as open_tickets,
    case when ticket_stats.rated_90d > 0 then 100.0 * ticket_stats.good_90d / ticket_stats.rated_90d end
        as csat_pct_90d,
    coalesce(delivery_stats.late_deliveries_12m, 0) as late_deliveries_12m,
    coalesce(touch_stats.calls_90d, 0) as calls_90d,
    coalesce(touch_stats.abandoned_calls_90d, 0) as abandoned_calls_90d,
    touch_stats.last_touch_at,
    coalesce(department_stats.departments_touched_90d, 0) as departments_touched_90d
from customers
left join order_stats using (customer_id)
left join ticket_stats using (customer_id)
left join delivery_stats using (customer_id)
left join touch_stats using (customer_id)
left join department_stats using (customer_id)
"""


def _windows(as_of: datetime) -> dict:
    return {"as_of": as_of, "year_ago": as_of - timedelta(days=365), "quarter_ago": as_of - timedelta(days=90)}


def duckdb_tables(inputs: dict[str, pa.Table]):
    """An in-memory DuckDB holding the inputs as its own tables: DuckDB's frames, as a
    DataFrame is pandas' (a registered Arrow table is rescanned and its strings converted on
    every query)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for name, table in inputs.items():
        con.register(f"{name}_arrow", table)
        con.execute(f"create table {name} as select * from {name}_arrow")
        con.unregister(f"{name}_arrow")
    return con


def core_duckdb(con, as_of: datetime, zone: str) -> pa.Table:
    return con.sql(CORE_SQL, params={**_windows(as_of), "zone": zone}).to_arrow_table()


def core_pandas(frames: dict, as_of: datetime, zone: str):
    w = _windows(as_of)
    ids = frames["identity_map"]
    by_table = {
        t: ids[ids["source_table"] == t][["source_record_id", "customer_id"]] for t in ("Account", "users", "shipments")
    }
    orders = frames["orders"].merge(by_table["Account"], left_on="account_id", right_on="source_record_id")
    orders["in_year"] = orders["created_at"] >= w["year_ago"]
    orders["revenue_in_year"] = orders["total_amount"].where(orders["in_year"], 0.0)
    order_stats = orders.groupby("customer_id").agg(
        revenue_12m=("revenue_in_year", "sum"),
        orders_12m=("in_year", "sum"),
        last_order_at=("created_at", "max"),
        first_order_at=("created_at", "min"),
        orders_total=("created_at", "size"),
    )
    span_days = (order_stats["last_order_at"].dt.normalize() - order_stats["first_order_at"].dt.normalize()).dt.days
    order_stats["usual_order_interval_days"] = (span_days / (order_stats["orders_total"] - 1)).where(
        order_stats["orders_total"] > 1
    )
    tickets = frames["tickets"].assign(requester_key=frames["tickets"]["requester_id"].astype("string"))
    tickets = tickets.merge(by_table["users"], left_on="requester_key", right_on="source_record_id")
    recent = tickets["updated_at"] >= w["quarter_ago"]
    tickets["is_open"] = tickets["status"].isin(OPEN_STATUSES)
    tickets["rated"] = tickets["satisfaction_score"].isin(["good", "bad"]) & recent
    tickets["good"] = (tickets["satisfaction_score"] == "good") & recent
    ticket_stats = tickets.groupby("customer_id").agg(
        open_tickets=("is_open", "sum"), rated_90d=("rated", "sum"), good_90d=("good", "sum")
    )
    ticket_stats["csat_pct_90d"] = (100.0 * ticket_stats["good_90d"] / ticket_stats["rated_90d"]).where(
        ticket_stats["rated_90d"] > 0
    )
    deliveries = frames["shipments"].merge(by_table["shipments"], left_on="shipment_id", right_on="source_record_id")
    deliveries = deliveries.merge(frames["delivered"], on="tracking_number", how="left")
    delivered_on = deliveries["event_at"].dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    delivered_on = delivered_on.fillna(pd.Timestamp(as_of).normalize())
    promised = pd.to_datetime(deliveries["promised_delivery_date"])
    deliveries["late"] = (promised >= pd.Timestamp(w["year_ago"]).normalize()) & (delivered_on > promised)
    delivery_stats = deliveries.groupby("customer_id").agg(late_deliveries_12m=("late", "sum"))
    touch = frames["touchpoints"]
    recent = touch["occurred_at"] >= w["quarter_ago"]
    touch = touch.assign(
        call=touch["touchpoint_type"].isin(CALLS) & recent,
        abandoned=(touch["touchpoint_type"] == "call_abandoned") & recent,
        recent_department=touch["department"].where(recent),
    )
    touch_stats = touch.groupby("customer_id").agg(
        last_touch_at=("occurred_at", "max"),
        calls_90d=("call", "sum"),
        abandoned_calls_90d=("abandoned", "sum"),
        departments_touched_90d=("recent_department", "nunique"),
    )
    result = frames["customers"].set_index("customer_id")
    for stats in (order_stats, ticket_stats, delivery_stats, touch_stats):
        result = result.join(stats, how="left")
    for column in ("revenue_12m", "orders_12m", "open_tickets", "late_deliveries_12m", "calls_90d",
                   "abandoned_calls_90d", "departments_touched_90d"):  # fmt: skip
        result[column] = result[column].fillna(0)
    return result.reset_index()[COLUMNS]


def core_polars(frames: dict, as_of: datetime, zone: str):
    import polars as pl  # the bench extra: only this comparison needs it

    w = _windows(as_of)
    ids = frames["identity_map"]

    def ids_of(table: str):
        return ids.filter(pl.col("source_table") == table).select("source_record_id", "customer_id")

    order_stats = (
        frames["orders"]
        .join(ids_of("Account"), left_on="account_id", right_on="source_record_id")
        .group_by("customer_id")
        .agg(
            revenue_12m=pl.when(pl.col("created_at") >= w["year_ago"])
            .then(pl.col("total_amount"))
            .otherwise(0.0)
            .sum(),
            orders_12m=(pl.col("created_at") >= w["year_ago"]).sum(),
            last_order_at=pl.col("created_at").max(),
            span_days=(pl.col("created_at").max().dt.date() - pl.col("created_at").min().dt.date()).dt.total_days(),
            orders_total=pl.len(),
        )
        .with_columns(
            usual_order_interval_days=pl.when(pl.col("orders_total") > 1).then(
                pl.col("span_days") / (pl.col("orders_total") - 1)
            )
        )
    )
    recent = pl.col("updated_at") >= w["quarter_ago"]
    ticket_stats = (
        frames["tickets"]
        .with_columns(requester_key=pl.col("requester_id").cast(pl.String))
        .join(ids_of("users"), left_on="requester_key", right_on="source_record_id")
        .group_by("customer_id")
        .agg(
            open_tickets=pl.col("status").is_in(OPEN_STATUSES).sum(),
            rated_90d=(pl.col("satisfaction_score").is_in(["good", "bad"]) & recent).sum(),
            good_90d=((pl.col("satisfaction_score") == "good") & recent).sum(),
        )
        .with_columns(
            csat_pct_90d=pl.when(pl.col("rated_90d") > 0).then(100.0 * pl.col("good_90d") / pl.col("rated_90d"))
        )
    )
    delivered_on = (
        pl.col("event_at").dt.replace_time_zone("UTC").dt.convert_time_zone(zone).dt.date().fill_null(as_of.date())
    )
    delivery_stats = (
        frames["shipments"]
        .join(ids_of("shipments"), left_on="shipment_id", right_on="source_record_id")
        .join(frames["delivered"], on="tracking_number", how="left")
        .group_by("customer_id")
        .agg(
            late_deliveries_12m=(
                (pl.col("promised_delivery_date") >= w["year_ago"].date())
                & (delivered_on > pl.col("promised_delivery_date"))
            ).sum()
        )
    )
    recent = pl.col("occurred_at") >= w["quarter_ago"]
    touch_stats = (
        frames["touchpoints"]
        .group_by("customer_id")
        .agg(
            last_touch_at=pl.col("occurred_at").max(),
            calls_90d=(pl.col("touchpoint_type").is_in(CALLS) & recent).sum(),
            abandoned_calls_90d=((pl.col("touchpoint_type") == "call_abandoned") & recent).sum(),
            departments_touched_90d=pl.col("department").filter(recent).drop_nulls().n_unique(),
        )
    )
    result = frames["customers"]
    for stats in (order_stats, ticket_stats, delivery_stats, touch_stats):
        result = result.join(stats, on="customer_id", how="left")
    counts = ["revenue_12m", "orders_12m", "open_tickets", "late_deliveries_12m", "calls_90d", "abandoned_calls_90d",
              "departments_touched_90d"]  # fmt: skip
    return result.with_columns(pl.col(counts).fill_null(0)).select(COLUMNS)


def _as_arrow(result) -> pa.Table:
    if isinstance(result, pa.Table):
        return result
    if hasattr(result, "to_arrow"):  # Polars
        return result.to_arrow()
    return pa.Table.from_pandas(result, preserve_index=False)


def _normalised(table: pa.Table) -> list[tuple]:
    """Rows sorted by customer, numbers as floats rounded to 9 digits, times as text: so that
    the engines' own types (int64 vs float, timestamp units) do not count as differences."""
    rows = []
    for row in sorted(table.select(COLUMNS).to_pylist(), key=lambda r: r["customer_id"]):
        values = []
        for column in COLUMNS:
            value = row[column]
            if value is not None and value == value and column not in ("customer_id", "last_order_at", "last_touch_at"):
                value = round(float(value), 9)
            elif value != value:  # NaN: pandas' missing number
                value = None
            values.append(value if not hasattr(value, "isoformat") else value.isoformat(sep=" "))
        rows.append(tuple(values))
    return rows


def compare_peers(work_db: Path, as_of: datetime, zone: str, repeats: int = 3, log=print) -> dict:
    """Each engine's median seconds over `repeats` runs; raises when any result differs from
    the mart or from another engine."""
    import polars as pl  # the bench extra, as above

    inputs = read_inputs(work_db)
    # each engine's own frames, made before its clock starts and dropped after it: at a million
    # customers the inputs are some hundred million rows, and pandas' copy alone is ~10 GB
    engines = {
        "duckdb": (core_duckdb, lambda: duckdb_tables(inputs)),
        "pandas": (core_pandas, lambda: {name: table.to_pandas() for name, table in inputs.items()}),
        "polars": (core_polars, lambda: {name: pl.from_arrow(table) for name, table in inputs.items()}),
    }
    con = duckdb.connect(str(work_db), read_only=True)
    mart = _normalised(con.sql(f"select {', '.join(COLUMNS)} from marts.customer_360").to_arrow_table())
    con.close()
    figures = {}
    for name, (compute, make_frames) in engines.items():
        frames = make_frames()
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = compute(frames, as_of, zone)
            samples.append(time.perf_counter() - started)
        if hasattr(frames, "close"):  # DuckDB's tables
            frames.close()
        del frames
        rows = _normalised(_as_arrow(result))
        if rows != mart:
            wrong = (
                next(i for i, (a, b) in enumerate(zip(rows, mart, strict=False)) if a != b)
                if len(rows) == len(mart)
                else None
            )
            raise AssertionError(
                f"{name}'s customer_360 core differs from the mart: {len(rows)} vs {len(mart)} rows"
                + (f"; first difference {rows[wrong]} vs {mart[wrong]}" if wrong is not None else "")
            )
        figures[name] = {"seconds": round(statistics.median(samples), 3), "runs": repeats}
        log(f"bench: customer_360 core in {name}: {figures[name]['seconds']} s (median of {repeats})")
    duck = figures["duckdb"]["seconds"]
    return {
        "customers": len(mart),
        "input_rows": sum(t.num_rows for t in inputs.values()),
        **figures,
        "pandas_over_duckdb": round(figures["pandas"]["seconds"] / duck, 1),
        "polars_over_duckdb": round(figures["polars"]["seconds"] / duck, 1),
    }
