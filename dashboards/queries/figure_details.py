"""The queries of the Figure details page (dashboards/views/figure_details.py): the rows behind
each headline figure of the Overview (customers, orders, answers, tickets, calls, promises) and
behind a chart's point (a month, a department, a theme, a stage) for the same period and tiers,
and the figure added up from exactly those rows, so that a reader sees the list count to the
figure. Every value a user picked reaches DuckDB as a bound parameter.

The rates' definitions live in the marts: marts.customer_kpis_daily holds the sums the Overview
divides, and each answer, ticket or order carries the mart's own flag of whether it counts
(is_satisfied, is_nps_promoter, is_sla_breached, is_otif, ...), so a list's figure is a share of
those flags, not a definition restated here. tests/dashboards/test_pages.py holds every list to
the Overview's figure or the chart's point, so the two cannot drift apart unnoticed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboards.data import ROW_CAP, Period, publish_info, query, segment_filter, tier_filter, with_tiers


@dataclass(frozen=True)
class Behind:
    """What a figure is made of: its rows (a SELECT of one mart; `{segment}` limits them to the
    chosen tiers), their order on the page, the figure as an aggregate over them, for a rate the
    sample (how many it is a rate of), and the customer's columns a reader needs beside each row
    (`named`: joined from customer_360 after the page's cap, so that neither the figure nor a
    long list pays for a join of every row)."""

    rows: str
    order: str
    figure: str
    sample: str | None = None
    named: tuple[str, ...] = ("display_name",)
    # the column a chart splits this figure by (its colours): a point's link may carry one value
    # of it (`&channel=email`), and the list is that value's rows alone
    split: str | None = None
    # how a row is of the split's one value, where that is not `<split> = $part` (a comment of
    # several themes is of each)
    split_where: str | None = None
    # its chart counts whole months whatever the period (12 months to the period's end, and the
    # year before): a point's month is listed whole, not clipped to the period
    whole_months: bool = False
    # a long list whose newest rows a daily mart finds fast: the rows' day column, and the mart's
    # count of the rows of each day under the same filters ({tier}, {part}). The page's list then
    # reads only the newest days that hold its cap ({newest} in `rows`), where sorting the whole
    # period's rows for the newest took 60-100 ms at M (a table published by customer, for the
    # timeline, whose days no row group's zone map can skip)
    newest_days: tuple[str, str] | None = None


CUSTOMERS_WHO_ORDERED = """
    select customer_id, count(*) as orders, min(ordered_at) as first_ordered_at, max(ordered_at) as last_ordered_at
    from marts.order_fulfilment
    where customer_id is not null and ordered_at < $end_at {since} {segment}
    group by customer_id
"""
CUSTOMER = ("display_name", "value_tier", "lifecycle_stage", "revenue_12m")
PROMISES = """
    select promise_id, customer_id, customer_name, kind, department, order_number, due_at, status, overdue_business_days
    from marts.open_promises
