with source as (
    select * from {{ source_or_empty('service', 'users') }}
),

renamed as (
    select
        cast(id as bigint) as user_id,
        {{ blank_to_null('name') }} as user_name,
        {{ clean_email('email') }} as email,
        phone as phone_raw,
        phone_e164,
        cast(organization_id as bigint) as organization_id,
        role as user_role,
        {{ blank_to_null('external_id') }} as external_id,
        time_zone,
        locale,
        cast(active as boolean) as is_active,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
