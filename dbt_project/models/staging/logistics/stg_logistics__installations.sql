with source as (
    select * from {{ source_or_empty('logistics', 'installations') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by work_order_id order by {{ to_utc('updated_at') }} desc, _c360_source desc
    ) = 1
),

renamed as (
    select
        work_order_id,
        order_number,
        {{ blank_to_null('site_name') }} as site_name,
        site_address,
        {{ blank_to_null('contact_name') }} as contact_name,
        contact_phone as contact_phone_raw,
        contact_phone_e164,
        try_cast(scheduled_date as date) as scheduled_date,
        try_cast(promised_by_date as date) as promised_by_date,
        {{ to_utc('completed_at') }} as completed_at,
        status as installation_status,
        technician,
        {{ blank_to_null('acceptance_signed_by') }} as acceptance_signed_by,
        notes,
        {{ to_utc('updated_at') }} as updated_at,
        _c360_source as source_file
    from latest
)

select * from renamed
