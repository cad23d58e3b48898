{#- Every promise to a customer that is broken (status open, or resolved once the source shows
    it kept late) or about to be (at_risk: not kept, due within the next two working days).
    Definitions per kind in _service__models.yml. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

orders as (
    select * from {{ ref('order_fulfilment') }}
),

shipments as (
    select * from {{ ref('stg_logistics__shipments') }}
),

tracking as (
    select * from {{ ref('stg_logistics__tracking_events') }}
),

installations as (
    select * from {{ ref('stg_logistics__installations') }}
),

tickets as (
    select * from {{ ref('service_tickets') }}
),

ratings as (
    select * from {{ ref('stg_service__satisfaction_ratings') }} where score = 'bad'
),

order_lines as (
    select * from {{ ref('int_sales__order_goods_lines') }}
),

now as (
    select
        {{ as_of() }} as as_of_at,
        -- a promise due up to this day (two working days on) is at risk
        {{ add_working_days(local_date(as_of()), 2) }} as at_risk_until
),

delivered as (
    select shipments.*, min(tracking.event_at) as delivered_at
    from shipments
    left join tracking on tracking.tracking_number = shipments.tracking_number and tracking.event_code = 'DL'
    group by all
),

packed_quantities as (
    select shipment_id, sku, sum(quantity) as quantity
    from {{ ref('stg_logistics__packing_list_lines') }} group by all
),

-- shipments whose packing list differs from the order's goods lines (SKU or quantity)
packing_mismatch as (
    select delivered.shipment_id
    from delivered
    inner join {{ ref('stg_sales__orders') }} as sales_orders on sales_orders.order_number = delivered.order_number
    left join packed_quantities as packed on packed.shipment_id = delivered.shipment_id
    full outer join order_lines
        on order_lines.order_id = sales_orders.order_id and order_lines.sku = packed.sku
    where delivered.shipment_id is not null
    group by delivered.shipment_id
    having bool_or(order_lines.sku is null or packed.sku is null or order_lines.quantity <> packed.quantity)
),

-- the delivery that put a wrong shipment right: the first later shipment of the order that matches
replacements as (
    select wrong.shipment_id, min(replacement.delivered_at) as replaced_at
    from delivered as wrong
    inner join packing_mismatch on packing_mismatch.shipment_id = wrong.shipment_id
    inner join delivered as replacement
        on replacement.order_number = wrong.order_number and replacement.ship_date > wrong.ship_date
    left join packing_mismatch as replacement_mismatch on replacement_mismatch.shipment_id = replacement.shipment_id
    where replacement_mismatch.shipment_id is null
    group by wrong.shipment_id
),

-- each bad rating with its customer and the end of its follow-up window: N working days after
-- it, at the rating's local time of day (no TIME type: Spark has none)
rating_windows as (
    {%- set rated_on = local_date('ratings.created_at') %}
    {%- set follow_up_day = add_working_days(rated_on, var('bad_rating_follow_up_business_days')) %}
    select
        ratings.satisfaction_rating_id,
        ratings.ticket_id,
        ratings.created_at as rated_at,
        {{ local_to_utc(dbt.dateadd('day', dbt.datediff(rated_on, follow_up_day, 'day'), utc_to_local('ratings.created_at'))) }}
            as due_at,
        rater.customer_id
    from ratings
    inner join {{ ref('int_customers__desk_users') }} as rater on rater.user_id = cast(ratings.requester_id as {{ dbt.type_string() }})
),

