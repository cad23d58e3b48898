{#- A naive UTC timestamp as microseconds since 1970: a number an ordering can negate. -#}
{% macro epoch_microseconds(expr) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'c360')(expr)) }}
{%- endmacro %}
{% macro default__epoch_microseconds(expr) -%}
    unix_micros({{ expr }})
{%- endmacro %}
{% macro duckdb__epoch_microseconds(expr) -%}
    epoch_us({{ expr }})
{%- endmacro %}
