{#- Every source record that names a customer or a person, with what identity resolution
    compares: the name as written, e-mail, E.164 phones, the organization name, city and
    registration number, and the CRM keys other systems copy (account and contact ids, and
    the account behind an order number). One row per record; resolution itself runs in
    Python (identity/, splink) and writes the `identity` schema. -#}
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

tickets as (
    select * from {{ ref('stg_service__tickets') }}
),

-- the account a service user's tickets name through their order numbers, when they all name one
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
        'organization' as record_kind, account_name as full_name, cast(null as {{ dbt.type_string() }}) as email,
        phone_e164, cast(null as {{ dbt.type_string() }}) as phone2_e164, account_id as crm_account_id,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id, cast(null as bigint) as service_organization_id,
        lower(regexp_replace(website, '^(https?://)?(www\.)?', '')) as domain,
        account_name as organization_name, billing_city as city, registration_number,
        billing_street as address, created_at as seen_at,
        -- the earliest time the record is known to have existed: ids are minted from the first
        -- record of a customer, so that a rebuild of the same sources mints the ids the nights did
        created_at as first_seen_at
    from accounts

    union all

    select
        'sales', 'Contact', contact_id, 'person',
        {{ person_full_name('first_name', 'last_name') }}, email, mobile_phone_e164, phone_e164,
        account_id, contact_id, null, null, null, mailing_city, null, null, created_at, created_at
    from contacts

    union all

    select
        'sales', 'Lead', lead_id, 'person',
        {{ person_full_name('first_name', 'last_name') }}, email, phone_e164, null,
        converted_account_id, converted_contact_id, null, null, company, null, null, null, created_at, created_at
    from leads

    union all

    select
        'service', 'organizations', cast(organization_id as {{ dbt.type_string() }}), 'organization',
        organization_name, null, null, null,
        external_id, null, organization_id, primary_domain, organization_name, null, null, details, created_at, created_at
    from service_organizations

    union all

    select
        'service', 'users', cast(service_users.user_id as {{ dbt.type_string() }}), 'person',
        user_name, email, phone_e164, null,
        user_ticket_accounts.account_id, external_id, organization_id, null, null, null, null, null,
        service_users.created_at, service_users.created_at
    from service_users
    left join user_ticket_accounts on service_users.user_id = user_ticket_accounts.user_id

    union all

    select
        'logistics', 'shipments', shipment_id, 'person',
        recipient_name, null, recipient_phone_e164, null,
        orders.account_id, null, null, null, null, ship_to_city, null, ship_to_address, shipments.updated_at,
        -- a shipment is first written when it ships; updated_at moves on with its status
        least(cast(shipments.ship_date as timestamp), shipments.updated_at)
    from shipments
    left join orders on shipments.order_number = orders.order_number

    union all

    select
        'logistics', 'installations', work_order_id, 'person',
        contact_name, null, contact_phone_e164, null,
        orders.account_id, null, null, null, site_name, null, null, site_address, installations.updated_at,
        least(cast(installations.scheduled_date as timestamp), installations.updated_at)
    from installations
    left join orders on installations.order_number = orders.order_number

    union all

    select
        'call_center', 'cdr', call_id, 'person',
        caller_name, null, party_e164, null,
        null, null, null, null, null, null, null, null, started_at, started_at
    from calls
)

select * from records
