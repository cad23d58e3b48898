{#- The churn risk of the customers still buying (those the churn model scores), night after
    night, so that its trend can be drawn: customer_360 holds tonight's scores only. One row per
    night (the company's calendar day of the night's moment) and value tier; a night run again on
    the same day replaces that day's rows, and every earlier night is kept. Value at risk is
    churn risk × revenue of the last 12 months, summed. -#}
{{ config(
    materialized='incremental',
    unique_key='night_date',
    incremental_strategy=('delete+insert' if target.type == 'duckdb' else 'insert_overwrite'),
    on_schema_change='sync_all_columns',
) }}

with scored as (
    select
        coalesce(value_tier, 'none') as value_tier,
        churn_risk,
        coalesce(revenue_12m, 0) as revenue_12m,
        is_high_churn_risk
    from {{ ref('customer_360') }}
    where churn_risk is not null
),

now as (
    select
        {{ as_of() }} as scored_at,
        {{ local_date(as_of()) }} as night_date
),

tonight as (
    select
        now.night_date,
        now.scored_at,
        scored.value_tier,
        count(*) as scored_customers,
        sum(case when scored.is_high_churn_risk then 1 else 0 end) as high_risk_customers,
        -- summed as decimals: a sum of fractions in floating point depends on the order DuckDB's
        -- threads add them in, and the same night must publish the same figures
        cast(sum(cast(scored.revenue_12m as decimal(38, 6))) as double) as revenue_12m,
        cast(sum(cast(scored.churn_risk * scored.revenue_12m as decimal(38, 6))) as double) as value_at_risk,
        cast(sum(cast(scored.churn_risk as decimal(38, 12))) / count(*) as double) as average_churn_risk
    from scored
    cross join now
    group by now.night_date, now.scored_at, scored.value_tier
)

{% if is_incremental() %}
, earlier_nights as (
    select
        night_date, scored_at, value_tier, scored_customers, high_risk_customers, revenue_12m, value_at_risk,
        average_churn_risk
    from {{ this }}
    where night_date <> (select night_date from now)
)

select * from earlier_nights
union all
select * from tonight
{% else %}
select * from tonight
{% endif %}
