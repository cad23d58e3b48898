{#- How many customers moved from one value tier (or lifecycle stage) to another between the
    start of one month and the start of the next. -#}
with monthly as (
    select * from {{ ref('int_segments__monthly') }}
),

paired as (
    select
        this_month.month_start,
        previous_month.value_tier as from_tier,
        this_month.value_tier as to_tier,
        previous_month.lifecycle_stage as from_stage,
        this_month.lifecycle_stage as to_stage
    from monthly as this_month
    inner join monthly as previous_month
        on previous_month.customer_id = this_month.customer_id
        and previous_month.month_start = this_month.month_start - interval 1 month
),

movements as (
    select month_start, 'value_tier' as dimension, from_tier as from_segment, to_tier as to_segment, count(*) as customers
    from paired group by all
    union all
    select month_start, 'lifecycle_stage', from_stage, to_stage, count(*)
    from paired group by all
)

select * from movements
