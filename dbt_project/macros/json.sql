{#- Reading the nested fields the service desk delivers as JSON text. -#}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'c360')(column, path)) }}
{%- endmacro %}
{% macro default__json_text(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}
{% macro duckdb__json_text(column, path) -%}
    json_extract_string({{ column }}, '{{ path }}')
{%- endmacro %}

{#- The value of the custom field with id `field_id` in a Zendesk `custom_fields` array. -#}
{% macro custom_field_value(column, field_id) -%}
    {{ return(adapter.dispatch('custom_field_value', 'c360')(column, field_id)) }}
{%- endmacro %}
{% macro duckdb__custom_field_value(column, field_id) -%}
    list_filter(from_json({{ column }}, '[{"id":"BIGINT","value":"VARCHAR"}]'), lambda f: f.id = {{ field_id }})[1].value
{%- endmacro %}
{% macro default__custom_field_value(column, field_id) -%}
    filter(from_json({{ column }}, 'array<struct<id:bigint,value:string>>'), f -> f.id = {{ field_id }})[0].value
{%- endmacro %}

{#- True when a JSON array of strings holds `value` (Zendesk tags). -#}
{% macro json_array_has(column, value) -%}
    {{ return(adapter.dispatch('json_array_has', 'c360')(column, value)) }}
{%- endmacro %}
{% macro duckdb__json_array_has(column, value) -%}
    coalesce(list_contains(from_json({{ column }}, '["VARCHAR"]'), '{{ value }}'), false)
{%- endmacro %}
{% macro default__json_array_has(column, value) -%}
    coalesce(array_contains(from_json({{ column }}, 'array<string>'), '{{ value }}'), false)
{%- endmacro %}

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
