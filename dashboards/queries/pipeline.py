"""The queries of the Pipeline page (dashboards/views/pipeline.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.data import ROW_CAP, query, row_limit, segment_filter, with_tiers


@st.cache_data(show_spinner=False)
def by_stage(version: str, tiers: tuple[str, ...]) -> pd.DataFrame:
    """Each stage with its deals, amount, weighted amount and stale deals, in the order deals go
    through them (by the probability the CRM gives each stage; the company's own stage names)."""
    return query(
        version,
        f"""
        select stage, avg(probability) as probability, count(*) as deals, sum(amount) as amount,
               sum(weighted_amount) as weighted_amount, count(*) filter (where is_stale) as stale_deals,
               median(days_in_stage) as median_days_in_stage
        from marts.open_opportunities
        where true {segment_filter(tiers)}
        group by stage
        order by probability nulls last, stage
        """,
        with_tiers({}, tiers),
    )


@st.cache_data(show_spinner=False)
def deals_in_stage(version: str, tiers: tuple[str, ...], stage: str, limit: int | None = ROW_CAP) -> pd.DataFrame:
    """The open deals of one stage (a bar of by_stage), the biggest first."""
    return query(
        version,
        f"""
        select deals.customer_id, customers.display_name, deals.opportunity_name, deals.stage,
               deals.days_in_stage, deals.amount, deals.weighted_amount, deals.expected_close_date,
               deals.owner_name, deals.is_stale
        from marts.open_opportunities as deals
        left join marts.customer_360 as customers using (customer_id)
        where deals.stage = $stage {segment_filter(tiers, "deals.customer_id")}
        order by deals.amount desc nulls last, deals.opportunity_id
        {row_limit(limit)}
        """,
        with_tiers({"stage": stage}, tiers),
    )


@st.cache_data(show_spinner=False)
def stale_deals(version: str, tiers: tuple[str, ...], limit: int | None = ROW_CAP) -> pd.DataFrame:
    """The stale deals to act on, the biggest first."""
    return query(
        version,
        f"""
        select deals.customer_id, customers.display_name, deals.opportunity_name, deals.stage,
               deals.days_in_stage, deals.amount, deals.expected_close_date, deals.owner_name,
               deals.last_activity_at, deals.decision_maker, deals.stale_reason
        from marts.open_opportunities as deals
        left join marts.customer_360 as customers using (customer_id)
        where deals.is_stale {segment_filter(tiers, "deals.customer_id")}
        order by deals.amount desc nulls last, deals.opportunity_id
        {row_limit(limit)}
        """,
        with_tiers({}, tiers),
    )
