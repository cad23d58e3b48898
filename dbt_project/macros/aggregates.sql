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

{#- The distinct values of a column, sorted and joined by `delimiter` (DuckDB: string_agg with
    distinct and order by; Spark: a sorted collect_set). -#}
{% macro sorted_distinct_list(column, delimiter) -%}
    {{ return(adapter.dispatch('sorted_distinct_list', 'c360')(column, delimiter)) }}
{%- endmacro %}
{% macro default__sorted_distinct_list(column, delimiter) -%}
    array_join(array_sort(collect_set({{ column }})), '{{ delimiter }}')
{%- endmacro %}
{% macro duckdb__sorted_distinct_list(column, delimiter) -%}
    string_agg(distinct {{ column }}, '{{ delimiter }}' order by {{ column }})
{%- endmacro %}
