{#- The days without an order after which a customer has lapsed: three times their usual interval
    between orders (120 days when unknown). One rule for the lifecycle stage and the win-back list. -#}
{% macro lapsed_after_days(usual_interval_days) -%}
    3 * coalesce({{ usual_interval_days }}, 120)
{%- endmacro %}
