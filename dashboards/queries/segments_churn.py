"""The queries of the Segments & churn page (dashboards/views/segments_churn.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.data import ROW_CAP, Period, query, row_limit, segment_filter, tier_filter, with_tiers


@st.cache_data(show_spinner=False)
def tier_by_stage(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select value_tier, lifecycle_stage, count(*) as customers, sum(revenue_12m) as revenue_12m
        from marts.customer_360
        where customer_type <> 'unidentified' {tier_filter(tiers, "value_tier")}
        group by all
        order by value_tier, lifecycle_stage
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def customers_of_tier_and_stage(version: str, tier: str, stage: str, limit: int | None = ROW_CAP) -> pd.DataFrame:
    """The customers a part of tier_by_stage counts, the most revenue first."""
    return query(
        version,
        f"""
        select customer_id, display_name, value_tier, lifecycle_stage, revenue_12m, round(churn_risk, 3) as churn_risk,
               last_touch_at
        from marts.customer_360
        where customer_type <> 'unidentified'
              and value_tier is not distinct from $tier and lifecycle_stage is not distinct from $stage
        order by revenue_12m desc nulls last, customer_id
        {row_limit(limit)}
        """,
        {"tier": tier, "stage": stage},
    )


@st.cache_data(show_spinner=False)
def tier_movements(version: str, start: date, end: date, tiers: tuple[str, ...] = ()) -> pd.DataFrame:
    """Customers who changed value tier in the months of the period; with tiers chosen, the
    moves into or out of them."""
    chosen = " and (list_contains($tiers, from_segment) or list_contains($tiers, to_segment))" if tiers else ""
    return query(
        version,
        f"""
        select from_segment, to_segment, sum(customers) as customers
        from marts.segment_movements
        where dimension = 'value_tier' and month_start between date_trunc('month', $start_date) and $end_date
            and from_segment <> to_segment {chosen}
        group by all
        order by customers desc
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


# the last 12 months up to the month of the period's end, and the 12 before them
LAST_12_MONTHS = "month_start_date > date_trunc('month', $end_date) - interval 12 month"
MONTHS_24 = (
    "month_start_date > date_trunc('month', $end_date) - interval 24 month "
    "and month_start_date <= date_trunc('month', $end_date)"
)


@st.cache_data(show_spinner=False)
def revenue_by_month_against_year_before(version: str, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """Each of the 12 months to the period's end: its revenue and the same month's a year before."""
    return query(
        version,
        f"""
        select month_start_date as month, sum(revenue) as revenue_in_month,
               (select sum(revenue) from marts.sales_revenue_monthly as before
                where before.month_start_date = now.month_start_date - interval 12 month
                {tier_filter(tiers, "before.segment")}) as revenue_year_before
        from marts.sales_revenue_monthly as now
        where {LAST_12_MONTHS} and month_start_date <= date_trunc('month', $end_date) {tier_filter(tiers, "segment")}
        group by month_start_date
        order by month_start_date
        """,
        with_tiers({"end_date": end}, tiers),
    )


@st.cache_data(show_spinner=False)
def revenue_by_against_year_before(version: str, end: date, tiers: tuple[str, ...], by: str) -> pd.DataFrame:
    """Revenue of the 12 months to the period's end against the 12 before, by product family or
    by region (the country, or the city where every customer is in one country), the most first."""
    regions = query(version, "select count(distinct country) as n from marts.sales_revenue_monthly").iloc[0]["n"]
    column = {"product_family": "product_family", "region": "country" if regions > 1 else "city"}[by]  # fixed
    return query(
        version,
        f"""
        select {column} as {by},
               sum(revenue) filter (where {LAST_12_MONTHS}) as revenue_12m,
               sum(revenue) filter (where not ({LAST_12_MONTHS})) as revenue_year_before,
               round(100.0 * (sum(revenue) filter (where {LAST_12_MONTHS})
                              / nullif(sum(revenue) filter (where not ({LAST_12_MONTHS})), 0) - 1), 1)
                   as revenue_growth_pct
        from marts.sales_revenue_monthly
        where {MONTHS_24} {tier_filter(tiers, "segment")}
        group by all
        order by revenue_12m desc nulls last, {by}
        """,
        with_tiers({"end_date": end}, tiers),
    )


@st.cache_data(show_spinner=False)
def value_at_risk_by_night(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    """Night by night, the churn risk of the customers still buying (marts.customer_churn_nightly):
    value at risk, the scored and the high-risk customers, over the chosen tiers."""
    return query(
        version,
        f"""
        select night_date, sum(value_at_risk) as value_at_risk, sum(high_risk_customers) as high_risk_customers,
               sum(scored_customers) as scored_customers, sum(revenue_12m) as revenue_12m
        from marts.customer_churn_nightly
        where true {tier_filter(tiers, "value_tier")}
        group by night_date
        order by night_date
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def churn_list(version: str, tiers: tuple[str, ...], limit: int | None = 500) -> pd.DataFrame:
    """Tonight's scored customers (those still buying), the most revenue at risk first."""
    return query(
        version,
        f"""
        select customer_id, display_name, value_tier, lifecycle_stage, round(churn_risk, 3) as churn_risk,
               round(churn_risk * coalesce(revenue_12m, 0)) as revenue_at_risk,
               churn_reasons, next_best_action, next_best_action_reason, revenue_12m, last_touch_at
        from marts.customer_360
        where churn_risk is not null {tier_filter(tiers, "value_tier")}
        -- what the company stands to lose first: a valuable customer at 0.8 before a small one at 0.9
        order by churn_risk * coalesce(revenue_12m, 0) desc, churn_risk desc, customer_id
        {row_limit(limit)}
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def top_customers(
    version: str, start: date, end: date, tiers: tuple[str, ...], rank_by: str = "revenue"
) -> pd.DataFrame:
    """The customers who bought most in the period, or whose buying grew most against the period
    before (as long), with what stands against them (churn risk, open promises)."""
    order = {"revenue": "revenue desc", "growth": "revenue - revenue_before desc"}[rank_by]  # a fixed choice
    period = Period(start, end)
    return query(
        version,
        f"""
        with bought as (
            select customer_id,
                   coalesce(sum(order_amount) filter (where ordered_at >= $start_at), 0) as revenue,
                   coalesce(sum(order_amount) filter (where ordered_at < $start_at), 0) as revenue_before
            from marts.order_fulfilment
            where ordered_at >= $prev_start_at and ordered_at < $end_at {segment_filter(tiers)}
            group by customer_id
        ),
        -- the 50 first, then their names: a join of every buyer to customer_360 cost more than the ranking
        ranked as (
            select * from bought
            where revenue > 0 or revenue_before > 0
            order by {order}, customer_id
            limit 50
        )
        select customer_id, customers.display_name, customers.value_tier, revenue, revenue_before,
               case when revenue_before > 0 then 100.0 * (revenue - revenue_before) / revenue_before end
                   as revenue_growth_pct,
               round(customers.churn_risk, 3) as churn_risk, customers.open_promises
        from ranked left join marts.customer_360 as customers using (customer_id)
        order by {order}, customer_id
        """,
        with_tiers({**period.params(), **period.previous().params("prev_")}, tiers),
    )
