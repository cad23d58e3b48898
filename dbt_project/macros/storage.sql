{#- Storage order of the marts readers look up by key (ARCHITECTURE.md: DuckDB skips row groups
    by their min/max, so a table stored sorted by its lookup key reads a few of them). -#}

{% macro store_sorted_by(columns) -%}
    {{ return(adapter.dispatch('store_sorted_by', 'c360')(columns)) }}
{%- endmacro %}

{#- Engines with their own clustering (Spark, Trino, Snowflake) keep the table as built. -#}
{% macro default__store_sorted_by(columns) -%}
    select 1
{%- endmacro %}

{#- A post-hook: the table just built is rewritten in `columns` order, as a second statement.
    Sorting inside the model's own query keeps every join's hash table pinned while the sort
    fills memory, and fails under a tight memory_limit (24,000 customers at 256 MB: "failed
    to pin block"); a plain table sorts and spills to disk. -#}
{% macro duckdb__store_sorted_by(columns) -%}
    create or replace table {{ this }} as select * from {{ this }} order by {{ columns }}
{%- endmacro %}
