create or replace temp table identity_run_nodes as
with grouped as (
    select *, min(person_index) over (
        partition by name_key, email_clean, phone_clean, organization_key, city, lonely
    ) as representative
    from identity_run_named
)
select person_index, representative,
       dense_rank() over (order by representative) - 1 as node_id
from grouped
