{#- Every interaction with a customer, from all four systems, on one timeline: the systems' parts
    (intermediate/touchpoints) are built one by one, for memory, and put together here. -#}
with events as (
    select * from {{ ref('int_touchpoints__sales') }}
    union all
    select * from {{ ref('int_touchpoints__service') }}
    union all
    select * from {{ ref('int_touchpoints__logistics') }}
    union all
    select * from {{ ref('int_touchpoints__call_center') }}
),

final as (
    select
        {{ surrogate_key(['source_system', 'source_table', 'source_record_id', 'touchpoint_type']) }} as touchpoint_id,
        customer_id,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        department,
        channel,
        direction,
        touchpoint_type,
        summary,
        outcome,
        source_system,
        source_table,
        source_record_id
    from events
    where occurred_at is not null
)

-- published sorted (c360.warehouse.PUBLISHED_ORDER) by customer: one customer's timeline then lies in a few row groups, which DuckDB
-- finds by their min/max without reading the rest (the Customer 360 page, `c360 customer`)
select * from final
