{#- The end of working hours (UTC) of the n-th working day after the day of a UTC timestamp
    (the company's local day). -#}
{% macro working_days_deadline(timestamp_at, n) -%}
    {{ nth_working_day_value('calendar_days.work_end_at', local_date(timestamp_at), n) }}
{%- endmacro %}
