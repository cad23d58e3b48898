{#- The value of the row with the greatest (arg_max) or least (arg_min) ordering. `ordering` is
    one expression or a list of them, compared in order (ties broken by the later ones).
    DuckDB: arg_max(value, (a, b)); Spark: max_by(value, struct(a, b)). -#}
{% macro arg_max(value, ordering) -%}
    {{ return(adapter.dispatch('arg_by', 'c360')('max', value, ordering)) }}
{%- endmacro %}
{% macro arg_min(value, ordering) -%}
    {{ return(adapter.dispatch('arg_by', 'c360')('min', value, ordering)) }}
{%- endmacro %}
{% macro default__arg_by(extreme, value, ordering) -%}
    {{ extreme }}_by({{ value }}, {% if ordering is string %}{{ ordering }}{% else %}struct({{ ordering | join(', ') }}){% endif %})
{%- endmacro %}
{% macro duckdb__arg_by(extreme, value, ordering) -%}
    arg_{{ extreme }}({{ value }}, {% if ordering is string %}{{ ordering }}{% else %}({{ ordering | join(', ') }}){% endif %})
{%- endmacro %}
