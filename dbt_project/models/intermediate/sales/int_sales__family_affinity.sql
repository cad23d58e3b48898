{#- Which product family is bought together with which: for every ordered pair of families
    (a, b), the share of orders containing a that also contain b (association confidence),
    from the CRM order lines. -#}
with order_families as (
    select distinct items.order_id, products.product_family
    from {{ ref('stg_sales__order_items') }} as items
    inner join {{ ref('stg_sales__products') }} as products on products.product_id = items.product_id
    where not items.is_deleted and products.product_family is not null
),

family_orders as (
    select product_family, count(*) as orders from order_families group by product_family
),

pairs as (
    select a.product_family as family, b.product_family as together_with, count(*) as orders_together
    from order_families as a
    inner join order_families as b on a.order_id = b.order_id and a.product_family <> b.product_family
    group by all
)

select
    pairs.family,
    pairs.together_with,
    pairs.orders_together,
    1.0 * pairs.orders_together / family_orders.orders as confidence
from pairs
inner join family_orders on family_orders.product_family = pairs.family
