{#- A naive UTC timestamp as the company's local wall-clock time, and back. -#}
{% macro utc_to_local(utc_expr) -%}
    {{ return(adapter.dispatch('utc_to_local', 'c360')(utc_expr)) }}
{%- endmacro %}
{% macro default__utc_to_local(utc_expr) -%}
    from_utc_timestamp({{ utc_expr }}, '{{ var("company_time_zone") }}')
{%- endmacro %}
{% macro duckdb__utc_to_local(utc_expr) -%}
    timezone('{{ var("company_time_zone") }}', timezone('UTC', {{ utc_expr }}))
{%- endmacro %}
