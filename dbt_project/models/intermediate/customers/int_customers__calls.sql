{#- Each PBX call (CDR uniqueid) and the customer and person whose number called. -#}
select
    source_record_id as call_id,
    customer_id,
    person_id
from {{ ref('customer_identity_map') }}
where source_system = 'call_center' and source_table = 'cdr'
