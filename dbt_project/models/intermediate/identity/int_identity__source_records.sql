{#- Every source record that names a customer or a person, with the keys it carries:
    names, e-mail, E.164 phone, and the CRM keys other systems copy (account and contact
    ids, order numbers). One row per record. -#}
with accounts as (
    select * from {{ ref('stg_sales__accounts') }} where not is_deleted
),

contacts as (
    select * from {{ ref('stg_sales__contacts') }} where not is_deleted
),

leads as (
    select * from {{ ref('stg_sales__leads') }} where not is_deleted
),

service_users as (
    select * from {{ ref('stg_service__users') }} where user_role = 'end-user'
),

service_organizations as (
    select * from {{ ref('stg_service__organizations') }}
),

tickets as (
    select * from {{ ref('stg_service__tickets') }}
),

shipments as (
    select * from {{ ref('stg_logistics__shipments') }}
),

installations as (
    select * from {{ ref('stg_logistics__installations') }}
),

calls as (
    select * from {{ ref('stg_call_center__calls') }}
),

orders as (
    select * from {{ ref('stg_sales__orders') }} where not is_deleted
),

-- the order number a service user's tickets name, when all of them name one account
user_ticket_accounts as (
    select
        tickets.requester_id as user_id,
        min(orders.account_id) as account_id
    from tickets
    inner join orders on tickets.order_number = orders.order_number
    group by tickets.requester_id
    having count(distinct orders.account_id) = 1
),

records as (
    select
        'sales' as source_system, 'Account' as source_table, account_id as source_record_id,
        'organization' as record_kind, account_name as full_name, cast(null as varchar) as email,
        phone_e164, cast(null as varchar) as phone2_e164, account_id as crm_account_id,
        cast(null as varchar) as crm_contact_id, cast(null as bigint) as service_organization_id,
        cast(null as varchar) as domain, created_at as seen_at
    from accounts

    union all

    select
        'sales', 'Contact', contact_id, 'person',
        concat_ws(' ', last_name, first_name), email, mobile_phone_e164, phone_e164,
        account_id, contact_id, null, null, created_at
    from contacts

    union all

    select
        'sales', 'Lead', lead_id, 'person',
        concat_ws(' ', last_name, first_name), email, phone_e164, null,
        converted_account_id, converted_contact_id, null, null, created_at
    from leads

    union all

    select
        'service', 'organizations', cast(organization_id as varchar), 'organization',
        organization_name, null, null, null,
        external_id, null, organization_id, primary_domain, created_at
    from service_organizations

    union all

    select
        'service', 'users', cast(service_users.user_id as varchar), 'person',
        user_name, email, phone_e164, null,
        user_ticket_accounts.account_id, external_id, organization_id, null, created_at
    from service_users
    left join user_ticket_accounts on service_users.user_id = user_ticket_accounts.user_id

    union all

    select
        'logistics', 'shipments', shipment_id, 'person',
        recipient_name, null, recipient_phone_e164, null,
        orders.account_id, null, null, null, shipments.updated_at
    from shipments
    left join orders on shipments.order_number = orders.order_number

    union all

    select
        'logistics', 'installations', work_order_id, 'person',
        contact_name, null, contact_phone_e164, null,
        orders.account_id, null, null, null, installations.updated_at
    from installations
    left join orders on installations.order_number = orders.order_number

    union all

    select
        'call_center', 'cdr', call_id, 'person',
        null, null, caller_e164, null,
        null, null, null, null, started_at
    from calls
)

select * from records
