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
