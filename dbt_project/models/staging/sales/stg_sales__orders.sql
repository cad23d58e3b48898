with source as (
    select * from {{ source_or_empty('sales', 'order') }}
),

renamed as (
    select
        id as order_id,
        account_id,
        opportunity_id,
        order_number,
        cast(effective_date as date) as effective_date,
        status as order_status,
        cast(total_amount as double) as total_amount,
        shipping_street,
        shipping_city,
        shipping_postal_code,
        shipping_country,
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('system_modstamp') }} as modified_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
