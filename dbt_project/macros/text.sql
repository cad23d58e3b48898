{#- Small normalisers shared by the identity models. -#}

{% macro clean_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{% macro blank_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- A surrogate key from several columns (dbt's cross-database hash, like dbt_utils'). -#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- do parts.append("coalesce(cast(" ~ c ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(" || '|' || ")) }}
{%- endmacro %}

{#- A person's name as one string: family name first and no space when written in Chinese
    characters (张伟), given name first otherwise ("Wei Zhang"), as each is written at home.
    The range U+3400-U+9FFF is written as the characters themselves: an escape such as
    \x{3400} means one thing to RE2 (DuckDB) and another inside a Spark string literal. -#}
{% macro person_full_name(first_name, last_name) -%}
    case
        when {{ regexp_contains("coalesce(" ~ last_name ~ ", '') || coalesce(" ~ first_name ~ ", '')", "'[㐀-鿿]'") }}
            then concat(coalesce({{ last_name }}, ''), coalesce({{ first_name }}, ''))
        else nullif(concat_ws(' ', {{ first_name }}, {{ last_name }}), '')
    end
{%- endmacro %}

{#- True when `expr` contains a match of the regular expression `pattern`. -#}
{% macro regexp_contains(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains', 'c360')(expr, pattern)) }}
{%- endmacro %}
{% macro default__regexp_contains(expr, pattern) -%}
    regexp_like({{ expr }}, {{ pattern }})
{%- endmacro %}
{% macro duckdb__regexp_contains(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ pattern }})
{%- endmacro %}
