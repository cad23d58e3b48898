{#- One row per CRM order: its journey (ordered → shipped → delivered → installed → accepted),
    delivery on time and in full, the installation promise, and where a promise broke. -#}
with orders as (
    select * from {{ ref('stg_sales__orders') }} where not is_deleted
),

accounts as (
    select * from {{ ref('int_customers__crm_accounts') }}
),

order_lines as (
    select * from {{ ref('int_sales__order_goods_lines') }}
),

shipments as (
    select *, row_number() over (partition by order_number order by ship_date, shipment_id) as shipment_no
    from {{ ref('stg_logistics__shipments') }}
),

tracking as (
    select * from {{ ref('stg_logistics__tracking_events') }}
),

-- the first shipment of an order is the one that had to arrive on time and complete
first_shipments as (
    select
        shipments.order_number,
        shipments.shipment_id,
        shipments.promised_delivery_date,
        min(case when tracking.event_code = 'PU' then tracking.event_at end) as shipped_at,
        min(case when tracking.event_code = 'DL' then tracking.event_at end) as delivered_at
    from shipments
    left join tracking on tracking.tracking_number = shipments.tracking_number
    where shipments.shipment_no = 1
    group by all
),

packed as (
    select shipment_id, sku, sum(quantity) as quantity
    from {{ ref('stg_logistics__packing_list_lines') }}
    group by all
),

packed_by_order as (
    select first_shipments.order_number, packed.sku, packed.quantity
    from first_shipments
    inner join packed on packed.shipment_id = first_shipments.shipment_id
),

ordered_by_order as (
    select orders.order_number, order_lines.sku, order_lines.quantity
    from order_lines
    inner join orders on orders.order_id = order_lines.order_id
    where orders.order_number in (select order_number from first_shipments)
),

-- in full: the first shipment's packing list equals the order's goods lines by SKU and quantity
packing_check as (
    select
        coalesce(packed_by_order.order_number, ordered_by_order.order_number) as order_number,
        bool_or(packed_by_order.sku is null or ordered_by_order.sku is null
                or packed_by_order.quantity <> ordered_by_order.quantity) as has_packing_mismatch
    from packed_by_order
    full outer join ordered_by_order
        on ordered_by_order.order_number = packed_by_order.order_number and ordered_by_order.sku = packed_by_order.sku
    group by 1
),

installations as (
    select * from {{ ref('stg_logistics__installations') }}
),

complaints as (
    select distinct order_number from {{ ref('stg_service__tickets') }} where is_complaint and order_number is not null
),

now as (
    select {{ as_of() }} as as_of_at, {{ local_date(as_of()) }} as as_of_date
),

joined as (
    select
        orders.order_id,
        orders.order_number,
        accounts.customer_id,
        orders.created_at as ordered_at,
        orders.total_amount as order_amount,
        first_shipments.shipment_id as first_shipment_id,
        first_shipments.shipped_at,
        first_shipments.promised_delivery_date,
        first_shipments.delivered_at,
        {{ local_date('first_shipments.delivered_at') }} as delivered_date,
        packing_check.has_packing_mismatch,
        installations.work_order_id,
        installations.promised_by_date as installation_promised_by_source,
        installations.completed_at as installation_completed_at,
        case when installations.acceptance_signed_by is not null then installations.completed_at end as accepted_at,
        complaints.order_number is not null as has_complaint,
        now.as_of_at,
        now.as_of_date
    from orders
    cross join now
    left join accounts on accounts.crm_account_id = orders.account_id
    left join first_shipments on first_shipments.order_number = orders.order_number
    left join packing_check on packing_check.order_number = orders.order_number
    left join installations on installations.order_number = orders.order_number
    left join complaints on complaints.order_number = orders.order_number
),

measured as (
    select
        *,
        case
            when first_shipment_id is null then null
            when delivered_date is not null then delivered_date <= promised_delivery_date
            when as_of_date > promised_delivery_date then false
        end as is_on_time,
        case when first_shipment_id is not null then not coalesce(has_packing_mismatch, false) end as is_in_full,
        case
            when work_order_id is null then null
            else coalesce(
                installation_promised_by_source,
                {{ add_working_days('delivered_date', var('installation_promise_working_days')) }}
            )
        end as installation_promised_by
    from joined
),

overdue as (
    select
        *,
        case
            when installation_promised_by is null then null
            when installation_completed_at is not null
                then {{ local_date('installation_completed_at') }} > installation_promised_by
            else as_of_date > installation_promised_by
        end as is_installation_overdue
    from measured
),

final as (
    select
        order_id,
        order_number,
        customer_id,
        ordered_at,
        order_amount,
        shipped_at,
        delivered_at,
        installation_completed_at as installed_at,
        accepted_at,
        first_shipment_id,
        promised_delivery_date,
        is_on_time,
        is_in_full,
        is_on_time and is_in_full as is_otif,
        coalesce(has_packing_mismatch, false) as has_packing_mismatch,
        installation_promised_by,
        installation_completed_at,
        is_installation_overdue,
        is_on_time and is_in_full and not coalesce(is_installation_overdue, false) and not has_complaint
            as is_perfect_order,
        case
            when is_on_time = false then 'delivery'
            when is_in_full = false then 'packing'
            when is_installation_overdue then 'installation'
        end as broken_stage,
        -- the customer's orders in order, so that "customers who had ordered by a day" and each
        -- one's last order before it are filters of single rows, not a grouping of every order
        case when customer_id is not null then
            row_number() over (partition by customer_id order by ordered_at, order_id)
        end as customer_order_sequence,
        case when customer_id is not null then
            min(ordered_at) over (partition by customer_id)
        end as customer_first_ordered_at,
        case when customer_id is not null then
            lead(ordered_at) over (partition by customer_id order by ordered_at, order_id)
        end as customer_next_ordered_at
    from overdue
)

-- published sorted (c360.warehouse.PUBLISHED_ORDER) in order of ordering, so that a period's orders lie in a few row groups DuckDB finds
-- by their min/max (the dashboard's period figures)
select * from final
