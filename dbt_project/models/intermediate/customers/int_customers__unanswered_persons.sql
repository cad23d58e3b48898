{#- The persons the company tried and did not hear from, at the end of each month of
    int_customers__reachability_months (the night's own month at the as-of moment): the company
    tried them at least twice in the 90 days before (CRM e-mails to their contact or lead, marked
    completed: sent; calls the PBX placed to them that nobody answered) and heard nothing from
    them since the first of those times: no call of theirs or answered call of the company's, no
    ticket, ticket comment or rating of theirs, and no completed CRM call, meeting or visit with
    them. One row per month and person. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }} where person_id is not null
),

months as (
    select month_start_date, measured_at from {{ ref('int_customers__reachability_months') }}
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
    select
        months.month_start_date,
        months.measured_at,
        reached_out.person_id,
        min(reached_out.reached_at) as first_reached_at
    from reached_out
    inner join months
        on reached_out.reached_at > {{ dbt.dateadd('day', -90, 'months.measured_at') }}
        and reached_out.reached_at <= months.measured_at
    group by months.month_start_date, months.measured_at, reached_out.person_id
    having count(*) >= 2
),

unanswered as (
    select recent.month_start_date, recent.measured_at, recent.person_id
    from recently_reached_out as recent
    left join heard_from
        on heard_from.person_id = recent.person_id
        and heard_from.heard_at >= recent.first_reached_at
        and heard_from.heard_at <= recent.measured_at
    group by recent.month_start_date, recent.measured_at, recent.person_id
    having count(heard_from.person_id) = 0
)

select * from unanswered
