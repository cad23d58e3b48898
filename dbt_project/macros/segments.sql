{#- Segment rules, written once: customer_360 (today) and the monthly snapshots behind
    segment_movements (each month end) both use them. -#}

{#- Value pyramid: `rank_expr` is the customer's percent rank (0 = top) by trailing-12-month
    revenue among paying customers; shares and names from vars value_tier_shares (2 to 4
    shares, from the top) and value_tier_names (one more name than shares, the last for the
    rest); no revenue in 12 months is 'none'. -#}
{% macro value_tier(revenue_expr, rank_expr) -%}
    {%- set shares = var('value_tier_shares') -%}
    {%- set names = var('value_tier_names') -%}
    {%- if shares | length < 2 or shares | length > 4 or names | length != shares | length + 1 -%}
        {{ exceptions.raise_compiler_error("value tiers: give 2 to 4 value_tier_shares and one more value_tier_names than shares (3 to 5 tiers)") }}
    {%- endif -%}
    {%- set ns = namespace(total=0) -%}
    case
        when coalesce({{ revenue_expr }}, 0) <= 0 then 'none'
        {%- for share in shares %}
        {%- set ns.total = ns.total + share %}
        when {{ rank_expr }} < {{ ns.total }} then '{{ names[loop.index0] }}'
        {%- endfor %}
        else '{{ names[shares | length] }}'
    end
{%- endmacro %}

{#- Lifecycle stage at `as_of`, from the customer's orders before it:
    prospect: never ordered; new: first order within 90 days; lapsed: no order for 3× the
    customer's usual interval (120 days when unknown); at_risk: no order for 1.5× it;
    won_back: the latest order ended a gap longer than 3× the usual interval the customer kept
    before that gap (the gap itself left out: counted in, it inflates the interval it is compared
    with, and no gap could ever be long enough); else active. -#}
{% macro lifecycle_stage(first_order_at, last_order_at, previous_order_at, usual_interval_days, orders_total, as_of) -%}
    {%- set interval_before_gap -%}
        case when {{ orders_total }} > 2
             then {{ dbt.datediff(first_order_at, previous_order_at, 'day') }} / ({{ orders_total }} - 2) end
    {%- endset -%}
    case
        when {{ last_order_at }} is null then 'prospect'
        when {{ first_order_at }} >= {{ dbt.dateadd('day', -90, as_of) }} then 'new'
        when {{ dbt.datediff(last_order_at, as_of, 'day') }} > 3 * coalesce({{ usual_interval_days }}, 120) then 'lapsed'
        when {{ dbt.datediff(last_order_at, as_of, 'day') }} > 1.5 * coalesce({{ usual_interval_days }}, 120) then 'at_risk'
        when {{ previous_order_at }} is not null
            and {{ dbt.datediff(previous_order_at, last_order_at, 'day') }} > 3 * coalesce({{ interval_before_gap }}, 120)
            then 'won_back'
        else 'active'
    end
{%- endmacro %}

{#- RFM quintile (1–5, 5 = the highest values) of `order_expr` among the rows of the query: from
    the rank, so that equal values share a quintile and every build gives the same one. -#}
{% macro quintile(order_expr) -%}
    1 + cast(floor(5.0 * (rank() over (order by {{ order_expr }}) - 1) / count(*) over ()) as integer)
{%- endmacro %}
