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
        when {{ dbt.datediff(last_order_at, as_of, 'day') }} > {{ lapsed_after_days(usual_interval_days) }} then 'lapsed'
        when {{ dbt.datediff(last_order_at, as_of, 'day') }} > 1.5 * coalesce({{ usual_interval_days }}, 120) then 'at_risk'
        when {{ previous_order_at }} is not null
            and {{ dbt.datediff(previous_order_at, last_order_at, 'day') }} > 3 * coalesce({{ interval_before_gap }}, 120)
            then 'won_back'
        else 'active'
    end
{%- endmacro %}
