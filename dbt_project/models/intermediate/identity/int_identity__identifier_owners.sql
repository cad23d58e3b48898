{#- Who owns each e-mail and phone number according to the CRM. A value held by more than
    `shared_identifier_max_people` distinct people (a switchboard, a placeholder) is shared:
    it may still point to one account, but never to one person. -#}
with records as (
    select * from {{ ref('int_identity__source_records') }}
    where source_system = 'sales' and source_table in ('Contact', 'Account')
),

identifiers as (
    select 'email' as identifier_type, email as identifier_value, source_table, crm_account_id,
           crm_contact_id, full_name
    from records where email is not null
    union all
    select 'phone', phone_e164, source_table, crm_account_id, crm_contact_id, full_name
    from records where phone_e164 is not null
    union all
    select 'phone', phone2_e164, source_table, crm_account_id, crm_contact_id, full_name
    from records where phone2_e164 is not null
),

owners as (
    select
        identifier_type,
        identifier_value,
        count(distinct crm_account_id) as accounts,
        count(distinct case when source_table = 'Contact' then lower(full_name) end) as people,
        min(crm_account_id) as account_id,
        min(crm_contact_id) as contact_id,
        count(distinct crm_contact_id) as contacts
    from identifiers
    group by identifier_type, identifier_value
),

classified as (
    select
        identifier_type,
        identifier_value,
        accounts,
        people,
        people > {{ var('shared_identifier_max_people') }} or (identifier_type = 'phone' and people > 1)
            as is_shared,
        case when accounts = 1 then account_id end as account_id,
        case when contacts = 1 and people <= 1 then contact_id end as contact_id
    from owners
)

select * from classified
