{#- Product family × customer type × value tier: how many customers of each bought each family in
    the last 12 months, the revenue of those order lines and their margin (where the CRM records
    the products' unit costs, Product2.Unit_Cost__c; null where it records none). -#}
with customers as (
    select customer_id, customer_type, value_tier from {{ ref('customer_360') }}
),

lines as (
    select
        orders.customer_id,
        products.product_family,
        items.total_price,
        items.total_price - items.quantity * products.unit_cost as margin,
        orders.order_id
    from {{ ref('stg_sales__order_items') }} as items
    inner join {{ ref('int_sales__customer_orders') }} as orders on orders.order_id = items.order_id
    inner join {{ ref('stg_sales__products') }} as products on products.product_id = items.product_id
    where not items.is_deleted
        and orders.created_at >= {{ dbt.dateadd('day', -365, as_of()) }}
)

select
    coalesce(lines.product_family, 'unknown') as product_family,
    customers.customer_type,
    customers.value_tier,
    count(distinct lines.customer_id) as customers,
    count(distinct lines.order_id) as orders,
    sum(lines.total_price) as revenue_12m,
    sum(lines.margin) as margin_12m
from lines
inner join customers on customers.customer_id = lines.customer_id
group by all
