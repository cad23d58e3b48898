{#- CRM orders per company-local day of ordering × the customer's value tier now: revenue over
    any range of days without reading every order. -#}
with orders as (
    select * from {{ ref('order_fulfilment') }}
),

segments as (
    select customer_id, value_tier from {{ ref('customer_360') }}
),

final as (
    select
        {{ local_date('orders.ordered_at') }} as ordered_date,
        coalesce(segments.value_tier, 'none') as segment,
        count(*) as orders,
        sum(orders.order_amount) as revenue
    from orders
    left join segments on segments.customer_id = orders.customer_id
    group by all
)

select * from final
