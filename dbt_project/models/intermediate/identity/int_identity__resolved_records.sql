{#- Deterministic resolution: each record is tied to a CRM account (the customer) and, for
    persons, a CRM contact, by the first rule that applies, in order of strength:
    a CRM key the record carries, its e-mail, its phone (unless shared by several people),
    its service-desk organization. A record tied to nothing becomes its own customer. -#}
with records as (
    select * from {{ ref('int_identity__source_records') }}
),

owners as (
    select * from {{ ref('int_identity__identifier_owners') }}
),

accounts as (
    select account_id, lower(website) as website from {{ ref('stg_sales__accounts') }} where not is_deleted
),

contacts as (
    select contact_id, account_id from {{ ref('stg_sales__contacts') }} where not is_deleted
),

-- service-desk organizations tied to an account by the CRM id they carry or their web domain
service_org_accounts as (
    select
        records.service_organization_id,
        coalesce(accounts_by_id.account_id, accounts_by_domain.account_id) as account_id,
        case when accounts_by_id.account_id is not null then 'crm_key' else 'domain' end as match_method
    from records
    left join accounts as accounts_by_id on records.crm_account_id = accounts_by_id.account_id
    left join accounts as accounts_by_domain on accounts_by_domain.website = 'www.' || records.domain
    where records.source_table = 'organizations'
),

linked as (
    select
        records.*,
        coalesce(contact_by_key.contact_id, email_owner.contact_id, phone_owner.contact_id,
                 phone2_owner.contact_id) as contact_id,
        coalesce(
            account_by_key.account_id,
            contact_by_key.account_id,
            email_owner.account_id,
            phone_owner.account_id,
            phone2_owner.account_id,
            service_org_accounts.account_id
        ) as account_id,
        case
            when account_by_key.account_id is not null or contact_by_key.contact_id is not null then 'crm_key'
            when email_owner.account_id is not null then 'email'
            when phone_owner.account_id is not null or phone2_owner.account_id is not null then 'phone'
            when service_org_accounts.account_id is not null then 'service_organization'
        end as match_method
    from records
    left join accounts as account_by_key on records.crm_account_id = account_by_key.account_id
    left join contacts as contact_by_key on records.crm_contact_id = contact_by_key.contact_id
    left join owners as email_owner
        on email_owner.identifier_type = 'email' and records.email = email_owner.identifier_value
        and not email_owner.is_shared
    left join owners as phone_owner
        on phone_owner.identifier_type = 'phone' and records.phone_e164 = phone_owner.identifier_value
    left join owners as phone2_owner
        on phone2_owner.identifier_type = 'phone' and records.phone2_e164 = phone2_owner.identifier_value
        and not phone2_owner.is_shared
    left join service_org_accounts on records.service_organization_id = service_org_accounts.service_organization_id
),

keyed as (
    select
        source_system,
        source_table,
        source_record_id,
        record_kind,
        full_name,
        email,
        phone_e164,
        seen_at,
        account_id,
        contact_id,
        coalesce(match_method, 'unmatched') as match_method,
        -- the customer: the CRM account, else the record itself (an unknown caller is one
        -- customer per number, so repeated calls from it stay together)
        case
            when account_id is not null then 'sales|Account|' || account_id
            when source_table = 'cdr' and phone_e164 is not null then 'call_center|phone|' || phone_e164
            else source_system || '|' || source_table || '|' || source_record_id
        end as customer_key,
        case
            when record_kind <> 'person' then null
            when contact_id is not null then 'sales|Contact|' || contact_id
            when source_table = 'cdr' and phone_e164 is not null then 'call_center|phone|' || phone_e164
            else source_system || '|' || source_table || '|' || source_record_id
        end as person_key
    from linked
)

select * from keyed
