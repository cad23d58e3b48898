{#- Logistics' touchpoints of each customer: shipments dispatched or delivered, their other
    tracking milestones, and installations.
    One of fct_touchpoints' four parts, built on its own for memory (_touchpoints__docs.md). -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
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

events as (
    select
        identity_map.customer_id, coalesce(delivered.event_at, shipments.updated_at) as occurred_at,
        'logistics' as department, 'delivery' as channel,
        case when delivered.event_at is not null then 'shipment_delivered' else 'shipment_dispatched' end
            as touchpoint_type,
        'Shipment ' || shipments.shipment_id || ' of order ' || shipments.order_number || ' via ' || shipments.carrier
            as summary,
        'outbound' as direction, shipments.shipment_status as outcome, 'logistics' as source_system,
        'shipments' as source_table, shipments.shipment_id as source_record_id
    from shipments
    inner join identity_map
        on identity_map.source_table = 'shipments' and identity_map.source_record_id = shipments.shipment_id
    left join tracking as delivered
        on delivered.tracking_number = shipments.tracking_number and delivered.event_code = 'DL'

    union all

    -- the carrier's milestones on the way (delivery itself is the shipment's own touchpoint)
    select
        identity_map.customer_id, tracking.event_at, 'logistics', 'delivery', 'shipment_milestone',
        'Shipment ' || shipments.shipment_id || ': ' || coalesce(tracking.remark, tracking.event_code)
            || coalesce(' (' || tracking.location || ')', ''),
        'outbound', tracking.event_code, 'logistics', 'tracking_events', cast(tracking.tracking_event_id as {{ dbt.type_string() }})
    from tracking
    inner join shipments on tracking.tracking_number = shipments.tracking_number
    inner join identity_map
        on identity_map.source_table = 'shipments' and identity_map.source_record_id = shipments.shipment_id
    where tracking.event_code <> 'DL'

    union all

    select
        identity_map.customer_id, coalesce(installations.completed_at, installations.updated_at), 'logistics', 'on_site',
        'installation_' || installations.installation_status,
        'Installation ' || installations.work_order_id || ' (promised by ' || cast(installations.promised_by_date as {{ dbt.type_string() }}) || ')',
        'outbound', installations.installation_status, 'logistics', 'installations', installations.work_order_id
    from installations
    inner join identity_map
        on identity_map.source_table = 'installations' and identity_map.source_record_id = installations.work_order_id
)

select * from events
