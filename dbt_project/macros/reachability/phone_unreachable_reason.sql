{#- Why a person cannot be reached by phone (null when they can), first reason first: an
    unnamed caller; a number of their own, but marked Do Not Call or unanswered recently; only a
    shared switchboard or line; no valid number. -#}
{% macro phone_unreachable_reason(is_named, own_phones, shared_phones, is_do_not_call, is_unanswered) -%}
    case
        when not {{ is_named }} then 'unidentified caller'
        when {{ own_phones }} > 0 and {{ is_do_not_call }} then 'do-not-call'
        when {{ own_phones }} > 0 and {{ is_unanswered }} then 'unanswered recently'
        when {{ own_phones }} > 0 then null
        when {{ shared_phones }} > 0 then 'only a shared switchboard or line'
        else 'no valid number'
    end
{%- endmacro %}
