"""The queries of the Delivery page (dashboards/views/delivery.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.data import Period, kpi_rate, query, segment_filter, tier_filter, with_tiers


@st.cache_data(show_spinner=False)
def delivery_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """Orders due each month, wrong items shipped, and the delivery rates added up from
    marts.customer_kpis_daily (where they are defined) and divided."""
    rates = ", ".join(
        f"{kpi_rate(kpi)} as {kpi}_pct" for kpi in ("otif", "on_time", "in_full", "perfect_order", "installation_kept")
    )
    return query(
        version,
        f"""
        with counts as (
            select cast(date_trunc('month', promised_delivery_date) as date) as month,
                   count(*) as orders,
                   count(*) filter (where has_packing_mismatch) as wrong_items
            from marts.order_fulfilment
            where promised_delivery_date between $start_date and $end_date {segment_filter(tiers)}
            group by all
        ),
        rates as (
            select cast(date_trunc('month', day) as date) as month, {rates}
            from marts.customer_kpis_daily
            where day between $start_date and $end_date {tier_filter(tiers)}
            group by all
        )
        select counts.month, orders, otif_pct, on_time_pct, in_full_pct, perfect_order_pct, wrong_items,
               installation_kept_pct
        from counts left join rates using (month)
        order by month
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def order_journey(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """The funnel of orders placed in the period: how many reached each stage, and how many
    had the promise of that stage broken (and in which department it broke)."""
    return query(
        version,
        f"""
        with orders as (
            select * from marts.order_fulfilment
            where ordered_at >= $start_at and ordered_at < $end_at {segment_filter(tiers)}
        )
        select * from (
            values (1, 'ordered', 'sales'), (2, 'shipped', 'logistics'), (3, 'delivered', 'logistics'),
                   (4, 'installed', 'logistics'), (5, 'accepted', 'logistics')
        ) as stages(step, stage, department)
        cross join lateral (
            select
                case stages.stage
                    when 'ordered' then count(*)
                    when 'shipped' then count(shipped_at)
                    when 'delivered' then count(delivered_at)
                    when 'installed' then count(installed_at)
                    else count(accepted_at)
                end as orders,
                case stages.stage
                    when 'shipped' then count(*) filter (where broken_stage = 'packing')
                    when 'delivered' then count(*) filter (where broken_stage = 'delivery')
                    when 'installed' then count(*) filter (where broken_stage = 'installation')
                    else 0
                end as promises_broken
            from orders
        )
        order by step
        """,
        with_tiers(Period(start, end).params(), tiers),
    )
