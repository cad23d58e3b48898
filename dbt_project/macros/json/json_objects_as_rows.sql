{#- One row per object of a JSON array of objects, as a struct column: `fields` lists
    [name, type] pairs, type one of bigint, text, boolean. Rows whose array is empty or null
    give no row (as an inner join would). Use in a select list. -#}
{% macro json_objects_as_rows(column, fields) -%}
    {{ return(adapter.dispatch('json_objects_as_rows', 'c360')(column, fields)) }}
{%- endmacro %}
{% macro default__json_objects_as_rows(column, fields) -%}
    {%- set types = {'bigint': 'bigint', 'text': 'string', 'boolean': 'boolean'} -%}
    explode(from_json({{ column }}, 'array<struct<
        {%- for name, type in fields %}{{ name }}:{{ types[type] }}{{ ',' if not loop.last }}{% endfor -%}
    >>'))
{%- endmacro %}
{% macro duckdb__json_objects_as_rows(column, fields) -%}
    {%- set types = {'bigint': 'BIGINT', 'text': 'VARCHAR', 'boolean': 'BOOLEAN'} -%}
    unnest(from_json({{ column }}, '[{
        {%- for name, type in fields %}"{{ name }}":"{{ types[type] }}"{{ ',' if not loop.last }}{% endfor -%}
    }]'))
{%- endmacro %}
