{#- Time helpers. Timestamps in the warehouse are naive UTC (`_at`); dates are the company's
    local calendar day (`_date`). DuckDB's syntax lives behind adapter.dispatch so another
    engine can bring its own. -#}

{% macro to_utc(expr) -%}
    {{ return(adapter.dispatch('to_utc', 'c360')(expr)) }}
{%- endmacro %}
{% macro default__to_utc(expr) -%}
    cast(to_utc_timestamp(cast({{ expr }} as timestamp), 'UTC') as timestamp)
{%- endmacro %}
{% macro duckdb__to_utc(expr) -%}
    cast(timezone('UTC', try_cast(nullif(trim({{ expr }}), '') as timestamptz)) as timestamp)
{%- endmacro %}

{% macro epoch_to_utc(expr) -%}
    {{ return(adapter.dispatch('epoch_to_utc', 'c360')(expr)) }}
{%- endmacro %}
{% macro default__epoch_to_utc(expr) -%}
    cast(from_unixtime(cast({{ expr }} as bigint)) as timestamp)
{%- endmacro %}
{% macro duckdb__epoch_to_utc(expr) -%}
    cast(timezone('UTC', to_timestamp(try_cast({{ expr }} as bigint))) as timestamp)
{%- endmacro %}

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

{% macro local_date(utc_expr) -%}
    {{ return(adapter.dispatch('local_date', 'c360')(utc_expr)) }}
{%- endmacro %}
{% macro default__local_date(utc_expr) -%}
    cast(from_utc_timestamp({{ utc_expr }}, '{{ var("company_time_zone") }}') as date)
{%- endmacro %}
{% macro duckdb__local_date(utc_expr) -%}
    cast(timezone('{{ var("company_time_zone") }}', timezone('UTC', {{ utc_expr }})) as date)
{%- endmacro %}

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

{% macro local_to_utc(local_expr) -%}
    {{ return(adapter.dispatch('local_to_utc', 'c360')(local_expr)) }}
{%- endmacro %}
{% macro default__local_to_utc(local_expr) -%}
    to_utc_timestamp({{ local_expr }}, '{{ var("company_time_zone") }}')
{%- endmacro %}
{% macro duckdb__local_to_utc(local_expr) -%}
    timezone('UTC', timezone('{{ var("company_time_zone") }}', {{ local_expr }}))
{%- endmacro %}

{#- A relation `spine(month_start)`: every month start from `first` up to, not including, `until`. -#}
{% macro month_starts(first, until) -%}
    {{ return(adapter.dispatch('month_starts', 'c360')(first, until)) }}
{%- endmacro %}
{% macro default__month_starts(first, until) -%}
    (
        select month_start
        from (select explode(sequence({{ first }}, {{ until }}, interval 1 month)) as month_start) as months
        where month_start < {{ until }}
    ) as spine
{%- endmacro %}
{% macro duckdb__month_starts(first, until) -%}
    range({{ first }}, {{ until }}, interval 1 month) as spine(month_start)
{%- endmacro %}

{#- dbt-spark counts hours, minutes and seconds between two timestamps as the elapsed time
    rounded up; dbt's definition, and DuckDB's, count the boundaries crossed (08:00:01 to
    08:00:59 is 0 minutes, 08:59:59 to 09:00:01 is 1; dbt-spark says 1 for both). On Spark the
    project counts boundaries too (dispatch order in dbt_project.yml), so both engines agree. -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1}.get(datepart) -%}
    {%- if seconds -%}
        (floor(unix_timestamp({{ second_date }}) / {{ seconds }}) - floor(unix_timestamp({{ first_date }}) / {{ seconds }}))
    {%- else -%}
        {{ return(dbt.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}
