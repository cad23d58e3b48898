"""The 360° features of every customer with purchase history, as they stood at a moment `t`
(only what happened before `t` counts), and whether the customer then ordered again within
the horizon (the label; known only for moments at least a horizon in the past)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

# feature -> how a strong value reads as a reason (the value is formatted into it)
FEATURES = {
    "recency_ratio": "no order for {:.1f}× their usual interval",
    "revenue_trend_drop": "spending down {:.0%} on the half-year before",
    "bad_ratings_180d": "{:.0f} bad service rating(s) in 180 days",
    "complaints_180d": "{:.0f} complaint ticket(s) in 180 days",
    "sla_breaches_180d": "{:.0f} SLA breach(es) in 180 days",
    "late_deliveries_365d": "{:.0f} late delivery(ies) in a year",
    "wrong_items_365d": "{:.0f} wrong item(s) shipped in a year",
    "overdue_installations_365d": "{:.0f} overdue installation(s) in a year",
    "unanswered_claims_365d": "{:.0f} compensation claim(s) left unanswered",
    "abandoned_calls_90d": "{:.0f} abandoned call(s) in 90 days",
    "detractor_nps": "last NPS answer was a detractor ({:.0f})",
    "few_departments_90d": "only {:.0f} department(s) in touch in 90 days",
    "low_order_count": "only {:.0f} order(s) so far",
    "last_order_trouble": "{:.0f} broken promise(s) on the latest order",
    "next_order_beyond_horizon": "next order not expected for {:.0f} days",
}


def features_as_of(con: duckdb.DuckDBPyConnection, t: datetime, horizon_days: int = 180) -> pd.DataFrame:
    """One row per customer with an order before `t`: the features, `is_active` (not lapsed at
    `t`), and `churned` (no order in (t, t + horizon]) — meaningful only when t + horizon is in
    the past."""
    return con.execute(
        """
        with orders as (
            select customer_id, ordered_at, order_fulfilment.order_number, coalesce(total_amount, 0) as amount
            from marts.order_fulfilment
            join staging.stg_sales__orders using (order_id)
            where customer_id is not null
        ),
        -- what went wrong with the latest order (a customer leaves after a bad experience)
        latest_order as (
            select customer_id, arg_max(order_number, ordered_at) as order_number
            from orders where ordered_at <= $t group by customer_id
        ),
        latest_trouble as (
            select latest_order.customer_id, count(*) as last_order_trouble
            from latest_order
            join marts.open_promises as promises
                on promises.customer_id = latest_order.customer_id and promises.order_number = latest_order.order_number
            where promises.due_at <= $t and (promises.resolved_at is null or promises.resolved_at > promises.due_at)
            group by latest_order.customer_id
        ),
        history as (
            select
                customer_id,
                count(*) as orders_total,
                max(ordered_at) as last_order_at,
                min(ordered_at) as first_order_at,
                sum(case when ordered_at > $t - interval 180 day then amount else 0 end) as revenue_recent,
                sum(case when ordered_at <= $t - interval 180 day and ordered_at > $t - interval 360 day
                         then amount else 0 end) as revenue_before
            from orders where ordered_at <= $t
            group by customer_id
        ),
        usual as (
            select median(date_diff('day', first_order_at, last_order_at) / (orders_total - 1)) as days
            from history where orders_total > 1
        ),
        future as (
            select customer_id, count(*) as orders_after
            from orders where ordered_at > $t and ordered_at <= $t + to_days(cast($h as integer))
            group by customer_id
        ),
        tickets as (
            select customer_id,
                   count(*) filter (where is_complaint) as complaints_180d,
                   count(*) filter (where is_sla_breached) as sla_breaches_180d
            from marts.service_tickets
            where created_at <= $t and created_at > $t - interval 180 day
            group by customer_id
        ),
        ratings as (
            select map.customer_id, count(*) as bad_ratings_180d
            from staging.stg_service__satisfaction_ratings as r
            join marts.customer_identity_map as map
                on map.source_table = 'users' and map.source_record_id = cast(r.requester_id as varchar)
            where r.score = 'bad' and r.created_at <= $t and r.created_at > $t - interval 180 day
            group by map.customer_id
        ),
        promises as (
            select customer_id,
                   count(*) filter (where kind = 'delivery_late') as late_deliveries_365d,
                   count(*) filter (where kind = 'wrong_item_shipped') as wrong_items_365d,
                   count(*) filter (where kind = 'installation_overdue') as overdue_installations_365d,
                   count(*) filter (where kind = 'compensation_unanswered') as unanswered_claims_365d
            from marts.open_promises
            where due_at <= $t and due_at > $t - interval 365 day
                and (resolved_at is null or resolved_at > due_at)
            group by customer_id
        ),
        touches as (
            select customer_id,
                   count(*) filter (where touchpoint_type = 'call_abandoned') as abandoned_calls_90d,
                   count(distinct department) as departments_90d
            from marts.fct_touchpoints
            where occurred_at <= $t and occurred_at > $t - interval 90 day
            group by customer_id
        ),
        nps as (
            select customer_id, arg_max(cast(outcome as integer), occurred_at) as nps_last
            from marts.fct_touchpoints
            where touchpoint_type = 'nps_response' and occurred_at <= $t
            group by customer_id
        )
        select
            history.customer_id,
            date_diff('day', history.last_order_at, $t)
                / greatest(coalesce(case when history.orders_total > 1 then
                      date_diff('day', history.first_order_at, history.last_order_at) / (history.orders_total - 1)
                  end, usual.days, 90), 7) as recency_ratio,
            case when history.revenue_before > 0
                 then greatest(0, 1 - history.revenue_recent / history.revenue_before) else 0 end
                as revenue_trend_drop,
            coalesce(ratings.bad_ratings_180d, 0) as bad_ratings_180d,
            coalesce(tickets.complaints_180d, 0) as complaints_180d,
            coalesce(tickets.sla_breaches_180d, 0) as sla_breaches_180d,
            coalesce(promises.late_deliveries_365d, 0) as late_deliveries_365d,
            coalesce(promises.wrong_items_365d, 0) as wrong_items_365d,
            coalesce(promises.overdue_installations_365d, 0) as overdue_installations_365d,
            coalesce(promises.unanswered_claims_365d, 0) as unanswered_claims_365d,
            coalesce(touches.abandoned_calls_90d, 0) as abandoned_calls_90d,
            case when nps.nps_last <= 6 then nps.nps_last else null end as detractor_nps_score,
            case when nps.nps_last <= 6 then 1 else 0 end as detractor_nps,
            4 - least(coalesce(touches.departments_90d, 0), 4) as few_departments_90d,
            coalesce(touches.departments_90d, 0) as departments_90d,
            1.0 / history.orders_total as low_order_count,
            history.orders_total,
            coalesce(latest_trouble.last_order_trouble, 0) as last_order_trouble,
            -- days until the next order is due at the customer's own pace, when that is past the
            -- horizon: such a customer is not expected to order within it, churned or not
            greatest(0, coalesce(case when history.orders_total > 1 then
                date_diff('day', history.first_order_at, history.last_order_at) / (history.orders_total - 1) end, 120)
                - date_diff('day', history.last_order_at, $t) - $h) as next_order_beyond_horizon,
            -- still a customer at t: not lapsed by the lifecycle rule (macros/segments/lifecycle_stage.sql): the last
            -- order is at most 3x the customer's own usual interval ago, 120 days when unknown
            date_diff('day', history.last_order_at, $t) <= 3 * coalesce(case when history.orders_total > 1 then
                date_diff('day', history.first_order_at, history.last_order_at) / (history.orders_total - 1) end, 120)
                as is_active,
            coalesce(future.orders_after, 0) = 0 as churned
        from history
        cross join usual
        left join future using (customer_id)
        left join tickets using (customer_id)
        left join ratings using (customer_id)
        left join promises using (customer_id)
        left join touches using (customer_id)
        left join nps using (customer_id)
        left join latest_trouble using (customer_id)
        order by history.customer_id
        """,
        {"t": t, "h": horizon_days},
    ).df()
