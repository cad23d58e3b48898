{#- Each CRM account and the customer it resolved to: the join every model that starts from a
    CRM record with an AccountId (an order, a task, a survey, an opportunity) makes. -#}
select distinct
    source_record_id as crm_account_id,
    customer_id
from {{ ref('customer_identity_map') }}
where source_table = 'Account'
