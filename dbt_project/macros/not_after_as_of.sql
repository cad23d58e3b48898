{#- True for a row stamped at or before the night's as-of moment (or not stamped): a record from
    after it (a source clock running ahead, a record written while the night runs) waits for the
    next night instead of showing the future in a mart. -#}
{% macro not_after_as_of(column) -%}
    ({{ column }} is null or {{ column }} <= {{ as_of() }})
{%- endmacro %}
