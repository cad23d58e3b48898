"""The queries of the Overview page (dashboards/views/overview.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.data import Period, publish_info, query, segment_filter, tier_filter, with_tiers


def rate_sql(kpi: str, by_tier: bool = True) -> str:
    """A rate for the period and the one before, added up from the mart of its numerators and
    denominators and divided (its definition lives in marts.customer_kpis_daily alone), and the
    period's sample: how many it is a rate of."""
    return f"""
        select 100.0 * sum(numerator) filter (where day >= $start_date)
                   / nullif(sum(denominator) filter (where day >= $start_date), 0) as now,
               100.0 * sum(numerator) filter (where day < $start_date)
                   / nullif(sum(denominator) filter (where day < $start_date), 0) as before,
               -- what the rate is of: the answers, tickets, orders or calls behind it
               coalesce(sum(denominator) filter (where day >= $start_date), 0) as sample
        from marts.customer_kpis_daily
        where kpi = '{kpi}' and day between $prev_start_date and $end_date {"{tier}" if by_tier else ""}
    """


# One statement per figure (each returns `now` and `before`): DuckDB answers each from the few
# row groups its period touches, where one statement with many FILTER clauses reads them all.
OVERVIEW_SQL = {
    # customers: who had ordered by the end of the period (a prospect who never bought is none),
    # each counted at their first order, so that no statement groups every order of every year
    "customers": """
        select count(*) filter (where ordered_at < $end_at) as now,
               count(*) filter (where ordered_at < $prev_end_at) as before
        from marts.order_fulfilment
        where customer_order_sequence = 1 and ordered_at < $end_at {segment}
    """,
    # distinct 64-bit hashes of the ids: a quarter faster than distinct strings, and the chance
    # that two of a million customers collide is below one in ten million
    "active": """
        select (select count(distinct hash(customer_id)) from marts.order_fulfilment
                where ordered_at >= $start_at and ordered_at < $end_at {segment}) as now,
               (select count(distinct hash(customer_id)) from marts.order_fulfilment
                where ordered_at >= $prev_start_at and ordered_at < $prev_end_at {segment}) as before
    """,
    "revenue_12m": """
        select sum(revenue) filter (where ordered_date > $end_date - interval 365 day) as now,
               sum(revenue) filter (where ordered_date <= $end_date - interval 365 day) as before
        from marts.orders_daily
        where ordered_date > $end_date - interval 730 day and ordered_date <= $end_date {tier}
    """,
    "otif": rate_sql("otif"),
    "csat": rate_sql("csat"),
    "nps": rate_sql("nps"),
    "sla": rate_sql("sla_compliance"),
    "abandonment": rate_sql("abandonment", by_tier=False),  # calls are not split by tier
    "open_promises": """
        -- open at the end of each period: due by then and not resolved by then
        select count(*) filter (where due_at < $end_at and (resolved_at is null or resolved_at >= $end_at)) as now,
               count(*) filter (where due_at < $prev_end_at and (resolved_at is null or resolved_at >= $prev_end_at))
                   as before
        from marts.open_promises
        where true {segment}
    """,
    "high_churn": """
        -- now: tonight's scores; before: as the last night up to the previous period's end left them
        select (select count(*) filter (where is_high_churn_risk) from marts.customer_360 where true {tier}) as now,
               (select sum(high_risk_customers) from marts.customer_churn_nightly
                where night_date = (select max(night_date) from marts.customer_churn_nightly
                                    where night_date <= $prev_end_date) {tier}) as before
    """,
}
OVERVIEW_KPIS = list(OVERVIEW_SQL)
# promises open and at risk as the night left them: one definition for the overview and its page
OPEN_NOW_SQL = """
    select count(*) filter (where status = 'open') as open, count(*) filter (where status = 'at_risk') as at_risk
    from marts.open_promises
    where status in ('open', 'at_risk') {segment}
"""


@st.cache_data(show_spinner=False)
def overview(version: str, start: date, end: date, tiers: tuple[str, ...]) -> dict[str, tuple]:
    """Each headline figure for the period and for the period before it, and for a rate its
    sample (how many answers, tickets, orders or calls; None for a count): {kpi: (now, before, sample)}."""
    period = Period(start, end)
    params = with_tiers({**period.params(), **period.previous().params("prev_")}, tiers)

    def number(value):
        return None if pd.isna(value) else float(value)

    figures = {}
    for kpi, sql in OVERVIEW_SQL.items():
        tier = tier_filter(tiers, "value_tier" if kpi == "high_churn" else "segment")
        row = query(version, sql.format(segment=segment_filter(tiers), tier=tier), params).iloc[0]
        figures[kpi] = (number(row["now"]), number(row["before"]), number(row["sample"]) if "sample" in row else None)
    if end >= publish_info(version)["as_of"]:
        # a period running to the publish's day ends at the night's moment: its open promises are
        # the ones the mart says are open then, the figure the Open promises page shows
        now = query(version, OPEN_NOW_SQL.format(segment=segment_filter(tiers)), with_tiers({}, tiers)).iloc[0]
        figures["open_promises"] = (number(now["open"]), figures["open_promises"][1], None)
    return figures


@st.cache_data(show_spinner=False)
def touchpoints_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select cast(date_trunc('month', occurred_date) as date) as month, department, sum(touchpoints) as touchpoints
        from marts.touchpoints_daily
        where occurred_date between $start_date and $end_date {tier_filter(tiers)}
        group by all
        order by month, department
        """,
        with_tiers(Period(start, end).params(), tiers),
    )
