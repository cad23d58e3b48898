{#- Sales per company-local month (definitions in _sales__models.yml). -#}
with opportunities as (
    select * from {{ ref('stg_sales__opportunities') }} where not is_deleted
),

orders as (
    select * from {{ ref('stg_sales__orders') }} where not is_deleted
),

closed as (
    select
        date_trunc('month', close_date) as sales_month,
        count(case when is_won then 1 end) as opportunities_won,
        count(case when not is_won then 1 end) as opportunities_lost,
        coalesce(sum(case when is_won then amount end), 0) as won_amount,
        coalesce(sum(case when not is_won then amount end), 0) as lost_amount
    from opportunities
    where is_closed and close_date is not null
    group by 1
),

opened as (
    select
        date_trunc('month', {{ local_date('created_at') }}) as sales_month,
        count(*) as opportunities_opened,
        coalesce(sum(amount), 0) as pipeline_created_amount
    from opportunities
    group by 1
),

booked as (
    select
        date_trunc('month', {{ local_date('created_at') }}) as sales_month,
        count(*) as orders,
        coalesce(sum(total_amount), 0) as revenue
    from orders
    group by 1
),

months as (
    select sales_month from closed
    union
    select sales_month from opened
    union
    select sales_month from booked
)

select
    cast(months.sales_month as date) as sales_month,
    coalesce(opened.opportunities_opened, 0) as opportunities_opened,
    coalesce(opened.pipeline_created_amount, 0) as pipeline_created_amount,
    coalesce(closed.opportunities_won, 0) as opportunities_won,
    coalesce(closed.opportunities_lost, 0) as opportunities_lost,
    coalesce(closed.won_amount, 0) as won_amount,
    coalesce(closed.lost_amount, 0) as lost_amount,
    case when coalesce(closed.won_amount, 0) + coalesce(closed.lost_amount, 0) > 0
         then closed.won_amount / (closed.won_amount + closed.lost_amount) end as win_rate_amount_weighted,
    coalesce(booked.orders, 0) as orders,
    coalesce(booked.revenue, 0) as revenue,
    case when booked.orders > 0 then booked.revenue / booked.orders end as average_order_value,
    (select coalesce(sum(amount), 0) from opportunities where not is_closed) as open_pipeline_amount_now
from months
left join opened on opened.sales_month = months.sales_month
left join closed on closed.sales_month = months.sales_month
left join booked on booked.sales_month = months.sales_month
