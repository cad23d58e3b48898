with source as (
    select * from {{ source_or_empty('sales', 'order_item') }}
),

renamed as (
    select
        id as order_item_id,
        order_id,
        product2_id as product_id,
        cast(quantity as double) as quantity,
        cast(unit_price as double) as unit_price,
        cast(total_price as double) as total_price,
        cast(service_date as date) as service_date,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
