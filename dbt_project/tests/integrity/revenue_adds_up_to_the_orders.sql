{#- Integrity, every night: the revenue of the last twelve months summed over customer_360 is
    the orders staging holds for those months (not deleted), to the cent. A row here names both
    sums. -#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'customer_360'}}}) }}

with staged as (
    select coalesce(sum(total_amount), 0) as revenue
    from {{ ref('stg_sales__orders') }}
    where not is_deleted and created_at >= {{ dbt.dateadd('day', -365, as_of()) }}
),

published as (
    select coalesce(sum(revenue_12m), 0) as revenue from {{ ref('customer_360') }}
)

select staged.revenue as staged_revenue, published.revenue as customer_360_revenue
from staged
cross join published
where abs(staged.revenue - published.revenue) >= 0.01
