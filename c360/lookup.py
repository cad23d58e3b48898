"""`c360 customer <name|phone|email|order number|id>`: one customer's profile and timeline from
the published warehouse, for whoever picks up the phone."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from c360.privacy import pseudonym
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
    ("reachable_contacts", "reachable people"),
    ("decision_maker", "decision maker"),
    ("is_decision_maker_reachable", "  can be reached"),
    ("open_pipeline_amount", "open pipeline"),
    ("churn_risk", "churn risk"),
    ("churn_reasons", "why"),
    ("next_best_action", "next best action"),
    ("next_best_action_reason", "because"),
    ("open_promises", "open promises"),
]


SIMILAR_NAME_THRESHOLD = 0.88  # Jaro-Winkler; "Quntex Netwroks" scores 0.98, unrelated names below 0.8


# Exact values first: each reads one block of the sorted table. Only when none matches is the
# text looked for inside names, which scans every name.
_EXACT_HITS = """
    select customer_id, rank, kind, matched_value from marts.customer_search where search_key = $q
    union all
    select customer_id, rank, kind, matched_value from marts.customer_search where search_key = lower($q)
    union all
    select customer_id, rank, kind, matched_value from marts.customer_search where search_key = $phone
    union all
    select customer_id, rank, kind, matched_value from marts.customer_search where search_key = $email
    union all
    select customer_id, rank, kind, matched_value from marts.customer_search
    where $q similar to '[0-9]+' and search_key = ltrim($q, '0')
"""
# A customer's name is searched for anywhere in it (people type "宏图" for 深圳宏图能源有限公司); a
# name on a source record (a contact, a caller) from its start, which reads one block of the
# sorted table instead of scanning four times as many names.
_NAME_PART_HITS = """
    select customer_id, rank, kind, matched_value from marts.customer_search
    where rank = 6 and contains(search_key, lower($q))
    union all
    select customer_id, rank, kind, matched_value from marts.customer_search
    where search_key >= lower($q) and search_key < lower($q) || chr(1114111) and rank = 7
"""
_BEST_CUSTOMERS = """
    with hits as ({hits}),
    best as (  -- the best match of each customer, the first `limit` customers only
        select customer_id, arg_min(kind || ' ' || matched_value, rank) as matched_on, min(rank) as rank,
               arg_min(matched_value, rank) as shown
        from hits group by customer_id
        order by rank, shown, customer_id
        limit $limit
    )
    select best.customer_id, customers.display_name, customers.customer_type, best.matched_on
    from best join marts.dim_customer as customers using (customer_id)
    order by best.rank, best.shown, best.customer_id
"""


@dataclass(frozen=True)
class Match:
    customer_id: str
    display_name: str
    customer_type: str
    matched_on: str


def find_customers(
    con: duckdb.DuckDBPyConnection, query: str, phone_region: str, key: bytes | None, limit: int = 20
) -> list[Match]:
    """Customers the query names, the most exact kind of match first: an id (current or retired),
    a source record id or order number, an e-mail, a phone number, then a part of a name; when
    nothing matches, names that look alike (a typo).

    Reads marts.customer_search, which is sorted by its key: the exact lookups touch one block
    of it each; only when they find nothing are names scanned for the text. E-mails and phones
    are held as pseudonyms (c360.privacy): the query's is computed with `key` and looked up."""
    text = query.strip()
    if not text:
        return []
    phone = to_e164(text, phone_region) if any(c.isdigit() for c in text) else None
    contacts = {"phone": None, "email": None}
    if key is not None:
        contacts["phone"] = pseudonym(key, "phone", phone) if phone else None
        contacts["email"] = pseudonym(key, "e-mail", text.lower()) if "@" in text else None
    rows = con.execute(_BEST_CUSTOMERS.format(hits=_EXACT_HITS), {"q": text, **contacts, "limit": limit}).fetchall()
    if not rows and len(text) >= 2:
        rows = con.execute(_BEST_CUSTOMERS.format(hits=_NAME_PART_HITS), {"q": text, "limit": limit}).fetchall()
    if not rows and len(text) >= 3:
        rows = _similar_names(con, text, limit)
    return [Match(*row) for row in rows]


