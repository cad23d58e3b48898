with source as (
    select * from {{ source_or_empty('sales', 'task') }}
),

renamed as (
    select
        id as task_id,
        who_id,
        what_id,
        account_id,
        subject,
        type as task_type,
        status as task_status,
        cast(activity_date as date) as activity_date,
        description,
        owner_id as owner_user_id,
        {{ to_utc('created_date') }} as created_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
