with source as (
    select * from {{ source_or_empty('sales', 'opportunity') }}
),

renamed as (
    select
        id as opportunity_id,
        account_id,
        name as opportunity_name,
        stage_name,
        cast(amount as double) as amount,
        cast(probability as double) as probability,
        cast(close_date as date) as close_date,
        cast(is_closed as boolean) as is_closed,
        cast(is_won as boolean) as is_won,
        lead_source,
        type as opportunity_type,
        forecast_category_name,
        owner_id as owner_user_id,
        {{ to_utc('created_date') }} as created_at,
        {{ to_utc('system_modstamp') }} as modified_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
