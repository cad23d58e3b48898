{#- Working days after `from_date` up to and including `to_date` (0 when to_date <= from_date). -#}
{% macro working_days_between(from_date, to_date) -%}
    greatest(0,
        {{ calendar_day_value('calendar_days.working_day_number', to_date) }}
        - {{ calendar_day_value('calendar_days.working_day_number', from_date) }}
    )
{%- endmacro %}
