with source as (
    select * from {{ source_or_empty('sales', 'account') }}
),

renamed as (
    select
        id as account_id,
        {{ blank_to_null('name') }} as account_name,
        type as account_type,
        {{ blank_to_null('industry') }} as industry,
        phone as phone_raw,
        phone_e164,
        {{ blank_to_null('website') }} as website,
        billing_street,
        billing_city,
        billing_postal_code,
        billing_country,
        cast(number_of_employees as integer) as employees,
        cast(annual_revenue as double) as annual_revenue,
        owner_id as owner_user_id,
        {{ blank_to_null('registration_number_c') }} as registration_number,
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('system_modstamp') }} as modified_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
