with resolved as (
    select * from {{ source('identity', 'resolved_records') }}
),

mapped as (
    select
        source_system,
        source_table,
        source_record_id,
        customer_id,
        person_id,
        record_kind,
        customer_type,
        match_method,
        match_probability,
        is_person_account
    from resolved
)

select * from mapped
