{#- The calendar row of a UTC timestamp's (company-local) day, joined as `alias`: for
    business_minutes. A join per timestamp, not a lookup per use: three business-minute clocks
    of a ticket were eighteen correlated lookups, and at 3 M tickets `service_tickets` took
    about five minutes. -#}
{% macro working_day_of(timestamp_at, alias) -%}
    left join {{ source('calendar', 'working_days') }} as {{ alias }}
        on {{ alias }}.calendar_date = {{ local_date(timestamp_at) }}
{%- endmacro %}
