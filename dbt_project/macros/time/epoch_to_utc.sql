{% macro epoch_to_utc(expr) -%}
    {{ return(adapter.dispatch('epoch_to_utc', 'c360')(expr)) }}
{%- endmacro %}
{% macro default__epoch_to_utc(expr) -%}
    cast(from_unixtime(cast({{ expr }} as bigint)) as timestamp)
{%- endmacro %}
{% macro duckdb__epoch_to_utc(expr) -%}
    cast(timezone('UTC', to_timestamp(try_cast({{ expr }} as bigint))) as timestamp)
{%- endmacro %}
