{% macro survivorship_keys(field) -%}
    {%- set spec = var('survivorship')[field] -%}
    {%- set latest_first = "coalesce(-" ~ epoch_microseconds('seen_at') ~ ", 9223372036854775807)" -%}
    {%- if spec.rule == 'source_priority' -%}
        {%- set rank -%}
        case value_source
        {%- for source in spec.sources %}
            when '{{ source }}' then {{ loop.index }}
        {%- endfor %}
            else 999
        end
        {%- endset -%}
        {{ return([rank, latest_first, 'value', 'value_source']) }}
    {%- elif spec.rule == 'most_recent' -%}
        {{ return([latest_first, 'value', 'value_source']) }}
    {%- elif spec.rule == 'most_frequent' -%}
        {{ return(['-frequency', latest_first, 'value', 'value_source']) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("survivorship." ~ field ~ ": unknown rule '" ~ spec.rule ~ "'; use source_priority, most_recent or most_frequent") }}
    {%- endif -%}
{%- endmacro %}
