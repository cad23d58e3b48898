"""`c360 customer <name|phone|email|order number|id>`: one customer's profile and timeline from
the published warehouse, for whoever picks up the phone."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from connectors.phones import to_e164

PROFILE_COLUMNS = [
    ("customer_type", "type"),
    ("primary_email", "e-mail"),
    ("primary_phone", "phone"),
    ("city", "city"),
    ("industry", "industry"),
    ("source_systems", "known to"),
    ("value_tier", "value tier"),
    ("lifecycle_stage", "lifecycle"),
    ("revenue_12m", "revenue 12 m"),
    ("orders_12m", "orders 12 m"),
    ("last_order_at", "last order"),
    ("open_tickets", "open tickets"),
    ("csat_pct_90d", "CSAT 90 d %"),
    ("nps_last", "last NPS"),
    ("calls_90d", "calls 90 d"),
    ("abandoned_calls_90d", "abandoned 90 d"),
    ("late_deliveries_12m", "late deliveries 12 m"),
    ("last_touch_at", "last touch"),
    ("is_contactable", "contactable"),
]


@dataclass(frozen=True)
class Match:
    customer_id: str
    display_name: str
    customer_type: str
    matched_on: str


def find_customers(con: duckdb.DuckDBPyConnection, query: str, phone_region: str, limit: int = 20) -> list[Match]:
    """Customers the query names, the most exact kind of match first: an id (current or retired),
    a source record id or order number, an e-mail, a phone number, then a part of a name."""
    text = query.strip()
    phone = to_e164(text, phone_region) if any(c.isdigit() for c in text) else None
    rows = con.execute(
        """
        with hits as (
            select customer_id, 'customer id' as matched_on, 1 as rank
            from marts.dim_customer where customer_id = $q
            union all
            select current_id, 'retired id ' || previous_id, 2
            from marts.customer_id_history where previous_id = $q and level = 'customer'
            union all
            select customer_id, source_system || ' ' || source_table || ' ' || source_record_id, 3
            from marts.customer_identity_map where source_record_id = $q
            union all
            select map.customer_id, 'order ' || orders.order_number, 3
            from staging.stg_sales__orders as orders
            join marts.customer_identity_map as map
                on map.source_table = 'Account' and map.source_record_id = orders.account_id
            where orders.order_number = $q
                or ($q similar to '[0-9]+' and ltrim(orders.order_number, '0') = ltrim($q, '0'))
            union all
            select map.customer_id, 'e-mail ' || records.email, 4
            from intermediate.int_identity__source_records as records
            join marts.customer_identity_map as map using (source_system, source_table, source_record_id)
            where records.email = lower($q)
            union all
            select map.customer_id, 'phone ' || $phone, 5
            from intermediate.int_identity__source_records as records
            join marts.customer_identity_map as map using (source_system, source_table, source_record_id)
            where $phone is not null and (records.phone_e164 = $phone or records.phone2_e164 = $phone)
            union all
            select customer_id, 'name', 6
            from marts.dim_customer where length($q) >= 2 and display_name ilike '%' || $q || '%'
            union all
            select map.customer_id, 'name on ' || records.source_table || ' ' || records.full_name, 7
            from intermediate.int_identity__source_records as records
            join marts.customer_identity_map as map using (source_system, source_table, source_record_id)
            where length($q) >= 2 and records.full_name ilike '%' || $q || '%'
        ),
        best as (
            select customer_id, arg_min(matched_on, rank) as matched_on, min(rank) as rank
            from hits group by customer_id
        )
        select best.customer_id, customers.display_name, customers.customer_type, best.matched_on
        from best join marts.dim_customer as customers using (customer_id)
        order by best.rank, customers.display_name
        limit $limit
        """,
        {"q": text, "phone": phone, "limit": limit},
    ).fetchall()
    return [Match(*row) for row in rows]


def profile(con: duckdb.DuckDBPyConnection, customer_id: str) -> dict:
    customer = con.execute(
        "select * from marts.dim_customer left join marts.customer_360 using (customer_id, display_name, "
        "customer_type, is_contactable) where customer_id = ?",
        [customer_id],
    )
    columns = [d[0] for d in customer.description]
    rows = customer.fetchall()
    return dict(zip(columns, rows[0], strict=True)) if rows else {}


def timeline(con: duckdb.DuckDBPyConnection, customer_id: str, limit: int | None) -> list[tuple]:
    """Newest first: when, department, channel, what, outcome, where it came from."""
    sql = (
        "select occurred_at, department, channel, touchpoint_type, summary, outcome, "
        "source_system || ' ' || source_table || ' ' || source_record_id "
        "from marts.fct_touchpoints where customer_id = ? order by occurred_at desc, touchpoint_id"
    )
    if limit:
        sql += f" limit {int(limit)}"
    return con.execute(sql, [customer_id]).fetchall()


def render(customer: dict, events: list[tuple], total_events: int) -> list[str]:
    lines = [f"{customer['display_name']}  ({customer['customer_id']})"]
    for column, label in PROFILE_COLUMNS:
        value = customer.get(column)
        if value is None or value == "":
            continue
        if isinstance(value, float):
            value = f"{value:,.1f}"
        lines.append(f"  {label:<22}{value}")
    lines.append("")
    shown = f"newest {len(events)} of {total_events}" if len(events) < total_events else f"all {total_events}"
    lines.append(f"timeline ({shown} touchpoints, times UTC)")
    for occurred_at, department, channel, kind, summary, outcome, source in events:
        when = occurred_at.strftime("%Y-%m-%d %H:%M") if occurred_at else "?"
        result = f" → {outcome}" if outcome else ""
        lines.append(f"  {when}  {department:<11} {channel:<9} {summary or kind}{result}   [{source}]")
    return lines
