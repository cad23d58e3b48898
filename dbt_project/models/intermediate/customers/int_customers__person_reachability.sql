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

tickets as (
    select ticket_id, requester_id, created_at from {{ ref('stg_service__tickets') }}
),

requesters as (
    select person_id, user_id as requester_id from {{ ref('int_customers__desk_users') }}
),

person_tasks as (
    select identity_map.person_id, lower(tasks.task_type) as task_type, lower(tasks.task_status) as task_status,
           tasks.created_at
    from {{ ref('stg_sales__tasks') }} as tasks
    inner join identity_map
        on identity_map.source_system = 'sales' and identity_map.source_table in ('Contact', 'Lead')
        and identity_map.source_record_id = tasks.who_id
    where not tasks.is_deleted
),

calls as (
    select callers.person_id, calls.started_at, calls.direction, calls.is_answered
    from {{ ref('stg_call_center__calls') }} as calls
    inner join {{ ref('int_customers__calls') }} as callers on callers.call_id = calls.call_id
),

-- the company trying a person: CRM e-mails sent to their contact or lead, calls to them nobody
-- answered (a public reply on a ticket is not counted: a customer who opened a ticket and read
-- the answer has not gone silent)
reached_out as (
    select person_id, created_at as reached_at from person_tasks
    where task_type = 'email' and task_status = 'completed'

    union all

    select person_id, started_at from calls where direction = 'outbound' and not is_answered
),

-- the person's own doing, or a conversation with them
heard_from as (
    select person_id, created_at as heard_at from person_tasks
    where task_type in ('call', 'meeting', 'visit') and task_status = 'completed'

    union all

    select person_id, started_at from calls where direction = 'inbound' or is_answered

    union all

    select requesters.person_id, tickets.created_at
    from tickets
    inner join requesters on requesters.requester_id = cast(tickets.requester_id as {{ dbt.type_string() }})

    union all

    select requesters.person_id, events.created_at
    from {{ ref('stg_service__ticket_events') }} as events
    inner join tickets on tickets.ticket_id = events.ticket_id
    inner join requesters on requesters.requester_id = cast(tickets.requester_id as {{ dbt.type_string() }})
    where events.event_type = 'Comment' and events.author_id = tickets.requester_id

    union all

    select requesters.person_id, ratings.created_at
    from {{ ref('stg_service__satisfaction_ratings') }} as ratings
    inner join requesters on requesters.requester_id = cast(ratings.requester_id as {{ dbt.type_string() }})
),

recently_reached_out as (
    select reached_out.person_id, min(reached_out.reached_at) as first_reached_at
    from reached_out
    cross join as_of
    where reached_out.reached_at > {{ dbt.dateadd('day', -90, 'as_of.as_of_at') }}
        and reached_out.reached_at <= as_of.as_of_at
    group by reached_out.person_id
    having count(*) >= 2
),

unanswered as (
    select recent.person_id
    from recently_reached_out as recent
    left join heard_from on heard_from.person_id = recent.person_id and heard_from.heard_at >= recent.first_reached_at
    group by recent.person_id
    having count(heard_from.person_id) = 0
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
        coalesce(contacts.is_do_not_call, false) as is_do_not_call
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
        bool_or(is_do_not_call) as is_do_not_call
    from person_records
    group by customer_id, person_id
),

judged as (
    select
        persons.customer_id,
        persons.person_id,
        persons.is_named,
        persons.has_opted_out_of_email,
        persons.is_do_not_call,
        coalesce(phone_kinds.own_phones, 0) as own_phones,
        coalesce(email_kinds.own_emails, 0) as own_emails,
        case
            when not persons.is_named then 'unidentified caller'
            when coalesce(phone_kinds.own_phones, 0) > 0 and persons.is_do_not_call then 'do-not-call'
            when coalesce(phone_kinds.own_phones, 0) > 0 and unanswered.person_id is not null then 'unanswered recently'
            when coalesce(phone_kinds.own_phones, 0) > 0 then null
            when coalesce(phone_kinds.shared_phones, 0) > 0 then 'only a shared switchboard or line'
            else 'no valid number'
        end as phone_unreachable_reason,
        case
            when not persons.is_named then 'unidentified caller'
            when coalesce(email_kinds.own_emails, 0) > 0 and persons.has_opted_out_of_email then 'opted out of e-mail'
            when coalesce(email_kinds.own_emails, 0) > 0 and unanswered.person_id is not null then 'unanswered recently'
            when coalesce(email_kinds.own_emails, 0) > 0 then null
            when coalesce(email_kinds.shared_emails, 0) > 0 then 'only a shared mailbox'
            else 'no valid address'
        end as email_unreachable_reason
    from persons
    left join phone_kinds on phone_kinds.person_id = persons.person_id
    left join email_kinds on email_kinds.person_id = persons.person_id
    left join unanswered on unanswered.person_id = persons.person_id
),

final as (
    select
        customer_id,
        person_id,
        phone_unreachable_reason is null as is_reachable_by_phone,
        email_unreachable_reason is null as is_reachable_by_email,
        phone_unreachable_reason,
        email_unreachable_reason,
        case
            when phone_unreachable_reason is null or email_unreachable_reason is null then null
            when phone_unreachable_reason = email_unreachable_reason then phone_unreachable_reason
            else phone_unreachable_reason || '; ' || email_unreachable_reason
        end as unreachable_reason
    from judged
)

select * from final
