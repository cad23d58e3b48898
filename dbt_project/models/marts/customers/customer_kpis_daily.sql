{#- The headline rates' numerators and denominators per company-local day and value tier (the
    customer's tier now, 'none' without one), one row per KPI: a dashboard or an analyst adds them
    over any period and tiers and divides (100 × numerator / denominator), and never restates a
    definition. Definitions: the doc blocks of _metrics.md. Calls are not split by tier (segment
    is null): a call counts whatever tiers are picked. -#}
with tiers as (
    select customer_id, coalesce(value_tier, 'none') as segment from {{ ref('customer_360') }}
),

orders as (
    select
        fulfilment.promised_delivery_date as day,
        coalesce(tiers.segment, 'none') as segment,
        fulfilment.is_otif,
        fulfilment.is_on_time,
        fulfilment.is_in_full,
        fulfilment.is_perfect_order,
        -- a promised installation not (yet) overdue is kept
        case when fulfilment.installation_promised_by is not null
            then not coalesce(fulfilment.is_installation_overdue, false)
        end as is_installation_kept
    from {{ ref('order_fulfilment') }} as fulfilment
    left join tiers on tiers.customer_id = fulfilment.customer_id
    where fulfilment.promised_delivery_date is not null
),

tickets as (
    select
        {{ local_date('tickets.created_at') }} as day,
        coalesce(tiers.segment, 'none') as segment,
        tickets.is_sla_breached,
        tickets.is_one_touch
    from {{ ref('service_tickets') }} as tickets
    left join tiers on tiers.customer_id = tickets.customer_id
),

satisfaction as (
    select * from {{ ref('satisfaction_daily') }}
),

calls as (
    select * from {{ ref('callcenter_daily') }}
),

kpis as (
    {%- for kpi in ['otif', 'on_time', 'in_full', 'perfect_order', 'installation_kept'] %}
    select
        '{{ kpi }}' as kpi, day, segment,
        count(case when is_{{ kpi }} then 1 end) as numerator,
        count(is_{{ kpi }}) as denominator
    from orders
    group by day, segment
    union all
    {%- endfor %}
    select
        'sla_compliance', day, segment,
        count(case when not is_sla_breached then 1 end), count(is_sla_breached)
    from tickets
    group by day, segment
    union all
    select
        'one_touch', day, segment,
        count(case when is_one_touch then 1 end), count(is_one_touch)
    from tickets
    group by day, segment
    union all
    select 'csat', response_date, segment, sum(satisfied), sum(rated)
    from satisfaction
    group by response_date, segment
    union all
    select 'nps', response_date, segment, sum(promoters) - sum(detractors), sum(nps_responses)
    from satisfaction
    where channel = 'nps'
    group by response_date, segment
    union all
    select 'abandonment', call_date, null, sum(abandoned), sum(offered)
    from calls
    group by call_date
)

select
    kpi,
    day,
    segment,
    cast(numerator as bigint) as numerator,
    cast(denominator as bigint) as denominator
from kpis
where denominator > 0
