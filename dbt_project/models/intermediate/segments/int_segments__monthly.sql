{#- Each customer's value tier and lifecycle stage at the start of every month (the same rules
    as customer_360, applied to the orders known then), from the first order's month on. -#}
with orders as (
    select order_id, created_at, total_amount, customer_id from {{ ref('int_sales__customer_orders') }}
),

months as (
    select cast(month_start as timestamp) as month_start
    from {{ month_starts("(select date_trunc('month', min(created_at)) from orders) + interval 1 month", as_of()) }}
),

customers as (
    select distinct customer_id from orders
),

ordered as (
    select
        orders.*,
        lag(created_at) over (partition by customer_id order by created_at, order_id) as previous_created_at
    from orders
),

history as (
    select
        months.month_start,
        customers.customer_id,
        min(ordered.created_at) as first_order_at,
        max(ordered.created_at) as last_order_at,
        {{ arg_max('ordered.previous_created_at', 'ordered.created_at') }} as previous_order_at,
        count(ordered.order_id) as orders_total,
        coalesce(sum(case when ordered.created_at >= months.month_start - interval 365 day
                          then ordered.total_amount end), 0) as revenue_12m
    from months
    cross join customers
    left join ordered on ordered.customer_id = customers.customer_id and ordered.created_at < months.month_start
    group by all
),

ranked as (
    select
        *,
        case when orders_total > 1
             then {{ dbt.datediff('first_order_at', 'last_order_at', 'day') }} / (orders_total - 1) end
            as usual_order_interval_days,
        percent_rank() over (partition by month_start, revenue_12m > 0 order by revenue_12m desc) as revenue_rank
    from history
)

select
    month_start,
    customer_id,
    {{ value_tier('revenue_12m', 'revenue_rank') }} as value_tier,
    {{ lifecycle_stage('first_order_at', 'last_order_at', 'previous_order_at', 'usual_order_interval_days',
                       'orders_total', 'month_start') }} as lifecycle_stage,
    revenue_12m
from ranked
