with source as (
    select * from {{ source_or_empty('service', 'satisfaction_ratings') }}
),

renamed as (
    select
        cast(id as bigint) as satisfaction_rating_id,
        cast(ticket_id as bigint) as ticket_id,
        cast(requester_id as bigint) as requester_id,
        cast(assignee_id as bigint) as assignee_id,
        score,
        comment,
        reason,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
