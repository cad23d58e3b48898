with source as (
    select * from {{ source_or_empty('service', 'tickets') }}
),

renamed as (
    select
        cast(id as bigint) as ticket_id,
        {{ json_text('via', '$.channel') }} as via_channel,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        type as ticket_type,
        subject,
        description,
        priority,
        status,
        cast(requester_id as bigint) as requester_id,
        cast(submitter_id as bigint) as submitter_id,
        cast(assignee_id as bigint) as assignee_id,
        cast(organization_id as bigint) as organization_id,
        cast(group_id as bigint) as group_id,
        tags as tags_json,
        {{ json_array_has('tags', 'complaint') }} as is_complaint,
        {{ json_array_has('tags', 'compensation_claim') }} as is_compensation_claim,
        nullif({{ custom_field_value('custom_fields', var('order_number_field_id')) }}, '') as order_number,
        nullif({{ custom_field_value('custom_fields', var('category_field_id')) }}, '') as category,
        {{ json_text('satisfaction_rating', '$.score') }} as satisfaction_score,
        {{ json_text('satisfaction_rating', '$.comment') }} as satisfaction_comment,
        {{ to_utc('due_at') }} as due_at
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
