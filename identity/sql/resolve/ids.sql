create or replace temp table identity_run_ids as
select customers.record_key, customers.customer_cluster, customers.person_cluster,
       previous.customer_id as previous_customer_id, previous.person_id as previous_person_id,
       customers.first_seen_at
from identity_run_customers as customers left join identity_run_previous as previous using (record_key)
