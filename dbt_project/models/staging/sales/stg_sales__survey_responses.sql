with source as (
    select * from {{ source_or_empty('sales', 'survey_response_c') }}
),

renamed as (
    select
        id as survey_response_id,
        contact_c as contact_id,
        account_c as account_id,
        survey_type_c as survey_type,
        cast(score_c as double) as score,
        comment_c as comment,
        {{ to_utc('responded_at_c') }} as responded_at,
        cast(is_deleted as boolean) as is_deleted
    from source
)

select * from renamed
where {{ not_after_as_of('responded_at') }}
