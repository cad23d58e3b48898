create or replace temp table identity_run_known_ids as
select customer_id as id from identity_run_previous where customer_id is not null
union select person_id from identity_run_previous where person_id is not null
union select previous_id from identity.customer_id_history
