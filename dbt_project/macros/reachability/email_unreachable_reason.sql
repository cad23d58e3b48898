{#- Why a person cannot be reached by e-mail (null when they can), first reason first: an
    unnamed caller; an address of their own, but opted out of e-mail or unanswered recently;
    only a shared mailbox; no valid address. -#}
{% macro email_unreachable_reason(is_named, own_emails, shared_emails, has_opted_out_of_email, is_unanswered) -%}
    case
        when not {{ is_named }} then 'unidentified caller'
        when {{ own_emails }} > 0 and {{ has_opted_out_of_email }} then 'opted out of e-mail'
        when {{ own_emails }} > 0 and {{ is_unanswered }} then 'unanswered recently'
        when {{ own_emails }} > 0 then null
        when {{ shared_emails }} > 0 then 'only a shared mailbox'
        else 'no valid address'
    end
{%- endmacro %}
