{% macro local_to_utc(local_expr) -%}
    {{ return(adapter.dispatch('local_to_utc', 'c360')(local_expr)) }}
{%- endmacro %}
{% macro default__local_to_utc(local_expr) -%}
    to_utc_timestamp({{ local_expr }}, '{{ var("company_time_zone") }}')
{%- endmacro %}
{% macro duckdb__local_to_utc(local_expr) -%}
    timezone('UTC', timezone('{{ var("company_time_zone") }}', {{ local_expr }}))
{%- endmacro %}
