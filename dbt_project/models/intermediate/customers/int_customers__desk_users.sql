{#- Each service-desk user (a ticket's requester, a rating's rater) and the customer and person
    they resolved to; `user_id` as the identity map keeps it (text). -#}
select
    source_record_id as user_id,
    customer_id,
    person_id
from {{ ref('customer_identity_map') }}
where source_system = 'service' and source_table = 'users'
