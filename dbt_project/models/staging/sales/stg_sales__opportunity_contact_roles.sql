with source as (
    select * from {{ source_or_empty('sales', 'opportunity_contact_role') }}
),

renamed as (
    select
        id as opportunity_contact_role_id,
        opportunity_id,
        contact_id,
        role as contact_role,
        cast(is_primary as boolean) as is_primary,
        {{ to_utc('created_date') }} as created_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
