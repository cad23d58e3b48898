{#- What to do about an open or at-risk promise (open_promises.kind), and why in words: one wording
    for customer_360's next best action and the action queue. -#}
{% macro promise_action(kind) -%}
    case {{ kind }}
        when 'installation_overdue' then 'Resolve the overdue installation'
        when 'compensation_unanswered' then 'Answer the compensation claim'
        when 'wrong_item_shipped' then 'Replace the wrong item'
        when 'bad_rating_no_follow_up' then 'Call back after the bad rating'
        when 'delivery_late' then 'Chase the late delivery'
    end
{%- endmacro %}

{#- Over a row of open_promises: the record and how overdue, or when due. -#}
{% macro promise_reason() -%}
    case kind
        when 'installation_overdue' then 'work order ' || source_record_id
        when 'compensation_unanswered' then 'ticket #' || source_record_id
        when 'wrong_item_shipped' then 'shipment ' || source_record_id
        when 'bad_rating_no_follow_up' then 'rating ' || source_record_id
        when 'delivery_late' then 'shipment ' || source_record_id
    end
    || case when status = 'open' then ', ' || overdue_business_days || ' working day(s) overdue'
            else ', due ' || cast({{ local_date('due_at') }} as {{ dbt.type_string() }}) end
{%- endmacro %}
