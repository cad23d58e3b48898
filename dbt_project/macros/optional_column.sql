{#- A column a source table may or may not have: an optional custom field (SOURCES.md, such as
    Lead.Referred_By__c), or one a newer c360 loads that a table loaded before it lacks (cdr's
    dst_e164). The column where the loaded table has it, else a typed null, so that the models
    reading it build either way. Matched without regard to case, as loaders name columns in their
    own case. -#}
{% macro optional_column(source_name, table_name, column, type=none) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- a unit test's source() is its fixture, which has no schema to look in: its rows give the
        column or the test fails naming it -#}
    {%- set found = [] if execute and relation.schema and relation.identifier else [column] -%}
    {%- if execute and relation.schema and relation.identifier -%}
        {%- set loaded = load_relation(relation) -%}
        {%- if loaded is not none -%}
            {%- for existing in adapter.get_columns_in_relation(loaded) -%}
                {%- if existing.name | lower == column | lower -%}{%- do found.append(existing.name) -%}{%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- if found -%}
        {{ adapter.quote(found[0]) }}
    {%- else -%}
        cast(null as {{ type or dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
