{#- "Now" for rolling windows, naive UTC: the as_of var when set (unit tests), else the moment
    $C360_AS_OF pins (every night pins one), else run time. The night's moment comes from the
    environment, not from --vars: vars that change every night would make dbt parse the whole
    project again each night. It is read only when SQL is compiled (`execute`), so that dbt's
    parse does not record it and re-parse every model using it when it changes. -#}
{% macro as_of() -%}
    {%- set moment = var('as_of') or (env_var('C360_AS_OF', '') if execute else '') -%}
    {%- if moment -%}
        cast('{{ moment }}' as timestamp)
    {%- else -%}
        {{ adapter.dispatch('utc_now', 'c360')() }}
    {%- endif -%}
{%- endmacro %}
{% macro default__utc_now() -%}
    cast(current_timestamp as timestamp)
{%- endmacro %}
{% macro duckdb__utc_now() -%}
    cast(timezone('UTC', current_timestamp) as timestamp)
{%- endmacro %}
