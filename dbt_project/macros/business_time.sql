{#- Business time from the company's working calendar (source calendar.working_days).

    Every measure looks up single days by date: the calendar carries running totals
    (working_day_number: working days up to and including the day; working_seconds_before:
    working seconds of all earlier days), so a count between two moments is a difference of two
    lookups. Summing over a range of calendar rows instead needs a subquery correlated by a range
    predicate, which Spark cannot run and which scans the calendar for every row. The totals are
    whole seconds so that the difference is exact. -#}

{#- An expression over one calendar row (`calendar_days.<column>`) for the day `date_expr`;
    null when the calendar does not hold that day. -#}
{% macro calendar_day_value(expression, date_expr) -%}
    (
        select max({{ expression }})
        from {{ source('calendar', 'working_days') }} as calendar_days
        where calendar_days.calendar_date = {{ date_expr }}
    )
{%- endmacro %}

{#- The calendar row of a UTC timestamp's (company-local) day, joined as `alias`: for
    business_minutes. A join per timestamp, not a lookup per use: three business-minute clocks
    of a ticket were eighteen correlated lookups, and at 3 M tickets `service_tickets` took
    about five minutes. -#}
{% macro working_day_of(timestamp_at, alias) -%}
    left join {{ source('calendar', 'working_days') }} as {{ alias }}
        on {{ alias }}.calendar_date = {{ local_date(timestamp_at) }}
{%- endmacro %}

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

{#- Working minutes between two UTC timestamps, their days' calendar rows joined as
    `start_day` and `end_day`: the overlap of [start, end) with every working day's hours. Null
    when either end is null. -#}
{% macro business_minutes(start_at, start_day, end_at, end_day) -%}
    case when {{ start_at }} is not null and {{ end_at }} is not null then
        cast(greatest(0, {{ working_seconds_until(end_at, end_day) }} - {{ working_seconds_until(start_at, start_day) }}) as double) / 60
    end
{%- endmacro %}

{#- An expression over the calendar row of the n-th working day after the day `date_expr`
    (n >= 1): the working day whose number is n more than that day's. -#}
{% macro nth_working_day_value(expression, date_expr, n) -%}
    (
        select max({{ expression }})
        from {{ source('calendar', 'working_days') }} as from_day
        inner join {{ source('calendar', 'working_days') }} as calendar_days
            on calendar_days.working_day_number = from_day.working_day_number + ({{ n }})
            and calendar_days.is_working_day
        where from_day.calendar_date = {{ date_expr }}
    )
{%- endmacro %}

{#- The n-th working day after a date (n >= 1). -#}
{% macro add_working_days(date_expr, n) -%}
    {{ nth_working_day_value('calendar_days.calendar_date', date_expr, n) }}
{%- endmacro %}

{#- The end of working hours (UTC) of the n-th working day after the day of a UTC timestamp
    (the company's local day). -#}
{% macro working_days_deadline(timestamp_at, n) -%}
    {{ nth_working_day_value('calendar_days.work_end_at', local_date(timestamp_at), n) }}
{%- endmacro %}

{#- Working days after `from_date` up to and including `to_date` (0 when to_date <= from_date). -#}
{% macro working_days_between(from_date, to_date) -%}
    greatest(0,
        {{ calendar_day_value('calendar_days.working_day_number', to_date) }}
        - {{ calendar_day_value('calendar_days.working_day_number', from_date) }}
    )
{%- endmacro %}
