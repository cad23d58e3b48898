create or replace temp table {RECORDS} as
select
    r.position, r.record_key, r.source_system, r.source_table, r.source_record_id, r.record_kind,
    case when r.record_kind = 'person' then person_names.key else company_names.key end as name_key,
    person_names.key as person_name_key,
    company_names.key as company_key,
    emails.key as email,
    coalesce(split_part(emails.key, '@', 1) in ({placeholders}), false) as is_placeholder_email,
    r.phone_e164, r.phone2_e164, r.crm_account_id, r.crm_contact_id, r.service_organization_id,
    r.domain, r.registration_number, r.city,
    cities.key as city_key,
    addresses.key as address_key,
    false as is_person_account,
    r.first_seen_at  -- what a new id is minted by (identity.graph.stable_ids)
from {RECORDS}_raw as r
left join identity_run_person_names as person_names on person_names.value = r.full_name
left join identity_run_company_names as company_names
    on company_names.value = r.organization_name and r.record_kind = 'organization'
left join identity_run_emails as emails on emails.value = r.email
left join identity_run_cities as cities on cities.value = r.city and r.record_kind = 'organization'
left join identity_run_addresses as addresses
    on addresses.value = r.address and r.record_kind = 'organization'
