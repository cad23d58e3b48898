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
