with source as (
    select * from {{ source_or_empty('logistics', 'tracking_events') }}
),

deduplicated as (
    select *
    from source
    qualify row_number() over (
        partition by tracking_number, event_time, event_code order by _c360_source desc
    ) = 1
),

renamed as (
    select
        {{ surrogate_key(['tracking_number', 'event_time', 'event_code']) }} as tracking_event_id,
        tracking_number,
        {{ to_utc('event_time') }} as event_at,
        event_code,
        location,
        {{ blank_to_null('signed_by') }} as signed_by,
        remark,
        _c360_source as source_file
    from deduplicated
)

select * from renamed
where {{ not_after_as_of('event_at') }}
