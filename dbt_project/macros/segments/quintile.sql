{#- RFM quintile (1–5, 5 = the highest values) of `order_expr` among the rows of the query: from
    the rank, so that equal values share a quintile and every build gives the same one. -#}
{% macro quintile(order_expr) -%}
    1 + cast(floor(5.0 * (rank() over (order by {{ order_expr }}) - 1) / count(*) over ()) as integer)
{%- endmacro %}
