create or replace temp table {KEYS} as
with shared as (select * from identity_run_shared)
select person_index, crm_contact_id, is_person_account, crm_account_id, name_key, name_reversed, city,
    case when email in (select identifier_value from shared where identifier_type = 'email')
         then null else email end as email_clean,
    case when phone_e164 in (select identifier_value from shared where identifier_type = 'phone')
         then null else phone_e164 end as phone_clean,
    case when phone2_e164 in (select identifier_value from shared where identifier_type = 'phone')
         then null else phone2_e164 end as phone2_clean,
    coalesce(org_by_key, org_by_desk, org_by_email_domain, org_by_phone) as organization
from {PERSONS}
