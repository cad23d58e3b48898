{#- A relation `spine(month_start)`: every month start from `first` up to, not including, `until`. -#}
{% macro month_starts(first, until) -%}
    {{ return(adapter.dispatch('month_starts', 'c360')(first, until)) }}
{%- endmacro %}
{% macro default__month_starts(first, until) -%}
    (
        select month_start
        from (select explode(sequence({{ first }}, {{ until }}, interval 1 month)) as month_start) as months
        where month_start < {{ until }}
    ) as spine
{%- endmacro %}
{% macro duckdb__month_starts(first, until) -%}
    range({{ first }}, {{ until }}, interval 1 month) as spine(month_start)
{%- endmacro %}