def _similar_names(con: duckdb.DuckDBPyConnection, text: str, limit: int) -> list[tuple]:
    """Typos: names whose Jaro-Winkler similarity to the query is high. Only asked when nothing
    matched exactly, because it compares the query with many names (those of about its length
    that share its first letter)."""
    return con.execute(
        """
        with candidates as (  -- rank 6: one name per customer
            select customer_id, matched_value as shown, jaro_winkler_similarity(search_key, lower($q)) as similarity
            from marts.customer_search
            -- a typo rarely hits the first letter and changes the length by a letter or two;
            -- comparing only such names keeps this to a small fraction of them
            where rank = 6 and left(search_key, 1) = left(lower($q), 1)
                and abs(length(search_key) - length($q)) <= 2
        ),
        lookalikes as (
            select * from candidates
            where similarity >= $threshold
            order by similarity desc, shown, customer_id
            limit $limit
        )
        select customers.customer_id, customers.display_name, customers.customer_type,
               'similar name (' || cast(round(similarity, 2) as varchar) || ')' as matched_on
        from lookalikes
        inner join marts.dim_customer as customers using (customer_id)
        order by similarity desc, shown, customers.customer_id
        """,
        {"q": text, "threshold": SIMILAR_NAME_THRESHOLD, "limit": limit},
    ).fetchall()


def profile(con: duckdb.DuckDBPyConnection, customer_id: str) -> dict:
    customer = con.execute(
        "select * from marts.dim_customer left join marts.customer_360 using (customer_id, display_name, "
        "customer_type, is_contactable) where customer_id = ?",
        [customer_id],
    )
    columns = [d[0] for d in customer.description]
    rows = customer.fetchall()
    return dict(zip(columns, rows[0], strict=True)) if rows else {}


def buying_centre(con: duckdb.DuckDBPyConnection, customer_id: str) -> list[tuple]:
    """The customer's people: name, title, their roles on open or recent deals (and before),
    their last touch, how they can be reached or why not, and each department's last touch."""
    return con.execute(
        """
        select display_name, title, buying_roles, past_buying_roles, last_touch_at,
               is_reachable_by_phone, is_reachable_by_email, unreachable_reason,
               last_sales_touch_at, last_service_touch_at, last_logistics_touch_at, last_call_center_touch_at
        from marts.customer_contacts where customer_id = ?
        order by is_primary_contact desc nulls last, buying_roles nulls last, display_name
        """,
        [customer_id],
    ).fetchall()


def promises_open(con: duckdb.DuckDBPyConnection, customer_id: str) -> list[tuple]:
    """The customer's promises broken or at risk, the longest overdue first."""
    return con.execute(
        """
        select kind, department, order_number, due_at, status, overdue_business_days
        from marts.open_promises where customer_id = ? and status in ('open', 'at_risk')
        order by overdue_business_days desc nulls last, due_at
        """,
        [customer_id],
    ).fetchall()


def opportunities_open(con: duckdb.DuckDBPyConnection, customer_id: str) -> list[tuple]:
    """What the customer is considering: each open deal, the soonest to close first, with who
    is involved and why it has gone stale."""
    return con.execute(
        """
        select opportunity_name, stage, days_in_stage, is_days_in_stage_at_least, amount, probability,
               expected_close_date, owner_name, last_activity_at, contact_roles, stale_reason
        from marts.open_opportunities where customer_id = ?
        order by expected_close_date nulls last, opportunity_id
        """,
        [customer_id],
    ).fetchall()


def actions_of(con: duckdb.DuckDBPyConnection, customer_id: str, finished: int = 5) -> list[tuple]:
    """The customer's actions on the worklist: those still to do (overdue first, then by due
    time), then the newest `finished` ones done or superseded."""
    return con.execute(
        """
        with ranked as (
            select *, row_number() over (
                partition by status in ('open', 'overdue') order by coalesce(closed_at, proposed_at) desc, action_id
            ) as newest
            from marts.action_queue where customer_id = ?
        )
        select action, reason, status, owner, department, proposed_at, due_at, done_at from ranked
        where status in ('open', 'overdue') or newest <= ?
        order by status in ('open', 'overdue') desc, status = 'overdue' desc, due_at, closed_at desc, action_id
        """,
        [customer_id, finished],
    ).fetchall()


def verbatims_newest(con: duckdb.DuckDBPyConnection, customer_id: str, limit: int = 5) -> list[tuple]:
    """The customer's newest comments with ratings and surveys: when, channel, score, words, themes."""
    return con.execute(
        """
        select responded_at, channel, score, comment, themes from marts.satisfaction_verbatims
        where customer_id = ? order by responded_at desc, response_id limit ?
        """,
        [customer_id, limit],
    ).fetchall()


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


@dataclass
class Sections:
    """What `c360 customer` prints below the profile, each as its query above returns it."""

    contacts: list[tuple] = field(default_factory=list)
    opportunities: list[tuple] = field(default_factory=list)
    promises: list[tuple] = field(default_factory=list)
    actions: list[tuple] = field(default_factory=list)
    verbatims: list[tuple] = field(default_factory=list)


