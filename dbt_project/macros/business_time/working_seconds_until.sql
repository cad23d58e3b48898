{#- Working seconds from the calendar's first day up to a UTC timestamp whose day's calendar
    row is joined as `day` (working_day_of): the seconds of the days before it, plus the part of
    that day's working hours before the timestamp. Null when the calendar does not hold the day. -#}
{% macro working_seconds_until(timestamp_at, day) -%}
    (
        {{ day }}.working_seconds_before
        + coalesce(least(
            greatest({{ dbt.datediff(day ~ '.work_start_at', timestamp_at, 'second') }}, 0),
            {{ dbt.datediff(day ~ '.work_start_at', day ~ '.work_end_at', 'second') }}
        ), 0)
    )
{%- endmacro %}
