with source as (
    select * from {{ source_or_empty('sales', 'contact') }}
),

renamed as (
    select
        id as contact_id,
        account_id,
        {{ blank_to_null('first_name') }} as first_name,
        {{ blank_to_null('last_name') }} as last_name,
        salutation,
        title,
        {{ clean_email('email') }} as email,
        phone as phone_raw,
        phone_e164,
        mobile_phone as mobile_phone_raw,
        mobile_phone_e164,
        mailing_city,
        mailing_country,
        cast(has_opted_out_of_email as boolean) as has_opted_out_of_email,
        cast(do_not_call as boolean) as is_do_not_call,
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('system_modstamp') }} as modified_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