-- the company in touch with a customer, whatever the channel and words: an agent's public
-- reply on any of its tickets, a call answered (theirs by an agent, or the company's by them),
-- a CRM activity; a call out that nobody answered is an attempt, not a follow-up
company_contacts as (
    select customer_id, occurred_at
    from {{ ref('fct_touchpoints') }}
    where touchpoint_type in ('ticket_reply', 'call_answered', 'call_outbound_answered', 'crm_activity')
),

-- a contact follows up the bad ratings given before it: every rating whose window it falls in,
-- and after a window closed, the rating only if no newer bad rating of the customer was
-- waiting for that contact (the contact answers the newer one, not this one)
rating_follow_ups as (
    select windows.satisfaction_rating_id, min(contacts.occurred_at) as followed_up_at
    from rating_windows as windows
    inner join company_contacts as contacts
        on contacts.customer_id = windows.customer_id and contacts.occurred_at > windows.rated_at
    left join rating_windows as newer
        on newer.customer_id = windows.customer_id
        and newer.rated_at > windows.rated_at
        and contacts.occurred_at > windows.due_at
        and contacts.occurred_at > newer.rated_at
        and contacts.occurred_at <= newer.due_at
    where newer.satisfaction_rating_id is null
    group by windows.satisfaction_rating_id
),

-- each promise carries its customer from the record it is read from: looked up afterwards by
-- (source_table, source_record_id), it was three correlated subqueries over the whole identity map
promises as (
    -- delivery promised by the end of the promised day (company time)
    select
        'delivery_late' as kind, 'logistics' as department, 'logistics' as source_system,
        'shipments' as source_table, delivered.shipment_id as source_record_id, delivered.order_number,
        cast(delivered.ship_date as timestamp) as promised_at,
        {{ local_to_utc("cast(delivered.promised_delivery_date as timestamp) + interval '1 day' - interval '1 second'") }}
            as due_at,
        delivered.delivered_at as kept_at,
        consignee.customer_id
    from delivered
    left join identity_map as consignee
        on consignee.source_table = 'shipments' and consignee.source_record_id = delivered.shipment_id
    where delivered.promised_delivery_date is not null

    union all

    -- the right goods: a wrong shipment is put right by a later shipment of the order that matches
    select
        'wrong_item_shipped', 'logistics', 'logistics', 'shipments', wrong.shipment_id, wrong.order_number,
        cast(wrong.ship_date as timestamp), coalesce(wrong.delivered_at, now.as_of_at + interval '1 day'),
        replacements.replaced_at, consignee.customer_id
    from delivered as wrong
    inner join packing_mismatch on packing_mismatch.shipment_id = wrong.shipment_id
    left join replacements on replacements.shipment_id = wrong.shipment_id
    left join identity_map as consignee
        on consignee.source_table = 'shipments' and consignee.source_record_id = wrong.shipment_id
    cross join now

    union all

    -- installation completed by its promised day (the work order's, else N working days after delivery)
    select
        'installation_overdue', 'logistics', 'logistics', 'installations', installations.work_order_id,
        installations.order_number, orders.delivered_at,
        {{ local_to_utc("cast(coalesce(installations.promised_by_date, orders.installation_promised_by) as timestamp) + interval '1 day' - interval '1 second'") }},
        installations.completed_at, site_contact.customer_id
    from installations
    left join orders on orders.order_number = installations.order_number
    left join identity_map as site_contact
        on site_contact.source_table = 'installations' and site_contact.source_record_id = installations.work_order_id
    where coalesce(installations.promised_by_date, orders.installation_promised_by) is not null

    union all

    -- a compensation claim gets a public answer within N business days (end of that working day)
    select
        'compensation_unanswered', 'service', 'service', 'tickets', cast(tickets.ticket_id as {{ dbt.type_string() }}),
        tickets.order_number, tickets.created_at,
        {{ working_days_deadline('tickets.created_at', var('compensation_answer_business_days')) }},
        tickets.first_reply_at, tickets.customer_id
    from tickets
    where tickets.is_compensation_claim

    union all

    -- a bad rating gets a follow-up within N business days: the company in touch with the
    -- customer after it (rating_follow_ups)
    select
        'bad_rating_no_follow_up', 'service', 'service', 'satisfaction_ratings',
        cast(windows.satisfaction_rating_id as {{ dbt.type_string() }}), tickets.order_number, windows.rated_at,
        windows.due_at, rating_follow_ups.followed_up_at, windows.customer_id
    from rating_windows as windows
    left join tickets on tickets.ticket_id = windows.ticket_id
    left join rating_follow_ups on rating_follow_ups.satisfaction_rating_id = windows.satisfaction_rating_id
),

statused as (
    select
        promises.*,
        now.as_of_at,
        case
            when kept_at is not null and kept_at <= due_at then 'kept'
            when kept_at is not null then 'resolved'
            when due_at <= now.as_of_at then 'open'
            when {{ local_date('due_at') }} <= now.at_risk_until then 'at_risk'
            else 'pending'
        end as status
    from promises
    cross join now
),

customer_names as (
    select customer_id, display_name from {{ ref('dim_customer') }}
),

keyed as (
    select
        {{ surrogate_key(['kind', 'source_system', 'source_table', 'source_record_id']) }} as promise_id,
        customer_id,
        kind,
        department,
        source_system,
        source_table,
        source_record_id,
        order_number,
        promised_at,
        due_at,
        kept_at as resolved_at,
        status,
        case when status in ('open', 'resolved') then
            {{ working_days_between(local_date('due_at'), local_date('coalesce(kept_at, as_of_at)')) }}
        else 0 end as overdue_business_days
    from statused
    where status in ('open', 'resolved', 'at_risk')
),

-- the work queue's order, computed once: broken before at risk, most overdue first
final as (
    select
        keyed.*,
        customer_names.display_name as customer_name,
        case when keyed.status in ('open', 'at_risk') then
            row_number() over (
                partition by keyed.status in ('open', 'at_risk')
                order by keyed.status = 'open' desc, keyed.overdue_business_days desc nulls last,
                    keyed.due_at asc, keyed.promise_id asc
            )
        end as queue_position
    from keyed
    left join customer_names on customer_names.customer_id = keyed.customer_id
)

-- published sorted (c360.warehouse.PUBLISHED_ORDER) in queue order: the first page of the work queue is the first row groups
select * from final
