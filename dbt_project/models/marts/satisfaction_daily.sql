{#- Satisfaction per company-local day × channel × value tier (definitions in _marts__models.yml). -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

segments as (
    select customer_id, value_tier from {{ ref('customer_360') }}
),

ratings as (
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
        identity_map.customer_id, ratings.created_at as responded_at, 'service_desk' as channel,
        ratings.score = 'good' as is_satisfied, cast(null as integer) as nps_score, cast(null as double) as ces_score
    from ratings
    inner join identity_map
        on identity_map.source_table = 'users' and identity_map.source_record_id = cast(ratings.requester_id as varchar)

    union all

    select identity_map.customer_id, ivr.answered_at, 'ivr', ivr.score >= 4, null, null
    from ivr
    inner join identity_map on identity_map.source_table = 'cdr' and identity_map.source_record_id = ivr.call_id

    union all

    select
        identity_map.customer_id, surveys.responded_at, lower(surveys.survey_type), null,
        case when surveys.survey_type = 'NPS' then cast(surveys.score as integer) end,
        case when surveys.survey_type = 'CES' then cast(surveys.score as double) end
    from surveys
    inner join identity_map
        on identity_map.source_table = 'Account' and identity_map.source_record_id = surveys.account_id
),

daily as (
    select
        {{ local_date('responses.responded_at') }} as response_date,
        responses.channel,
        coalesce(segments.value_tier, 'none') as segment,
        count(*) as responses,
        count(case when is_satisfied then 1 end) as satisfied,
        count(is_satisfied) as rated,
        count(case when nps_score >= 9 then 1 end) as promoters,
        count(case when nps_score <= 6 then 1 end) as detractors,
        count(nps_score) as nps_responses,
        avg(ces_score) as ces_avg
    from responses
    left join segments on segments.customer_id = responses.customer_id
    group by all
),

final as (
    select
        response_date,
        channel,
        segment,
        responses,
        case when rated > 0 then 100.0 * satisfied / rated end as csat_pct,
        case when nps_responses > 0 then 100.0 * (promoters - detractors) / nps_responses end as nps,
        ces_avg,
        satisfied,
        rated,
        promoters,
        detractors,
        nps_responses
    from daily
)

select * from final
