{#- Every comment a customer wrote with a satisfaction answer (a service-desk rating, an NPS or
    CES survey; the IVR takes none), in their own words, with its score and the themes the
    lexicon finds in it (seed verbatim_themes: a theme a regular expression, any language). -#}
with responses as (
    select * from {{ ref('satisfaction_responses') }} where comment is not null
),

themes as (
    select * from {{ ref('verbatim_themes') }}
),

theme_lists as (
    select responses.response_id, {{ sorted_distinct_list('themes.theme', ', ') }} as themes
    from responses
    inner join themes on {{ regexp_contains('lower(responses.comment)', 'themes.pattern') }}
    group by responses.response_id
),

final as (
    select
        responses.response_id,
        responses.customer_id,
        responses.responded_at,
        responses.response_date,
        responses.channel,
        responses.segment,
        case
            when responses.nps_score is not null then 'NPS ' || cast(responses.nps_score as {{ dbt.type_string() }})
            when responses.ces_score is not null then 'CES ' || cast(cast(responses.ces_score as integer) as {{ dbt.type_string() }})
            when responses.is_satisfied then 'good'
            else 'bad'
        end as score,
        responses.is_bad,
        responses.comment,
        theme_lists.themes,
        responses.source_table,
        responses.source_record_id
    from responses
    left join theme_lists on theme_lists.response_id = responses.response_id
)

select * from final
