{#- dbt-spark counts hours, minutes and seconds between two timestamps as the elapsed time
    rounded up; dbt's definition, and DuckDB's, count the boundaries crossed (08:00:01 to
    08:00:59 is 0 minutes, 08:59:59 to 09:00:01 is 1; dbt-spark says 1 for both). On Spark the
    project counts boundaries too (dispatch order in dbt_project.yml), so both engines agree. -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1}.get(datepart) -%}
    {%- if seconds -%}
        (floor(unix_timestamp({{ second_date }}) / {{ seconds }}) - floor(unix_timestamp({{ first_date }}) / {{ seconds }}))
    {%- else -%}
        {{ return(dbt.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}
