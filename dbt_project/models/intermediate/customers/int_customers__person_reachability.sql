{#- One row per person (of any customer): can the company reach them, by phone, by e-mail,
    and if not, why. Judged on the person as identity resolution sees them (all their records,
    in every system), so an opt-out or a do-not-call on one record holds for all of them.

    - by phone: a number of their own (a valid E.164 number that is no shared identifier:
      neither an organization's switchboard nor a line several people give) and no record of
      theirs marked Do Not Call;
    - by e-mail: an address of their own (a well-formed address that is no shared mailbox) and
      no record of theirs opted out of e-mail;
    - and either way: not unanswered recently, that is the company tried them at least twice
      in the last 90 days (CRM e-mails to their contact or lead, marked completed: sent; calls
      the PBX placed to them that nobody answered) and heard nothing from them since the first
      of those times: no call of theirs or answered call of the company's, no ticket, ticket
      comment or rating of theirs, and no completed CRM call, meeting or visit with them. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }} where person_id is not null
),

records as (
    select * from {{ ref('int_identity__source_records') }}
),

contacts as (
    select * from {{ ref('stg_sales__contacts') }} where not is_deleted
),

shared as (
    select identifier_type, identifier_value, reason from {{ source('identity', 'shared_identifiers') }}
),

as_of as (
    select {{ as_of() }} as as_of_at
),

-- tried at least twice lately and not heard from since, tonight (int_customers__unanswered_persons)
unanswered as (
    select unanswered.person_id
    from {{ ref('int_customers__unanswered_persons') }} as unanswered
    inner join as_of on unanswered.measured_at = as_of.as_of_at
),

person_records as (
    select
        identity_map.customer_id,
        identity_map.person_id,
        identity_map.customer_type,
        records.full_name,
        lower(trim(records.email)) as email,
        records.phone_e164,
        records.phone2_e164,
        coalesce(contacts.has_opted_out_of_email, false) as has_opted_out_of_email,
        coalesce(contacts.is_do_not_call, false) as is_do_not_call,
        records.first_seen_at
    from identity_map
    inner join records using (source_system, source_table, source_record_id)
    left join contacts on records.source_table = 'Contact' and records.source_record_id = contacts.contact_id
),

phones as (
    select customer_id, person_id, phone_e164 as phone from person_records where phone_e164 is not null
    union
    select customer_id, person_id, phone2_e164 from person_records where phone2_e164 is not null
),

phone_kinds as (
    select
        phones.person_id,
        count(*) filter (where shared.identifier_value is null) as own_phones,
        count(*) filter (where shared.identifier_value is not null) as shared_phones
    from phones
    left join shared on shared.identifier_type = 'phone' and shared.identifier_value = phones.phone
    group by phones.person_id
),

email_kinds as (
    select
        person_records.person_id,
        count(distinct person_records.email) filter (where shared.identifier_value is null) as own_emails,
        count(distinct person_records.email) filter (where shared.identifier_value is not null) as shared_emails
    from person_records
    left join shared on shared.identifier_type = 'email' and shared.identifier_value = person_records.email
    where {{ regexp_contains('person_records.email', "'^[^@ ]+@[^@ ]+[.][^@ ]+$'") }}
    group by person_records.person_id
),

persons as (
    select
        customer_id,
        person_id,
        min(customer_type) as customer_type,
        bool_or(full_name is not null) as is_named,
        bool_or(has_opted_out_of_email) as has_opted_out_of_email,
        bool_or(is_do_not_call) as is_do_not_call,
        min(first_seen_at) as first_seen_at
    from person_records
    group by customer_id, person_id
),

judged as (
    select
        persons.customer_id,
        persons.person_id,
        persons.first_seen_at,
        persons.is_named,
        persons.has_opted_out_of_email,
        persons.is_do_not_call,
        coalesce(phone_kinds.own_phones, 0) as own_phones,
        coalesce(phone_kinds.shared_phones, 0) as shared_phones,
        coalesce(email_kinds.own_emails, 0) as own_emails,
        coalesce(email_kinds.shared_emails, 0) as shared_emails,
        unanswered.person_id is not null as is_unanswered_recently
    from persons
    left join phone_kinds on phone_kinds.person_id = persons.person_id
    left join email_kinds on email_kinds.person_id = persons.person_id
    left join unanswered on unanswered.person_id = persons.person_id
),

reasons as (
    select
        *,
        {{ unreachable_reason('phone', 'is_named', 'own_phones', 'shared_phones', 'is_do_not_call',
                              'is_unanswered_recently') }} as phone_unreachable_reason,
        {{ unreachable_reason('email', 'is_named', 'own_emails', 'shared_emails', 'has_opted_out_of_email',
                              'is_unanswered_recently') }} as email_unreachable_reason
    from judged
),

final as (
    select
        customer_id,
        person_id,
        first_seen_at,
        is_named,
        is_do_not_call,
        has_opted_out_of_email,
        own_phones,
        shared_phones,
        own_emails,
        shared_emails,
        is_unanswered_recently,
        phone_unreachable_reason is null as is_reachable_by_phone,
        email_unreachable_reason is null as is_reachable_by_email,
        phone_unreachable_reason,
        email_unreachable_reason,
        case
            when phone_unreachable_reason is null or email_unreachable_reason is null then null
            when phone_unreachable_reason = email_unreachable_reason then phone_unreachable_reason
            else phone_unreachable_reason || '; ' || email_unreachable_reason
        end as unreachable_reason
    from reasons
)

select * from final
