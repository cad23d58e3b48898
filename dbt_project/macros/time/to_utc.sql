{% macro to_utc(expr) -%}
    {{ return(adapter.dispatch('to_utc', 'c360')(expr)) }}
{%- endmacro %}
{% macro default__to_utc(expr) -%}
    cast(to_utc_timestamp(cast({{ expr }} as timestamp), 'UTC') as timestamp)
{%- endmacro %}
{% macro duckdb__to_utc(expr) -%}
    cast(timezone('UTC', try_cast(nullif(trim({{ expr }}), '') as timestamptz)) as timestamp)
{%- endmacro %}
