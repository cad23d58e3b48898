create table if not exists identity.customer_id_history (
    previous_id varchar, current_id varchar, change varchar, records bigint, level varchar,
    run_id varchar, changed_at timestamp)
