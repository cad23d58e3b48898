{#- Order-line revenue per company-local month of ordering × product family × where the customer
    is (their golden record's country and city) × their value tier now: revenue by family or by
    region, month by month, against the same months a year before, without reading every line. -#}
with customers as (
    select golden.customer_id, golden.country, golden.city, scored.value_tier
    from {{ ref('dim_customer') }} as golden
    left join {{ ref('customer_360') }} as scored on scored.customer_id = golden.customer_id
),

lines as (
    select
        orders.customer_id,
        orders.order_id,
        {{ local_date('orders.created_at') }} as ordered_date,
        products.product_family,
        items.total_price,
        items.total_price - items.quantity * products.unit_cost as margin
    from {{ ref('stg_sales__order_items') }} as items
    inner join {{ ref('int_sales__customer_orders') }} as orders on orders.order_id = items.order_id
    inner join {{ ref('stg_sales__products') }} as products on products.product_id = items.product_id
    where not items.is_deleted
),

final as (
    select
        cast({{ dbt.date_trunc('month', 'lines.ordered_date') }} as date) as month_start_date,
        coalesce(lines.product_family, 'unknown') as product_family,
        coalesce(customers.country, 'unknown') as country,
        coalesce(customers.city, 'unknown') as city,
        coalesce(customers.value_tier, 'none') as segment,
        count(distinct lines.order_id) as orders,
        -- summed as decimals: a floating-point sum depends on the order DuckDB's threads add in
        cast(sum(cast(lines.total_price as decimal(38, 6))) as double) as revenue,
        cast(sum(cast(lines.margin as decimal(38, 6))) as double) as margin
    from lines
    left join customers on customers.customer_id = lines.customer_id
    group by 1, 2, 3, 4, 5
)

select * from final
