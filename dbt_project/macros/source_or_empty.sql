{#- A source table, or an empty table of the columns its YAML declares when the source did not
    deliver it (a CRM object the config leaves out, a file kind that never landed): the models
    that read it are then empty instead of failing, and the night still builds and publishes.
    Lineage is kept: source() is called either way. -#}
{% macro source_or_empty(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- a unit test's source() is its fixture, which has no schema to look in -#}
    {%- if execute and relation.schema and relation.identifier and load_relation(relation) is none -%}
        {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- if not node.columns -%}
            {{ exceptions.raise_compiler_error(source_name ~ '.' ~ table_name ~ ' is absent and declares no columns to stand in with') }}
        {%- endif -%}
        (select
            {%- for column in node.columns %}
            cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }}{{ ',' if not loop.last }}
            {%- endfor %}
        where 1 = 0)
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
