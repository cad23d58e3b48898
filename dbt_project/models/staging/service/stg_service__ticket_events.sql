{#- One row per child event (a comment or a field change) of a ticket audit. -#}
with source as (
    select * from {{ source_or_empty('service', 'ticket_events') }}
),

child_events as (
    select
        cast(id as bigint) as audit_id,
        cast(ticket_id as bigint) as ticket_id,
        cast(updater_id as bigint) as updater_id,
        {{ to_utc('created_at') }} as created_at,
        event_type as audit_type,
        {{ json_objects_as_rows('child_events', [
            ['id', 'bigint'], ['event_type', 'text'], ['public', 'boolean'], ['author_id', 'bigint'],
            ['field_name', 'text'], ['value', 'text'], ['previous_value', 'text']]) }} as child
    from source
),

renamed as (
    select
        child.id as ticket_event_id,
        audit_id,
        ticket_id,
        updater_id,
        created_at,
        audit_type,
        child.event_type,
        coalesce(child.public, false) as is_public,
        child.author_id,
        child.field_name,
        child.value as new_value,
        child.previous_value
    from child_events
)

select * from renamed
where {{ not_after_as_of('created_at') }}
