{#- What happened on each ticket, from its audit events: the agents' public replies (public
    comments by anyone but the requester after creation), the solves and the last solve. -#}
with tickets as (
    select * from {{ ref('stg_service__tickets') }}
),

events as (
    select * from {{ ref('stg_service__ticket_events') }}
),

activity as (
    select
        tickets.ticket_id,
        min(case when events.event_type = 'Comment' and events.is_public
                      and events.author_id <> tickets.requester_id and events.created_at >= tickets.created_at
                 then events.created_at end) as first_reply_at,
        count(case when events.event_type = 'Comment' and events.is_public
                        and events.author_id <> tickets.requester_id then 1 end) as agent_public_replies,
        count(case when events.event_type = 'Change' and events.field_name = 'status'
                        and events.new_value = 'solved' then 1 end) as solves,
        max(case when events.event_type = 'Change' and events.field_name = 'status'
                      and events.new_value = 'solved' then events.created_at end) as last_solved_at
    from tickets
    left join events on events.ticket_id = tickets.ticket_id
    group by tickets.ticket_id
)

select * from activity
