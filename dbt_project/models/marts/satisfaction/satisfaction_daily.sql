{#- Satisfaction per company-local day × channel × value tier (definitions in _satisfaction__models.yml). -#}
with responses as (
    select * from {{ ref('int_satisfaction__responses') }}
),

segments as (
    select customer_id, value_tier from {{ ref('customer_360') }}
),

daily as (
    select
        {{ local_date('responses.responded_at') }} as response_date,
        responses.channel,
        coalesce(segments.value_tier, 'none') as segment,
        count(*) as responses,
        count(case when is_satisfied then 1 end) as satisfied,
        count(is_satisfied) as rated,
        count(case when {{ nps_is_promoter('nps_score') }} then 1 end) as promoters,
        count(case when {{ nps_is_detractor('nps_score') }} then 1 end) as detractors,
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
