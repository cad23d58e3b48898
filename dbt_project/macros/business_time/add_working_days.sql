{#- The n-th working day after a date (n >= 1). -#}
{% macro add_working_days(date_expr, n) -%}
    {{ nth_working_day_value('calendar_days.calendar_date', date_expr, n) }}
{%- endmacro %}
