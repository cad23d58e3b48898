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
