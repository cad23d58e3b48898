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
