{#- How a golden-record field chooses among its candidate values (see the `survivorship` var):
    the candidate with the least of these keys wins, compared in order. Least rather than
    first in a sort, so that dim_customer takes each field with one hash aggregate (arg_min)
    instead of a window sorting every candidate of every customer (at 1,000,000 customers the
    windows took most of the model's ten minutes). Later is better, so the time is negated;
    no time comes last, as `seen_at desc` puts it; the value, then its source, break ties. -#}
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

{#- The field's candidates (`relation`: customer_id, value, value_source, seen_at), with how
    many of the customer's records offer each value when the rule asks for it. -#}
{% macro survivorship_candidates(field, relation) -%}
    {%- if var('survivorship')[field].rule == 'most_frequent' -%}
        (
            select candidates.*, frequencies.frequency
            from {{ relation }} as candidates
            inner join (
                select customer_id, value, count(*) as frequency from {{ relation }} group by customer_id, value
            ) as frequencies
                on frequencies.customer_id = candidates.customer_id and frequencies.value = candidates.value
        )
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
