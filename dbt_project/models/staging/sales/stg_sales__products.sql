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
        -- the company's cost of one unit, where its CRM records one (an optional field)
        cast({{ optional_column('sales', 'product2', 'unit_cost_c') }} as double) as unit_cost,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
