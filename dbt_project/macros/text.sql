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
    characters (张伟), given name first otherwise ("Wei Zhang"), as each is written at home. -#}
{% macro person_full_name(first_name, last_name) -%}
    case
        when regexp_matches(coalesce({{ last_name }}, '') || coalesce({{ first_name }}, ''), '[\x{3400}-\x{9fff}]')
            then concat(coalesce({{ last_name }}, ''), coalesce({{ first_name }}, ''))
        else nullif(concat_ws(' ', {{ first_name }}, {{ last_name }}), '')
    end
{%- endmacro %}
