create or replace temp table identity_run_people_identifiers as
with tied as (
    select phone_e164 as value, coalesce(org_by_key, org_by_desk, org_by_email_domain) as org from {PERSONS}
    union all
    select phone2_e164, coalesce(org_by_key, org_by_desk, org_by_email_domain) from {PERSONS}
    union all
    select email, coalesce(org_by_key, org_by_desk, org_by_email_domain) from {PERSONS}
    where not coalesce(is_placeholder_email, false)
)
select value, any_value(org) as label from tied
where value is not null and org is not null group by value having count(distinct org) = 1
