{#- An expression over one calendar row (`calendar_days.<column>`) for the day `date_expr`;
    null when the calendar does not hold that day. -#}
{% macro calendar_day_value(expression, date_expr) -%}
    (
        select max({{ expression }})
        from {{ source('calendar', 'working_days') }} as calendar_days
        where calendar_days.calendar_date = {{ date_expr }}
    )
{%- endmacro %}