def sections_of(con: duckdb.DuckDBPyConnection, customer_id: str) -> Sections:
    return Sections(
        contacts=buying_centre(con, customer_id),
        opportunities=opportunities_open(con, customer_id),
        promises=promises_open(con, customer_id),
        actions=actions_of(con, customer_id),
        verbatims=verbatims_newest(con, customer_id),
    )


def render(customer: dict, events: list[tuple], total_events: int, sections: Sections | None = None) -> list[str]:
    sections = sections or Sections()
    contacts, opportunities, promises = sections.contacts, sections.opportunities, sections.promises
    lines = [f"{customer['display_name']}  ({customer['customer_id']})"]
    for column, label in PROFILE_COLUMNS:
        value = customer.get(column)
        if value is None or value == "":
            continue
        if column == "churn_risk":
            value = f"{value:.0%}"
        elif column == "reachable_contacts":
            value = f"{value} of {customer.get('contacts')}"
        elif isinstance(value, float):
            value = f"{value:,.1f}"
        lines.append(f"  {label:<22}{value}")
    if contacts:
        lines += ["", "buying centre"]
        for name, title, roles, past_roles, last_touch, by_phone, by_email, why_not, *by_department in contacts:
            role = roles or (f"before: {past_roles}" if past_roles else "no role on a deal")
            reach = ", ".join(way for way, ok in (("phone", by_phone), ("e-mail", by_email)) if ok)
            touched = f"last touch {last_touch:%Y-%m-%d}" if last_touch else "never touched"
            lines.append(f"  {name}  {title or ''} · {role} · {touched} · " + (reach or f"unreachable: {why_not}"))
            departments = zip(("sales", "service", "logistics", "call center"), by_department, strict=True)
            seen = [f"{department} {at:%Y-%m-%d}" for department, at in departments if at]
            if seen:
                lines.append("    last touched by " + ", ".join(seen))
    if opportunities:
        lines += ["", "open opportunities"]
        for (
            name,
            stage,
            days,
            at_least,
            amount,
            probability,
            close,
            owner,
            last_activity,
            roles,
            stale,
        ) in opportunities:
            stage = f"{stage} for {'at least ' if at_least else ''}{days} days"
            money = f"{amount:,.0f}" if amount is not None else "no amount"
            chance = f" at {probability:.0f} %" if probability is not None else ""
            closes = f"closes {close:%Y-%m-%d}" if close else "no close date"
            lines.append(f"  {name} · {stage} · {money}{chance} · {closes} · owner {owner or '?'}")
            active = f"last activity {last_activity:%Y-%m-%d}" if last_activity else "no activity"
            lines.append(f"    {active} · {roles or 'no contact named'}" + (f" · stale: {stale}" if stale else ""))
    if promises:
        lines += ["", "open promises"]
        for kind, department, order_number, due_at, status, overdue in promises:
            late = f"{overdue:.0f} business days overdue" if status == "open" and overdue else status
            order = f" order {order_number}" if order_number else ""
            lines.append(f"  {kind.replace('_', ' ')}{order} ({department}), due {due_at:%Y-%m-%d}: {late}")
    if sections.actions:
        lines += ["", "actions (worklist; times UTC)"]
        for action, reason, status, owner, department, proposed_at, due_at, done_at in sections.actions:
            when = {
                "open": f"due {due_at:%Y-%m-%d %H:%M}",
                "overdue": f"was due {due_at:%Y-%m-%d %H:%M}",
                "done": f"done {done_at:%Y-%m-%d %H:%M}" if done_at else "done",
                "superseded": "no longer needed",
            }[status]
            lines.append(
                f"  [{status}] {action} · {reason} · {owner} ({department}) · proposed {proposed_at:%Y-%m-%d} · {when}"
            )
    if sections.verbatims:
        lines += ["", "in their words (newest first)"]
        for said_at, channel, score, comment, themes in sections.verbatims:
            about = f"  [{themes}]" if themes else ""
            lines.append(f"  {said_at:%Y-%m-%d} {channel} {score}: “{comment}”{about}")
    lines.append("")
    shown = f"newest {len(events)} of {total_events}" if len(events) < total_events else f"all {total_events}"
    lines.append(f"timeline ({shown} touchpoints, times UTC)")
    for occurred_at, department, channel, kind, summary, outcome, source in events:
        when = occurred_at.strftime("%Y-%m-%d %H:%M") if occurred_at else "?"
        result = f" → {outcome}" if outcome else ""
        lines.append(f"  {when}  {department:<11} {channel:<9} {summary or kind}{result}   [{source}]")
    return lines
