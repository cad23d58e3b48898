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
