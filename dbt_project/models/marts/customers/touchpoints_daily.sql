{#- Touchpoints per company-local day × department × channel × type × the customer's value
    tier now: the timeline's volume for charts, without scanning every touchpoint. -#}
with touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

segments as (
    select customer_id, value_tier from {{ ref('customer_360') }}
),

final as (
    select
        touchpoints.occurred_date,
        touchpoints.department,
        touchpoints.channel,
        touchpoints.touchpoint_type,
        coalesce(segments.value_tier, 'none') as segment,
        count(*) as touchpoints,
        count(distinct touchpoints.customer_id) as customers
    from touchpoints
    left join segments on segments.customer_id = touchpoints.customer_id
    group by all
)

select * from final
