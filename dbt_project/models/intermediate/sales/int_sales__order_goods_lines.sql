{#- What each order asks to be shipped: its lines of goods (products not of family Services)
    by SKU, quantities summed. The yardstick of "in full" and of a wrong item shipped. -#}
with items as (
    select * from {{ ref('stg_sales__order_items') }} where not is_deleted
),

products as (
    select * from {{ ref('stg_sales__products') }}
)

select items.order_id, products.product_code as sku, sum(items.quantity) as quantity
from items
inner join products on products.product_id = items.product_id
where coalesce(products.product_family, '') <> 'Services'
group by all
