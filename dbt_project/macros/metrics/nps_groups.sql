{#- NPS's groups of an answer from 0 to 10 (METRICS.md): a promoter answers 9 or 10, a detractor
    0 to 6. One definition for every model and page that counts them; null for no answer. -#}
{% macro nps_is_promoter(score) %}({{ score }} >= 9){% endmacro %}

{% macro nps_is_detractor(score) %}({{ score }} <= 6){% endmacro %}
