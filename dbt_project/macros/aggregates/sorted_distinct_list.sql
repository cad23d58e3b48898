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
