{#- One satisfaction answer with what the customer went through in the 30 days before it:
    a late delivery, an overdue installation, a long wait on the phone, a reopened ticket. -#}
with responses as (
    select * from {{ ref('int_satisfaction__responses') }}
),

segments as (
    select customer_id, value_tier from {{ ref('customer_360') }}
),

orders as (
    select * from {{ ref('order_fulfilment') }}
),

order_items as (
    select * from {{ ref('stg_sales__order_items') }} where not is_deleted
),

products as (
    select * from {{ ref('stg_sales__products') }}
),

tickets as (
    select * from {{ ref('service_tickets') }}
),

queue_calls as (
    select * from {{ ref('int_call_center__queue_calls') }}
),

call_touchpoints as (
    select customer_id, source_record_id as call_id
    from {{ ref('fct_touchpoints') }}
    where source_table = 'cdr' and touchpoint_type in ('call_answered', 'call_abandoned')
),

-- the family a customer spends most on: the product line an answer is attributed to
family_revenue as (
    select orders.customer_id, products.product_family, sum(order_items.total_price) as revenue
    from order_items
    inner join products on products.product_id = order_items.product_id
    inner join orders on orders.order_id = order_items.order_id
    where products.product_family is not null and orders.customer_id is not null
    group by all
),

main_family as (
    select customer_id, {{ arg_max('product_family', ['revenue', 'product_family']) }} as product_family
    from family_revenue
    group by customer_id
),

-- waits a caller would call long: answered after more than 2 minutes, or gave up after 1
long_waits as (
    select call_touchpoints.customer_id, queue_calls.entered_at
    from queue_calls
    inner join call_touchpoints on call_touchpoints.call_id = queue_calls.call_id
    where (queue_calls.is_answered and queue_calls.hold_seconds > 120)
        or (queue_calls.is_abandoned and not queue_calls.is_answered and queue_calls.abandon_wait_seconds >= 60)
),

preceded as (
    select
        responses.customer_id,
        responses.source_table,
        responses.source_record_id,
        exists(
            select 1 from orders
            where orders.customer_id = responses.customer_id
                and orders.is_on_time = false
                and orders.promised_delivery_date < {{ local_date('responses.responded_at') }}
                and coalesce({{ local_date('orders.delivered_at') }}, date '9999-12-31')
                    > {{ local_date(dbt.dateadd('day', -30, 'responses.responded_at')) }}
        ) as had_late_delivery_30d,
        exists(
            select 1 from orders
            where orders.customer_id = responses.customer_id
                and orders.is_installation_overdue
                and orders.installation_promised_by < {{ local_date('responses.responded_at') }}
                and coalesce({{ local_date('orders.installation_completed_at') }}, date '9999-12-31')
                    > {{ local_date(dbt.dateadd('day', -30, 'responses.responded_at')) }}
        ) as had_overdue_installation_30d,
        exists(
            select 1 from long_waits
            where long_waits.customer_id = responses.customer_id
                and long_waits.entered_at <= responses.responded_at
                and long_waits.entered_at > {{ dbt.dateadd('day', -30, 'responses.responded_at') }}
        ) as had_long_wait_30d,
        exists(
            select 1 from tickets
            where tickets.customer_id = responses.customer_id
                and tickets.reopens > 0
                and (tickets.ticket_id = responses.ticket_id
                     or (tickets.created_at <= responses.responded_at
                         and tickets.created_at > {{ dbt.dateadd('day', -30, 'responses.responded_at') }}))
        ) as had_reopened_ticket_30d
    from responses
),

final as (
    select
        {{ surrogate_key(['responses.source_table', 'responses.source_record_id']) }} as response_id,
        responses.customer_id,
        responses.responded_at,
        {{ local_date('responses.responded_at') }} as response_date,
        responses.channel,
        coalesce(segments.value_tier, 'none') as segment,
        coalesce(main_family.product_family, 'none') as product_family,
        responses.is_satisfied,
        responses.nps_score,
        {{ nps_is_promoter('responses.nps_score') }} as is_nps_promoter,
        {{ nps_is_detractor('responses.nps_score') }} as is_nps_detractor,
        responses.ces_score,
        coalesce(responses.is_satisfied = false or {{ nps_is_detractor('responses.nps_score') }}, false)
            as is_bad,
        preceded.had_late_delivery_30d,
        preceded.had_overdue_installation_30d,
        preceded.had_long_wait_30d,
        preceded.had_reopened_ticket_30d,
        responses.comment,
        responses.source_table,
        responses.source_record_id
    from responses
    inner join preceded
        on preceded.source_table = responses.source_table and preceded.source_record_id = responses.source_record_id
    left join segments on segments.customer_id = responses.customer_id
    left join main_family on main_family.customer_id = responses.customer_id
)

select * from final
