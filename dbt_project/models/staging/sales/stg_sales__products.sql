with source as (
    select * from {{ source_or_empty('sales', 'product2') }}
),

renamed as (
    select
        id as product_id,
        name as product_name,
        product_code,
        family as product_family,
        cast(is_active as boolean) as is_active,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
