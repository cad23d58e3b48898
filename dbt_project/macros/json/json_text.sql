{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'c360')(column, path)) }}
{%- endmacro %}
{% macro default__json_text(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}
{% macro duckdb__json_text(column, path) -%}
    json_extract_string({{ column }}, '{{ path }}')
{%- endmacro %}
