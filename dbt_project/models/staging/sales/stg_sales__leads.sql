with source as (
    select * from {{ source_or_empty('sales', 'lead') }}
),

renamed as (
    select
        id as lead_id,
        {{ blank_to_null('first_name') }} as first_name,
        {{ blank_to_null('last_name') }} as last_name,
        {{ blank_to_null('company') }} as company,
        {{ clean_email('email') }} as email,
        phone as phone_raw,
        phone_e164,
        lead_source,
        status as lead_status,
        cast(is_converted as boolean) as is_converted,
        converted_account_id,
        converted_contact_id,
        cast(converted_date as date) as converted_date,
        -- the referring customer's account, where the CRM records referrals (an optional field)
        {{ optional_column('sales', 'lead', 'referred_by_c') }} as referred_by_account_id,
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('system_modstamp') }} as modified_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
