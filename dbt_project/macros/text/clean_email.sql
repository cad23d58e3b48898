{% macro clean_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}
