{#- What customers write about, month by month: per company-local month, value tier and theme,
    the comments that carry the theme and how many of them came with a bad score. A comment of
    several themes counts once in each, and once however many of a theme's patterns
    it matches. -#}
with verbatims as (
    select * from {{ ref('satisfaction_verbatims') }}
),

themes as (
    select * from {{ ref('verbatim_themes') }}
),

final as (
    select
        date_trunc('month', verbatims.response_date) as response_month,
        verbatims.segment,
        themes.theme,
        -- distinct: a theme the lexicon gives several patterns (one per language, say) that match
        -- one comment still counts that comment once
        count(distinct verbatims.response_id) as comments,
        count(distinct case when verbatims.is_bad then verbatims.response_id end) as bad_comments
    from verbatims
    inner join themes on {{ regexp_contains('lower(verbatims.comment)', 'themes.pattern') }}
    group by date_trunc('month', verbatims.response_date), verbatims.segment, themes.theme
)

select * from final
