create or replace temp table identity_run_resolved as
select customers.source_system, customers.source_table, customers.source_record_id, customers.record_key,
       customers.record_kind, customers.is_person_account,
       customer_ids.id as customer_id, person_ids.id as person_id, customers.customer_type,
       {match_method} as match_method, customers.probability as match_probability
from identity_run_customers as customers
inner join identity_run_customer_ids as customer_ids using (record_key)
left join identity_run_person_ids as person_ids using (record_key)
order by customers.position
