{% macro local_date(utc_expr) -%}
    {{ return(adapter.dispatch('local_date', 'c360')(utc_expr)) }}
{%- endmacro %}
{% macro default__local_date(utc_expr) -%}
    cast(from_utc_timestamp({{ utc_expr }}, '{{ var("company_time_zone") }}') as date)
{%- endmacro %}
{% macro duckdb__local_date(utc_expr) -%}
    cast(timezone('{{ var("company_time_zone") }}', timezone('UTC', {{ utc_expr }})) as date)
{%- endmacro %}
