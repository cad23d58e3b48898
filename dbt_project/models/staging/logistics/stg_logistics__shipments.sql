{#- A shipment may be delivered again in a later folder: the newest updated_at wins. -#}
with source as (
    select * from {{ source_or_empty('logistics', 'shipments') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by shipment_id order by {{ to_utc('updated_at') }} desc, _c360_source desc
    ) = 1
),

renamed as (
    select
        shipment_id,
        order_number,
        carrier,
        tracking_number,
        try_cast(ship_date as date) as ship_date,
        try_cast(promised_delivery_date as date) as promised_delivery_date,
        {{ blank_to_null('recipient_name') }} as recipient_name,
        recipient_phone as recipient_phone_raw,
        recipient_phone_e164,
        ship_to_address,
        ship_to_city,
        ship_to_postal_code,
        status as shipment_status,
        {{ to_utc('updated_at') }} as updated_at,
        _c360_source as source_file
    from latest
)

select * from renamed
