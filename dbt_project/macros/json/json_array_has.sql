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
