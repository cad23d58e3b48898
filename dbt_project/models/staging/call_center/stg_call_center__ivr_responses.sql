with source as (
    select * from {{ source_or_empty('call_center', 'ivr_survey') }}
),

deduplicated as (
    select *
    from source
    qualify row_number() over (partition by uniqueid, question order by _c360_source desc) = 1
),

renamed as (
    select
        uniqueid || '-' || question as ivr_response_id,
        uniqueid as call_id,
        caller_number as caller_number_raw,
        caller_number_e164 as caller_e164,
        question,
        try_cast(score as integer) as score,
        cast(answered_at_utc as timestamp) as answered_at,
        _c360_source as source_file
    from deduplicated
)

select * from renamed
where {{ not_after_as_of('answered_at') }}
