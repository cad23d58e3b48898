with source as (
    select * from {{ source_or_empty('sales', 'user') }}
),

renamed as (
    select
        id as user_id,
        name as user_name,
        {{ clean_email('email') }} as email,
        department,
        cast(is_active as boolean) as is_active
    from source
)

select * from renamed
