{#- One row per queue_log line; `data1..5` mean different things per event (SOURCES.md). -#}
with source as (
    select * from {{ source_or_empty('call_center', 'queue_log') }}
),

deduplicated as (
    select *
    from source
    qualify row_number() over (
        partition by epoch, uniqueid, queuename, agent, event, data1, data2, data3 order by _c360_source desc
    ) = 1
),

renamed as (
    select
        {{ surrogate_key(['epoch', 'uniqueid', 'queuename', 'agent', 'event', 'data1', 'data2', 'data3']) }} as queue_event_id,
        {{ epoch_to_utc('epoch') }} as occurred_at,
        nullif(uniqueid, 'NONE') as call_id,
        nullif(queuename, 'NONE') as queue_name,
        nullif(agent, 'NONE') as agent,
        event,
        nullif(data1, '') as data1,
        nullif(data2, '') as data2,
        nullif(data3, '') as data3,
        nullif(data4, '') as data4,
        nullif(data5, '') as data5,
        _c360_source as source_file
    from deduplicated
)

select * from renamed
where {{ not_after_as_of('occurred_at') }}
