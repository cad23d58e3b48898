{#- Integrity, every night: each order, ticket, shipment, installation and call that staging
    holds is on the customer timeline. The timeline joins each record to its customer; a record
    whose customer could not be found would drop out silently. A row here is a kind of record
    with how many staging holds and how many the timeline shows. -#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_touchpoints'}}}) }}

with staged as (
    select 'Order' as source_table, count(*) as records
    from {{ ref('stg_sales__orders') }} where not is_deleted
    union all
    select 'tickets', count(*) from {{ ref('stg_service__tickets') }}
    union all
    select 'shipments', count(distinct shipment_id) from {{ ref('stg_logistics__shipments') }}
    union all
    select 'installations', count(distinct work_order_id) from {{ ref('stg_logistics__installations') }}
    union all
    select 'cdr', count(*) from {{ ref('stg_call_center__calls') }}
),

on_timeline as (
    select source_table, count(distinct source_record_id) as records
    from {{ ref('fct_touchpoints') }}
    where source_table in ('Order', 'tickets', 'shipments', 'installations', 'cdr')
    group by source_table
)

select staged.source_table, staged.records as staged_records, coalesce(on_timeline.records, 0) as timeline_records
from staged
left join on_timeline on staged.source_table = on_timeline.source_table
where staged.records <> coalesce(on_timeline.records, 0)
