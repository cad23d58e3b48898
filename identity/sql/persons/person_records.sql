create or replace temp table {PERSONS} as
with domain_owner as (
    select domain, case when count(distinct label) = 1 then any_value(label) end as label
    from identity_run_orgs where domain is not null group by domain
)
select
    row_number() over (order by p.position) - 1 as person_index,
    p.position, p.crm_account_id, p.crm_contact_id, p.email, p.is_placeholder_email,
    p.phone_e164, p.phone2_e164, p.city, p.name_key,
    array_to_string(list_reverse(string_split(p.name_key, ' ')), ' ') as name_reversed,
    p.is_person_account,
    accounts.label as org_by_key,
    desks.label as org_by_desk,
    domains.label as org_by_email_domain,
    phones.label as org_by_phone
from {RECORDS} as p
left join identity_run_orgs as accounts
    on accounts.source_table = 'Account' and accounts.crm_account_id = p.crm_account_id
left join identity_run_orgs as desks
    on desks.source_table = 'organizations' and desks.service_organization_id = p.service_organization_id
-- everything after the first @, as Python's split("@", 1) takes it
left join domain_owner as domains on domains.domain = substr(p.email, instr(p.email, '@') + 1)
left join identity_run_org_phones as phones on phones.phone_e164 = p.phone_e164
where p.record_kind = 'person'
