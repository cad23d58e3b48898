{#- Every interaction with a customer, from all four systems, on one timeline. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

account_customers as (
    select * from {{ ref('int_customers__crm_accounts') }}
),

tasks as (
    select * from {{ ref('stg_sales__tasks') }} where not is_deleted
),

orders as (
    select * from {{ ref('stg_sales__orders') }} where not is_deleted
),

surveys as (
    select * from {{ ref('stg_sales__survey_responses') }} where not is_deleted
),

tickets as (
    select * from {{ ref('stg_service__tickets') }}
),

ratings as (
    select * from {{ ref('stg_service__satisfaction_ratings') }}
),

shipments as (
    select * from {{ ref('stg_logistics__shipments') }}
),

tracking as (
    select * from {{ ref('stg_logistics__tracking_events') }}
),

installations as (
    select * from {{ ref('stg_logistics__installations') }}
),

calls as (
    select * from {{ ref('stg_call_center__calls') }}
),

ivr as (
    select * from {{ ref('stg_call_center__ivr_responses') }}
),

opportunities as (
    select * from {{ ref('stg_sales__opportunities') }} where not is_deleted
),

ticket_events as (
    select * from {{ ref('stg_service__ticket_events') }}
),

requesters as (
    select user_id as source_record_id, customer_id from {{ ref('int_customers__desk_users') }}
),

call_customers as (
    select * from {{ ref('int_customers__calls') }}
),

events as (
    select
        account_customers.customer_id, tasks.created_at as occurred_at, 'sales' as department,
        lower(tasks.task_type) as channel, 'crm_activity' as touchpoint_type,
        tasks.task_type || ': ' || tasks.subject as summary, 'outbound' as direction,
        tasks.task_status as outcome, 'sales' as source_system, 'Task' as source_table, tasks.task_id as source_record_id
    from tasks
    inner join account_customers on tasks.account_id = account_customers.crm_account_id

    union all

    select
        account_customers.customer_id, orders.created_at, 'sales', 'order', 'order_placed',
        'Order ' || orders.order_number || ', ' || cast(round(orders.total_amount) as bigint) || ' total',
        'inbound', orders.order_status, 'sales', 'Order', orders.order_id
    from orders
    inner join account_customers on orders.account_id = account_customers.crm_account_id

    union all

    select
        account_customers.customer_id, surveys.responded_at, 'sales', 'survey',
        lower(surveys.survey_type) || '_response',
        surveys.survey_type || ' score ' || cast(cast(surveys.score as integer) as {{ dbt.type_string() }}),
        'inbound', cast(cast(surveys.score as integer) as {{ dbt.type_string() }}), 'sales', 'Survey_Response__c', surveys.survey_response_id
    from surveys
    inner join account_customers on surveys.account_id = account_customers.crm_account_id

    union all

    -- an opportunity's stages as the CRM shows them: opened, then won or lost when closed
    select
        account_customers.customer_id, opportunities.created_at, 'sales', 'opportunity', 'opportunity_opened',
        'Opportunity ' || opportunities.opportunity_name || ' opened at ' || opportunities.stage_name,
        'outbound', opportunities.stage_name, 'sales', 'Opportunity', opportunities.opportunity_id
    from opportunities
    inner join account_customers on opportunities.account_id = account_customers.crm_account_id

    union all

    select
        account_customers.customer_id, cast(opportunities.close_date as timestamp), 'sales', 'opportunity',
        case when opportunities.is_won then 'opportunity_won' else 'opportunity_lost' end,
        'Opportunity ' || opportunities.opportunity_name || ' ' || opportunities.stage_name
            || coalesce(', ' || cast(round(opportunities.amount) as bigint), ''),
        'outbound', opportunities.stage_name, 'sales', 'Opportunity', opportunities.opportunity_id
    from opportunities
    inner join account_customers on opportunities.account_id = account_customers.crm_account_id
    where opportunities.is_closed

    union all

    select
        requesters.customer_id, tickets.created_at, 'service', coalesce(tickets.via_channel, 'unknown'),
        case when tickets.is_complaint then 'complaint_opened' else 'ticket_opened' end,
        'Ticket #' || cast(tickets.ticket_id as {{ dbt.type_string() }}) || ': ' || coalesce(tickets.subject, ''),
        'inbound', tickets.status, 'service', 'tickets', cast(tickets.ticket_id as {{ dbt.type_string() }})
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
        'Rated ticket #' || cast(ratings.ticket_id as {{ dbt.type_string() }}) || ' ' || ratings.score,
        'inbound', ratings.score, 'service', 'satisfaction_ratings', cast(ratings.satisfaction_rating_id as {{ dbt.type_string() }})
    from ratings
    inner join requesters on cast(ratings.requester_id as {{ dbt.type_string() }}) = requesters.source_record_id

    union all

    select
        identity_map.customer_id, coalesce(delivered.event_at, shipments.updated_at), 'logistics', 'delivery',
        case when delivered.event_at is not null then 'shipment_delivered' else 'shipment_dispatched' end,
        'Shipment ' || shipments.shipment_id || ' of order ' || shipments.order_number || ' via ' || shipments.carrier,
        'outbound', shipments.shipment_status, 'logistics', 'shipments', shipments.shipment_id
    from shipments
    inner join identity_map
        on identity_map.source_table = 'shipments' and identity_map.source_record_id = shipments.shipment_id
    left join tracking as delivered
        on delivered.tracking_number = shipments.tracking_number and delivered.event_code = 'DL'

    union all

    -- the carrier's milestones on the way (delivery itself is the shipment's own touchpoint)
    select
        identity_map.customer_id, tracking.event_at, 'logistics', 'delivery', 'shipment_milestone',
        'Shipment ' || shipments.shipment_id || ': ' || coalesce(tracking.remark, tracking.event_code)
            || coalesce(' (' || tracking.location || ')', ''),
        'outbound', tracking.event_code, 'logistics', 'tracking_events', cast(tracking.tracking_event_id as {{ dbt.type_string() }})
    from tracking
    inner join shipments on tracking.tracking_number = shipments.tracking_number
    inner join identity_map
        on identity_map.source_table = 'shipments' and identity_map.source_record_id = shipments.shipment_id
    where tracking.event_code <> 'DL'

    union all

    select
        identity_map.customer_id, coalesce(installations.completed_at, installations.updated_at), 'logistics', 'on_site',
        'installation_' || installations.installation_status,
        'Installation ' || installations.work_order_id || ' (promised by ' || cast(installations.promised_by_date as {{ dbt.type_string() }}) || ')',
        'outbound', installations.installation_status, 'logistics', 'installations', installations.work_order_id
    from installations
    inner join identity_map
        on identity_map.source_table = 'installations' and identity_map.source_record_id = installations.work_order_id

    union all

    select
        call_customers.customer_id, calls.started_at, 'call_center', 'phone',
        case when calls.is_answered then 'call_answered' else 'call_abandoned' end,
        'Call to ' || coalesce(calls.queue_name, 'hotline') || ', '
            || case when calls.is_answered then cast(calls.billable_seconds as {{ dbt.type_string() }}) || ' s talk'
                    else 'hung up after ' || cast(calls.duration_seconds as {{ dbt.type_string() }}) || ' s' end,
        'inbound', calls.disposition, 'call_center', 'cdr', calls.call_id
    from calls
    inner join call_customers on call_customers.call_id = calls.call_id

    union all

    select
        call_customers.customer_id, ivr.answered_at, 'call_center', 'ivr', 'ivr_survey',
        'IVR CSAT ' || cast(ivr.score as {{ dbt.type_string() }}) || ' of 5', 'inbound', cast(ivr.score as {{ dbt.type_string() }}),
        'call_center', 'ivr_survey', ivr.ivr_response_id
    from ivr
    inner join call_customers on call_customers.call_id = ivr.call_id
    where ivr.question = 'csat'
),

final as (
    select
        {{ surrogate_key(['source_system', 'source_table', 'source_record_id', 'touchpoint_type']) }} as touchpoint_id,
        customer_id,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        department,
        channel,
        direction,
        touchpoint_type,
        summary,
        outcome,
        source_system,
        source_table,
        source_record_id
    from events
    where occurred_at is not null
)

-- published sorted (c360.warehouse.PUBLISHED_ORDER) by customer: one customer's timeline then lies in a few row groups, which DuckDB
-- finds by their min/max without reading the rest (the Customer 360 page, `c360 customer`)
select * from final
