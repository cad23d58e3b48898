{#- The 360° features of every customer with an order before each moment of
    int_scoring__churn_moments (only what happened before the moment counts), whether they were
    still active then (not lapsed: the lifecycle rule of macros/segments/lifecycle_stage.sql), and
    whether they placed no order in the horizon after it (`churned`, the label: meaningful only
    for a moment at least a horizon in the past). scoring/churn.py learns and scores from it;
    scoring/features.py says how a strong value reads as a reason. -#}
{%- set horizon = var('churn_horizon_days') %}

with moments as (
    select distinct snapshot_at from {{ ref('int_scoring__churn_moments') }}
),

orders as (
    select customer_id, created_at as ordered_at, order_number, coalesce(total_amount, 0) as amount
    from {{ ref('int_sales__customer_orders') }}
),

promises as (
    select * from {{ ref('open_promises') }}
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

orders_before as (
    select moments.snapshot_at, orders.*
    from moments
    inner join orders on orders.ordered_at <= moments.snapshot_at
),

-- what went wrong with the latest order (a customer leaves after a bad experience)
latest_order as (
    select snapshot_at, customer_id, {{ arg_max('order_number', 'ordered_at') }} as order_number
    from orders_before
    group by snapshot_at, customer_id
),

latest_trouble as (
    select latest_order.snapshot_at, latest_order.customer_id, count(*) as last_order_trouble
    from latest_order
    inner join promises
        on promises.customer_id = latest_order.customer_id and promises.order_number = latest_order.order_number
    where promises.due_at <= latest_order.snapshot_at
        and (promises.resolved_at is null or promises.resolved_at > promises.due_at)
    group by latest_order.snapshot_at, latest_order.customer_id
),

history as (
    select
        snapshot_at,
        customer_id,
        count(*) as orders_total,
        max(ordered_at) as last_order_at,
        min(ordered_at) as first_order_at,
        sum(case when ordered_at > {{ dbt.dateadd('day', -180, 'snapshot_at') }} then amount else 0 end)
            as revenue_recent,
        sum(
            case when ordered_at <= {{ dbt.dateadd('day', -180, 'snapshot_at') }}
                and ordered_at > {{ dbt.dateadd('day', -360, 'snapshot_at') }} then amount else 0 end
        ) as revenue_before
    from orders_before
    group by snapshot_at, customer_id
),

-- a customer's own pace: the days between their first and last order over the gaps between
history_paced as (
    select
        *,
        case when orders_total > 1
            then {{ dbt.datediff('first_order_at', 'last_order_at', 'day') }} / (orders_total - 1)
        end as own_interval_days,
        {{ dbt.datediff('last_order_at', 'snapshot_at', 'day') }} as days_since_last_order
    from history
),

-- the usual pace of the customers who ordered more than once, for those who did not yet
usual as (
    select snapshot_at, median(own_interval_days) as days
    from history_paced
    where orders_total > 1
    group by snapshot_at
),

future as (
    select moments.snapshot_at, orders.customer_id, count(*) as orders_after
    from moments
    inner join orders
        on orders.ordered_at > moments.snapshot_at
        and orders.ordered_at <= {{ dbt.dateadd('day', horizon, 'moments.snapshot_at') }}
    group by moments.snapshot_at, orders.customer_id
),

tickets as (
    select
        moments.snapshot_at,
        tickets.customer_id,
        count(case when tickets.is_complaint then 1 end) as complaints_180d,
        count(case when tickets.is_sla_breached then 1 end) as sla_breaches_180d
    from moments
    inner join {{ ref('service_tickets') }} as tickets
        on tickets.created_at <= moments.snapshot_at
        and tickets.created_at > {{ dbt.dateadd('day', -180, 'moments.snapshot_at') }}
    group by moments.snapshot_at, tickets.customer_id
),

ratings as (
    select moments.snapshot_at, raters.customer_id, count(*) as bad_ratings_180d
    from moments
    inner join {{ ref('stg_service__satisfaction_ratings') }} as ratings
        on ratings.created_at <= moments.snapshot_at
        and ratings.created_at > {{ dbt.dateadd('day', -180, 'moments.snapshot_at') }}
    inner join {{ ref('int_customers__desk_users') }} as raters
        on raters.user_id = cast(ratings.requester_id as {{ dbt.type_string() }})
    where ratings.score = 'bad'
    group by moments.snapshot_at, raters.customer_id
),

broken_promises as (
    select
        moments.snapshot_at,
        promises.customer_id,
        count(case when promises.kind = 'delivery_late' then 1 end) as late_deliveries_365d,
        count(case when promises.kind = 'wrong_item_shipped' then 1 end) as wrong_items_365d,
        count(case when promises.kind = 'installation_overdue' then 1 end) as overdue_installations_365d,
        count(case when promises.kind = 'compensation_unanswered' then 1 end) as unanswered_claims_365d
    from moments
    inner join promises
        on promises.due_at <= moments.snapshot_at
        and promises.due_at > {{ dbt.dateadd('day', -365, 'moments.snapshot_at') }}
    where promises.resolved_at is null or promises.resolved_at > promises.due_at
    group by moments.snapshot_at, promises.customer_id
),

touches as (
    select
        moments.snapshot_at,
        touchpoints.customer_id,
        count(case when touchpoints.touchpoint_type = 'call_abandoned' then 1 end) as abandoned_calls_90d,
        count(distinct touchpoints.department) as departments_90d
    from moments
    inner join touchpoints
        on touchpoints.occurred_at <= moments.snapshot_at
        and touchpoints.occurred_at > {{ dbt.dateadd('day', -90, 'moments.snapshot_at') }}
    group by moments.snapshot_at, touchpoints.customer_id
),

nps as (
    select
        moments.snapshot_at,
        touchpoints.customer_id,
        {{ arg_max('cast(touchpoints.outcome as integer)', 'touchpoints.occurred_at') }} as nps_last
    from moments
    inner join touchpoints on touchpoints.occurred_at <= moments.snapshot_at
    where touchpoints.touchpoint_type = 'nps_response'
    group by moments.snapshot_at, touchpoints.customer_id
)

select
    history.snapshot_at,
    history.customer_id,
    history.days_since_last_order / greatest(coalesce(history.own_interval_days, usual.days, 90), 7) as recency_ratio,
    case when history.revenue_before > 0
        then greatest(0, 1 - history.revenue_recent / history.revenue_before) else 0
    end as revenue_trend_drop,
    coalesce(ratings.bad_ratings_180d, 0) as bad_ratings_180d,
    coalesce(tickets.complaints_180d, 0) as complaints_180d,
    coalesce(tickets.sla_breaches_180d, 0) as sla_breaches_180d,
    coalesce(broken_promises.late_deliveries_365d, 0) as late_deliveries_365d,
    coalesce(broken_promises.wrong_items_365d, 0) as wrong_items_365d,
    coalesce(broken_promises.overdue_installations_365d, 0) as overdue_installations_365d,
    coalesce(broken_promises.unanswered_claims_365d, 0) as unanswered_claims_365d,
    coalesce(touches.abandoned_calls_90d, 0) as abandoned_calls_90d,
    case when {{ nps_is_detractor('nps.nps_last') }} then nps.nps_last end as detractor_nps_score,
    case when {{ nps_is_detractor('nps.nps_last') }} then 1 else 0 end as detractor_nps,
    4 - least(coalesce(touches.departments_90d, 0), 4) as few_departments_90d,
    coalesce(touches.departments_90d, 0) as departments_90d,
    1.0 / history.orders_total as low_order_count,
    history.orders_total,
    coalesce(latest_trouble.last_order_trouble, 0) as last_order_trouble,
    -- days until the next order is due at the customer's own pace, when that is past the
    -- horizon: such a customer is not expected to order within it, churned or not
    greatest(0, coalesce(history.own_interval_days, 120) - history.days_since_last_order - {{ horizon }})
        as next_order_beyond_horizon,
    -- still a customer then: not lapsed by the lifecycle rule (macros/segments/lifecycle_stage.sql):
    -- the last order is at most 3x the customer's own usual interval ago, 120 days when unknown
    history.days_since_last_order <= 3 * coalesce(history.own_interval_days, 120) as is_active,
    coalesce(future.orders_after, 0) = 0 as churned
from history_paced as history
left join usual on usual.snapshot_at = history.snapshot_at
left join future on future.snapshot_at = history.snapshot_at and future.customer_id = history.customer_id
left join tickets on tickets.snapshot_at = history.snapshot_at and tickets.customer_id = history.customer_id
left join ratings on ratings.snapshot_at = history.snapshot_at and ratings.customer_id = history.customer_id
left join broken_promises
    on broken_promises.snapshot_at = history.snapshot_at and broken_promises.customer_id = history.customer_id
left join touches on touches.snapshot_at = history.snapshot_at and touches.customer_id = history.customer_id
left join nps on nps.snapshot_at = history.snapshot_at and nps.customer_id = history.customer_id
left join latest_trouble
    on latest_trouble.snapshot_at = history.snapshot_at and latest_trouble.customer_id = history.customer_id
