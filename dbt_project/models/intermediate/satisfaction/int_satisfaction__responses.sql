{#- One satisfaction answer of a known customer, from every channel that asks: service-desk
    ticket ratings (good/bad), IVR CSAT (1–5), CRM NPS (0–10) and CES (1–7) surveys; with the
    comment the customer wrote, where the channel takes one (the IVR does not). -#}
with ratings as (
    select * from {{ ref('stg_service__satisfaction_ratings') }} where score in ('good', 'bad')
),

ivr as (
    select * from {{ ref('stg_call_center__ivr_responses') }} where question = 'csat' and score between 1 and 5
),

surveys as (
    select * from {{ ref('stg_sales__survey_responses') }} where not is_deleted and score is not null
),

responses as (
    select
        raters.customer_id,
        ratings.created_at as responded_at,
        'service_desk' as channel,
        'satisfaction_ratings' as source_table,
        cast(ratings.satisfaction_rating_id as {{ dbt.type_string() }}) as source_record_id,
        ratings.ticket_id,
        ratings.score = 'good' as is_satisfied,
        cast(null as integer) as nps_score,
        cast(null as double) as ces_score,
        {{ blank_to_null('ratings.comment') }} as comment
    from ratings
    inner join {{ ref('int_customers__desk_users') }} as raters on raters.user_id = cast(ratings.requester_id as {{ dbt.type_string() }})

    union all

    select callers.customer_id, ivr.answered_at, 'ivr', 'ivr_responses', ivr.ivr_response_id, null, ivr.score >= 4, null, null, null
    from ivr
    inner join {{ ref('int_customers__calls') }} as callers on callers.call_id = ivr.call_id

    union all

    select
        accounts.customer_id,
        surveys.responded_at,
        lower(surveys.survey_type),
        'Survey_Response__c',
        surveys.survey_response_id,
        null,
        null,
        case when surveys.survey_type = 'NPS' then cast(surveys.score as integer) end,
        case when surveys.survey_type = 'CES' then cast(surveys.score as double) end,
        {{ blank_to_null('surveys.comment') }}
    from surveys
    inner join {{ ref('int_customers__crm_accounts') }} as accounts on accounts.crm_account_id = surveys.account_id
)

select * from responses
