create or replace temp table identity_run_named as
select person_index, name_key, name_reversed, city, email_clean, phone_clean,
       cast(cast(organization as bigint) as varchar) as organization_key,
       case when email_clean is not null or phone_clean is not null or organization is not null
            then -1 else person_index end as lonely
from {KEYS} where name_key is not null
