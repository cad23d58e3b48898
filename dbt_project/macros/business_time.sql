{#- Business time from the company's working calendar (source calendar.working_days). -#}

{#- Working minutes between two UTC timestamps: the overlap of [start, end) with every
    working day's hours. Null when either end is null. -#}
{% macro business_minutes(start_at, end_at) -%}
    case when {{ start_at }} is not null and {{ end_at }} is not null then (
        select coalesce(sum(
            greatest(0, {{ dbt.datediff('greatest(' ~ start_at ~ ', calendar_days.work_start_at)',
                                        'least(' ~ end_at ~ ', calendar_days.work_end_at)', 'second') }})
        ), 0) / 60.0
        from {{ source('calendar', 'working_days') }} as calendar_days
        where calendar_days.is_working_day
            and calendar_days.work_start_at < {{ end_at }}
            and calendar_days.work_end_at > {{ start_at }}
    ) end
{%- endmacro %}

{#- The n-th working day after a date (n >= 1). -#}
{% macro add_working_days(date_expr, n) -%}
    (
        select calendar_days.calendar_date
        from {{ source('calendar', 'working_days') }} as calendar_days
        where calendar_days.is_working_day and calendar_days.calendar_date > {{ date_expr }}
        order by calendar_days.calendar_date
        limit 1 offset ({{ n }}) - 1
    )
{%- endmacro %}

{#- The end of working hours (UTC) of the n-th working day after the day of a UTC timestamp
    (the company's local day). -#}
{% macro working_days_deadline(timestamp_at, n) -%}
    (
        select calendar_days.work_end_at
        from {{ source('calendar', 'working_days') }} as calendar_days
        where calendar_days.is_working_day and calendar_days.calendar_date > {{ local_date(timestamp_at) }}
        order by calendar_days.calendar_date
        limit 1 offset ({{ n }}) - 1
    )
{%- endmacro %}

{#- Working days after `from_date` up to and including `to_date` (0 when to_date <= from_date). -#}
{% macro working_days_between(from_date, to_date) -%}
    (
        select count(*)
        from {{ source('calendar', 'working_days') }} as calendar_days
        where calendar_days.is_working_day
            and calendar_days.calendar_date > {{ from_date }}
            and calendar_days.calendar_date <= {{ to_date }}
    )
{%- endmacro %}
