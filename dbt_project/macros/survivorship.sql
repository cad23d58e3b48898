{#- The order in which a golden-record field prefers its candidate values (see the
    `survivorship` var): rows ordered by this expression, first row wins. -#}
{% macro survivorship_order(field) -%}
    {%- set spec = var('survivorship')[field] -%}
    {%- if spec.rule == 'source_priority' -%}
        case source_system || '.' || source_table
        {%- for source in spec.sources %}
            when '{{ source }}' then {{ loop.index }}
        {%- endfor %}
            else 999
        end, seen_at desc, value
    {%- elif spec.rule == 'most_recent' -%}
        seen_at desc, value
    {%- elif spec.rule == 'most_frequent' -%}
        frequency desc, seen_at desc, value
    {%- else -%}
        {{ exceptions.raise_compiler_error("survivorship." ~ field ~ ": unknown rule '" ~ spec.rule ~ "'; use source_priority, most_recent or most_frequent") }}
    {%- endif -%}
{%- endmacro %}
