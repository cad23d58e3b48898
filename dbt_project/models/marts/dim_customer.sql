with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_identity__resolved_records') }}
),

accounts as (
    select * from {{ ref('stg_sales__accounts') }} where not is_deleted
),

contacts as (
    select * from {{ ref('stg_sales__contacts') }} where not is_deleted
),

-- one row per customer with what all its records say
customer_records as (
    select
        identity_map.customer_id,
        min(identity_map.crm_account_id) as account_id,
        min(records.seen_at) as first_seen_at,
        string_agg(distinct identity_map.source_system, ',' order by identity_map.source_system) as source_systems,
        -- for customers outside the CRM: the best the records themselves say
        min(records.full_name) as record_name,
        min(records.email) as record_email,
        min(records.phone_e164) as record_phone,
        bool_and(records.source_table = 'cdr' or records.match_method = 'unmatched' and records.full_name is null) as is_only_unknown,
        bool_or(records.record_kind = 'organization') as has_organization_record,
        bool_or(records.source_table = 'Lead') as has_lead
    from identity_map
    inner join records
        on identity_map.source_system = records.source_system
        and identity_map.source_table = records.source_table
        and identity_map.source_record_id = records.source_record_id
    group by identity_map.customer_id
),

account_contacts as (
    select
        account_id,
        count(*) as contacts,
        min(concat_ws('', last_name, first_name)) as only_contact_name,
        min(concat_ws(' ', first_name, last_name)) as only_contact_name_western,
        -- the contact reached first: the earliest-created one with the channel allowed
        arg_min(email, created_at) filter (where email is not null and not has_opted_out_of_email) as primary_email,
        arg_min(coalesce(mobile_phone_e164, phone_e164), created_at)
            filter (where coalesce(mobile_phone_e164, phone_e164) is not null and not is_do_not_call) as contact_phone,
        bool_or(email is not null and not has_opted_out_of_email
                or coalesce(mobile_phone_e164, phone_e164) is not null and not is_do_not_call) as has_reachable_contact
    from contacts
    group by account_id
),

customers as (
    select
        customer_records.customer_id,
        case
            when accounts.account_id is not null then
                case
                    when accounts.industry is null and accounts.registration_number is null
                        and account_contacts.contacts = 1
                        and accounts.account_name in (account_contacts.only_contact_name, account_contacts.only_contact_name_western)
                        then 'person'
                    else 'organization'
                end
            when customer_records.is_only_unknown then 'unidentified'
            when customer_records.has_organization_record then 'organization'
            else 'person'
        end as customer_type,
        coalesce(accounts.account_name, customer_records.record_name, customer_records.record_phone,
                 'unknown ' || customer_records.customer_id) as display_name,
        coalesce(account_contacts.primary_email, customer_records.record_email) as primary_email,
        coalesce(account_contacts.contact_phone, accounts.phone_e164, customer_records.record_phone) as primary_phone,
        accounts.billing_city as city,
        accounts.billing_country as country,
        accounts.industry,
        accounts.account_id as crm_account_id,
        accounts.account_type as crm_account_type,
        customer_records.first_seen_at,
        customer_records.source_systems,
        case
            when accounts.account_id is not null then coalesce(account_contacts.has_reachable_contact, accounts.phone_e164 is not null)
            else customer_records.record_email is not null or customer_records.record_phone is not null
        end as is_contactable
    from customer_records
    left join accounts on customer_records.account_id = accounts.account_id
    left join account_contacts on accounts.account_id = account_contacts.account_id
)

select * from customers
