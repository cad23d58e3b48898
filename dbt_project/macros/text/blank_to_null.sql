{% macro blank_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}
