{#- Working minutes between two UTC timestamps, their days' calendar rows joined as
    `start_day` and `end_day`: the overlap of [start, end) with every working day's hours. Null
    when either end is null. -#}
{% macro business_minutes(start_at, start_day, end_at, end_day) -%}
    case when {{ start_at }} is not null and {{ end_at }} is not null then
        cast(greatest(0, {{ working_seconds_until(end_at, end_day) }} - {{ working_seconds_until(start_at, start_day) }}) as double) / 60
    end
{%- endmacro %}
