{#- One row per ticket with its clocks in calendar and business minutes and its SLA. -#}
with tickets as (
    select * from {{ ref('stg_service__tickets') }}
),

activity as (
    select * from {{ ref('int_service__ticket_activity') }}
),

requesters as (
    select * from {{ ref('int_customers__desk_users') }}
),

now as (
    select {{ as_of() }} as as_of_at
),

{% set first_reply = var('first_reply_business_minutes') %}
{% set resolution = var('full_resolution_business_minutes') %}
measured as (
    select
        tickets.ticket_id,
        requesters.customer_id,
        tickets.created_at,
        coalesce(tickets.priority, 'normal') as priority,
        tickets.status,
        tickets.via_channel,
        tickets.is_complaint,
        tickets.is_compensation_claim,
        tickets.order_number,
        activity.first_reply_at,
        case when tickets.status in ('solved', 'closed') then activity.last_solved_at end as solved_at,
        activity.solves,
        activity.agent_public_replies,
        now.as_of_at
    from tickets
    inner join requesters on requesters.user_id = cast(tickets.requester_id as {{ dbt.type_string() }})
    left join activity on activity.ticket_id = tickets.ticket_id
    cross join now
),

clocks as (
    select
        measured.*,
        {{ dbt.datediff('created_at', 'first_reply_at', 'minute') }} as first_reply_calendar_minutes,
        {{ business_minutes('created_at', 'created_day', 'first_reply_at', 'first_reply_day') }}
            as first_reply_business_minutes,
        {{ dbt.datediff('created_at', 'solved_at', 'minute') }} as full_resolution_calendar_minutes,
        {{ business_minutes('created_at', 'created_day', 'solved_at', 'solved_day') }}
            as full_resolution_business_minutes,
        -- how long an unanswered or unsolved ticket has been waiting so far
        {{ business_minutes('created_at', 'created_day', 'as_of_at', 'as_of_day') }} as open_business_minutes,
        case priority
            {%- for p, minutes in first_reply.items() %}
            when '{{ p }}' then {{ minutes }}
            {%- endfor %}
        end as first_reply_target_business_minutes,
        case priority
            {%- for p, minutes in resolution.items() %}
            when '{{ p }}' then {{ minutes }}
            {%- endfor %}
        end as full_resolution_target_business_minutes
    from measured
    {{ working_day_of('created_at', 'created_day') }}
    {{ working_day_of('first_reply_at', 'first_reply_day') }}
    {{ working_day_of('solved_at', 'solved_day') }}
    {{ working_day_of('as_of_at', 'as_of_day') }}
),

final as (
    select
        ticket_id,
        customer_id,
        created_at,
        priority,
        status,
        via_channel,
        is_complaint,
        is_compensation_claim,
        order_number,
        first_reply_at,
        solved_at,
        first_reply_calendar_minutes,
        first_reply_business_minutes,
        full_resolution_calendar_minutes,
        full_resolution_business_minutes,
        greatest(coalesce(solves, 0) - 1, 0) as reopens,
        solved_at is not null and solves = 1 and agent_public_replies = 1 as is_one_touch,
        first_reply_target_business_minutes,
        full_resolution_target_business_minutes,
        coalesce(first_reply_business_minutes, open_business_minutes) > first_reply_target_business_minutes
            as is_first_reply_breached,
        coalesce(full_resolution_business_minutes, open_business_minutes) > full_resolution_target_business_minutes
            as is_resolution_breached,
        coalesce(first_reply_business_minutes, open_business_minutes) > first_reply_target_business_minutes
            or coalesce(full_resolution_business_minutes, open_business_minutes) > full_resolution_target_business_minutes
            as is_sla_breached,
        status in ('new', 'open', 'pending', 'hold') as is_open,
        case when status in ('new', 'open', 'pending', 'hold')
             then {{ dbt.datediff('created_at', 'as_of_at', 'day') }} end as backlog_age_days
    from clocks
)

select * from final