"""


def _share(condition: str) -> str:
    return f"100.0 * count(*) filter (where {condition}) / nullif(count(*), 0)"


BEHIND = {
    # the customers who had ordered by the period's end (a prospect who never bought is none)
    # each customer's last order by then (the next is later or none) carries their order count
    "customers": Behind(
        """select customer_id, customer_order_sequence as orders, customer_first_ordered_at as first_ordered_at,
                  ordered_at as last_ordered_at
           from marts.order_fulfilment
           where customer_id is not null and ordered_at < $end_at
                 and (customer_next_ordered_at is null or customer_next_ordered_at >= $end_at) {segment}""",
        "last_ordered_at desc",
        "count(*)",
        None,
        CUSTOMER,
    ),
    "active": Behind(
        CUSTOMERS_WHO_ORDERED.replace("{since}", "and ordered_at >= $start_at"),
        "last_ordered_at desc",
        "count(*)",
        None,
        CUSTOMER,
    ),
    # the orders of the 12 months to the period's end (the company's days, as orders_daily has them)
    "revenue_12m": Behind(
        """select order_number, customer_id, ordered_at, order_amount
           from marts.order_fulfilment
           where ordered_at >= $year_start_at and ordered_at < $end_at {segment}""",
        "ordered_at desc",
        "sum(order_amount)",
        None,
        ("display_name", "value_tier"),
    ),
    "csat": Behind(
        """select customer_id, responded_at, channel, is_satisfied, comment
           from marts.satisfaction_responses
           where response_date between $start_date and $end_date and is_satisfied is not null {segment}""",
        "responded_at desc",
        _share("is_satisfied"),
        "count(*)",
        split="channel",
    ),
    # promoters less detractors, per hundred answers (each answer's group as the mart says it)
    "nps": Behind(
        """select customer_id, responded_at, nps_score, is_nps_promoter, is_nps_detractor, comment
           from marts.satisfaction_responses
           where response_date between $start_date and $end_date and channel = 'nps'
               and nps_score is not null {segment}""",
        "responded_at desc",
        "100.0 * (count(*) filter (where is_nps_promoter) - count(*) filter (where is_nps_detractor))"
        " / nullif(count(*), 0)",
        "count(*)",
    ),
    "sla": Behind(
        """select ticket_id, customer_id, created_at, priority, status, is_sla_breached
           from marts.service_tickets
           where created_at >= $start_at and created_at < $end_at and is_sla_breached is not null {segment}""",
        "created_at desc",
        _share("not is_sla_breached"),
        "count(*)",
    ),
    "otif": Behind(
        """select order_number, customer_id, promised_delivery_date, delivered_at, is_on_time, is_in_full, is_otif
           from marts.order_fulfilment
           where promised_delivery_date between $start_date and $end_date and is_otif is not null {segment}""",
        "promised_delivery_date desc",
        _share("is_otif"),
        "count(*)",
    ),
    # calls by day and queue: a call that was abandoned has often no customer to list it under, and
    # the warehouse publishes calls per day and queue (marts.callcenter_daily), not one by one
    "abandonment": Behind(
        """select call_date, queue_name, offered, abandoned
           from marts.callcenter_daily
           where call_date between $start_date and $end_date and offered > 0""",
        "call_date desc, queue_name",
        "100.0 * sum(abandoned) / nullif(sum(offered), 0)",
        "sum(offered)",
        (),
    ),
    # open at the period's end: due by then and not resolved by then; a period to the publish's
    # day takes the mart's own status (the Open promises page's figure), see OPEN_NOW below
    "open_promises": Behind(
        f"{PROMISES} where due_at < $end_at and (resolved_at is null or resolved_at >= $end_at) {{segment}}",
        "due_at",
        "count(*)",
        None,
        (),  # the promise names its customer itself
    ),
    "high_churn": Behind(
        """select customer_id, display_name, value_tier, lifecycle_stage, churn_risk, revenue_12m,
                  churn_reasons, next_best_action
           from marts.customer_360
           where is_high_churn_risk {tier}""",
        "churn_risk * coalesce(revenue_12m, 0) desc, churn_risk desc",
        "count(*)",
        None,
        (),
    ),
}
# the Overview's headline figures, each a card whose Details open its list
FIGURES = list(BEHIND)
# the lists behind a chart's points (not a card of the Overview), each counting to the point it
# is opened from
BEHIND_A_CHART = {
    # OTIF's orders again, each said perfect or not (OTIF, installation not overdue, no complaint
    # ticket naming the order: marts.order_fulfilment.is_perfect_order)
    "perfect_order": Behind(
        """select order_number, customer_id, promised_delivery_date, is_otif, is_installation_overdue, is_perfect_order
           from marts.order_fulfilment
           where promised_delivery_date between $start_date and $end_date and is_perfect_order is not null
                 {segment}""",
        "promised_delivery_date desc",
        _share("is_perfect_order"),
        "count(*)",
    ),
    # the orders due in the period with an installation promised: kept while not overdue
    "installation_kept": Behind(
        """select order_number, customer_id, promised_delivery_date, installation_promised_by,
                  installation_completed_at, not coalesce(is_installation_overdue, false) as is_installation_kept
           from marts.order_fulfilment
           where promised_delivery_date between $start_date and $end_date
                 and installation_promised_by is not null {segment}""",
        "promised_delivery_date desc",
        _share("is_installation_kept"),
        "count(*)",
    ),
    # the touchpoints of a month and department (Overview's touchpoints by month and department)
    "touchpoints": Behind(
        """select customer_id, occurred_at, department, channel, touchpoint_type, summary
           from marts.fct_touchpoints
           where occurred_date between $start_date and $end_date {segment} {newest}""",
        "occurred_at desc",
        "count(*)",
        split="department",
        newest_days=(
            "occurred_date",
            """select occurred_date as day, sum(touchpoints) as listed from marts.touchpoints_daily
               where occurred_date between $start_date and $end_date {tier} {part}
               group by occurred_date""",
        ),
    ),
    # the comments of a month and theme (Satisfaction's comments by theme and month, from
    # marts.satisfaction_themes_monthly): a comment of several themes is listed under each
    "comments": Behind(
        """select customer_id, responded_at, channel, score, comment, themes
           from marts.satisfaction_verbatims
           where response_date between $start_date and $end_date and themes is not null {segment}""",
        "responded_at desc",
        "count(*)",
        split="theme",
        split_where="list_contains(string_split(themes, ', '), $part)",
        whole_months=True,
    ),
    # the orders placed in the period, with the moment each reached every stage of its journey
    # (Delivery's order journey: a stage's bar counts the orders that reached it)
    "journey": Behind(
        """select order_number, customer_id, ordered_at, shipped_at, delivered_at, installed_at, accepted_at
           from marts.order_fulfilment
           where ordered_at >= $start_at and ordered_at < $end_at {segment}""",
        "ordered_at desc",
        "count(*)",
        split="stage",
        # the funnel's stages (dashboards/queries/delivery.py's order_journey), each by its moment
        split_where="""case $part when 'ordered' then true when 'shipped' then shipped_at is not null
                       when 'delivered' then delivered_at is not null when 'installed' then installed_at is not null
                       when 'accepted' then accepted_at is not null else false end""",
    ),
    "revenue": Behind(
        """select order_number, customer_id, ordered_at, order_amount
           from marts.order_fulfilment
           where ordered_at >= $start_at and ordered_at < $end_at {segment}""",
        "ordered_at desc",
        "sum(order_amount)",
        None,
        ("display_name", "value_tier"),
        whole_months=True,
    ),
}
BEHIND.update(BEHIND_A_CHART)
LISTS = list(BEHIND)
# the open promises as the night left them, the figure of a period that runs to the publish's day
# (dashboards/queries/overview.py's OPEN_NOW_SQL, the Open promises page's)
OPEN_NOW = Behind(f"{PROMISES} where status = 'open' {{segment}}", "due_at", "count(*)", None, ())


def _behind(version: str, kpi: str, end: date) -> Behind:
    return OPEN_NOW if kpi == "open_promises" and end >= publish_info(version)["as_of"] else BEHIND[kpi]


def counts_whole_months(kpi: str) -> bool:
    return BEHIND[kpi].whole_months


def split_of(kpi: str) -> str | None:
    """The column a chart splits the figure by, whose one value a link may pick (Behind.split)."""
    return BEHIND[kpi].split


def _rows_sql(behind: Behind, tiers: tuple[str, ...], part: str | None, newest: str = "") -> str:
    rows = behind.rows.format(segment=segment_filter(tiers), tier=tier_filter(tiers, "value_tier"), newest=newest)
    # the column is the Behind's own (fixed); the value a link picked is bound
    of_part = behind.split_where or f"{behind.split} = $part"
    return f"select * from ({rows}) where {of_part}" if part and behind.split else rows


def _params(start: date, end: date, tiers: tuple[str, ...], part: str | None) -> dict:
    year = Period(end - timedelta(days=364), end)  # the 12 months to the end, as revenue_12m counts them
    params = {**Period(start, end).params(), "year_start_at": year.params()["start_at"], "part": part}
    return with_tiers(params, tiers)


@st.cache_data(show_spinner=False)
def figure(
    version: str, kpi: str, start: date, end: date, tiers: tuple[str, ...], part: str | None = None
) -> dict[str, float | None]:
    """The figure added up from every row of its list, how many rows the list has, and for a
    rate how many it is a rate of (the calls offered, for calls listed by day and queue).
    `part`: one value of the figure's split (a chart's line or colour), its rows only."""
    behind = _behind(version, kpi, end)
    row = query(
        version,
        f"select {behind.figure} as figure, {behind.sample or 'null'} as sample, count(*) as rows"
        f" from ({_rows_sql(behind, tiers, part)})",
        _params(start, end, tiers, part),
    ).iloc[0]
    return {name: None if pd.isna(value) else float(value) for name, value in row.items()}


@st.cache_data(show_spinner=False)
def rows(
    version: str,
    kpi: str,
    start: date,
    end: date,
    tiers: tuple[str, ...],
    limit: int | None = ROW_CAP,
    part: str | None = None,
) -> pd.DataFrame:
    """The list behind the figure, the page's cap long (`limit=None`: every row, for the download)."""
    behind = _behind(version, kpi, end)
    newest = ""
    if behind.newest_days and limit:
        day, per_day = behind.newest_days
        per_day = per_day.format(
            tier=tier_filter(tiers), part=f"and {behind.split} = $part" if part and behind.split else ""
        )
        # the newest day from which on the days hold the cap (all of them where they hold less)
        newest = f"""and {day} >= (
            select coalesce(max(day) filter (where newer >= {int(limit)}), min(day))
            from (select day, sum(listed) over (order by day desc) as newer from ({per_day})))"""
    chosen = _rows_sql(behind, tiers, part, newest)
    # the cap by QUALIFY, not ORDER BY … LIMIT: DuckDB 2.0 keeps the row numbers' order by rowid
    # and fetches the 5,000 rows last, where its top-N carries every column through a heap; the
    # revenue list at M took 37-40 ms against 54-57 (benchmarks/dashboard.py, p95)
    capped = f"qualify row_number() over (order by {behind.order}) <= {int(limit)}" if limit else ""
    listed = f"select * from ({chosen}) {capped} order by {behind.order}"
    if behind.named:  # each row with its customer's name (and tier), next to the customer's id
        named = ", ".join(f"customers.{column}" for column in behind.named)
        listed = f"""
            select listed.customer_id, {named}, listed.* exclude (customer_id)
            from ({listed}) as listed
            left join marts.customer_360 as customers on customers.customer_id = listed.customer_id
            order by {", ".join(f"listed.{term.strip()}" for term in behind.order.split(","))}
        """
    return query(version, listed, _params(start, end, tiers, part))
