{#- Why a person cannot be reached on `channel` ('phone' or 'email'; null when they can), first
    reason first: an unnamed caller; a number or address of their own, but blocked (marked Do Not
    Call, opted out of e-mail) or unanswered recently; only a shared one; none that is valid.
    `own` and `shared` count the person's own and shared numbers or addresses. -#}
{% macro unreachable_reason(channel, is_named, own, shared, is_blocked, is_unanswered) -%}
    {%- set words = {
        'phone': {'blocked': 'do-not-call', 'shared': 'only a shared switchboard or line', 'none': 'no valid number'},
        'email': {'blocked': 'opted out of e-mail', 'shared': 'only a shared mailbox', 'none': 'no valid address'},
    }[channel] -%}
    case
        when not {{ is_named }} then 'unidentified caller'
        when {{ own }} > 0 and {{ is_blocked }} then '{{ words.blocked }}'
        when {{ own }} > 0 and {{ is_unanswered }} then 'unanswered recently'
        when {{ own }} > 0 then null
        when {{ shared }} > 0 then '{{ words.shared }}'
        else '{{ words.none }}'
    end
{%- endmacro %}
