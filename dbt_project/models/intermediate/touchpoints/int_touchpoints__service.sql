{#- The service desk's touchpoints of each customer: tickets opened, their status changes and
    public comments after opening, and satisfaction ratings.
    One of fct_touchpoints' four parts, built on its own for memory (_touchpoints__docs.md). -#}
with requesters as (
    select user_id as source_record_id, customer_id from {{ ref('int_customers__desk_users') }}
),

tickets as (
    select * from {{ ref('stg_service__tickets') }}
),

ticket_events as (
    select * from {{ ref('stg_service__ticket_events') }}
),

ratings as (
    select * from {{ ref('stg_service__satisfaction_ratings') }}
),

events as (
    select
        requesters.customer_id, tickets.created_at as occurred_at, 'service' as department,
        coalesce(tickets.via_channel, 'unknown') as channel,
        case when tickets.is_complaint then 'complaint_opened' else 'ticket_opened' end as touchpoint_type,
        'Ticket #' || cast(tickets.ticket_id as {{ dbt.type_string() }}) || ': ' || coalesce(tickets.subject, '') as summary,
        'inbound' as direction, tickets.status as outcome, 'service' as source_system, 'tickets' as source_table,
        cast(tickets.ticket_id as {{ dbt.type_string() }}) as source_record_id
    from tickets
    inner join requesters on cast(tickets.requester_id as {{ dbt.type_string() }}) = requesters.source_record_id

    union all

    -- public replies to the customer, the customer's own follow-ups (not the opening comment),
    -- and every status change
    select
        requesters.customer_id, ticket_events.created_at, 'service', coalesce(tickets.via_channel, 'unknown'),
        case
            when ticket_events.event_type = 'Change' then 'ticket_status_changed'
            when ticket_events.author_id = tickets.requester_id then 'ticket_comment'
            else 'ticket_reply'
        end,
        'Ticket #' || cast(tickets.ticket_id as {{ dbt.type_string() }}) || case
            when ticket_events.event_type = 'Change'
                then ': ' || coalesce(ticket_events.previous_value, 'new') || ' → ' || ticket_events.new_value
            when ticket_events.author_id = tickets.requester_id then ': customer wrote'
            else ': agent replied'
        end,
        case when ticket_events.event_type = 'Comment' and ticket_events.author_id = tickets.requester_id
             then 'inbound' else 'outbound' end,
        coalesce(ticket_events.new_value, tickets.status), 'service', 'ticket_events',
        cast(ticket_events.ticket_event_id as {{ dbt.type_string() }})
    from ticket_events
    inner join tickets on ticket_events.ticket_id = tickets.ticket_id
    inner join requesters on cast(tickets.requester_id as {{ dbt.type_string() }}) = requesters.source_record_id
    where (ticket_events.event_type = 'Change' and ticket_events.field_name = 'status')
        or (ticket_events.event_type = 'Comment' and ticket_events.is_public
            and ticket_events.created_at > tickets.created_at)

    union all

    select
        requesters.customer_id, ratings.created_at, 'service', 'survey', 'satisfaction_rating',
        -- with the customer's own words, where they wrote some
        'Rated ticket #' || cast(ratings.ticket_id as {{ dbt.type_string() }}) || ' ' || ratings.score
            || coalesce(': “' || nullif(trim(ratings.comment), '') || '”', ''),
        'inbound', ratings.score, 'service', 'satisfaction_ratings', cast(ratings.satisfaction_rating_id as {{ dbt.type_string() }})
    from ratings
    inner join requesters on cast(ratings.requester_id as {{ dbt.type_string() }}) = requesters.source_record_id
)

select * from events
