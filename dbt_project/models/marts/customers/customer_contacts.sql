{#- One row per person of a customer (one no record names too, without a name): who they are,
    what they decide (their roles on the customer's CRM opportunities), when the company last
    touched them, and whether and how it can reach them (int_customers__person_reachability). -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }} where person_id is not null
),

records as (
    select * from {{ ref('int_identity__source_records') }}
),

contacts as (
    select * from {{ ref('stg_sales__contacts') }} where not is_deleted
),

roles as (
    select * from {{ ref('stg_sales__opportunity_contact_roles') }} where not is_deleted
),

opportunities as (
    select * from {{ ref('stg_sales__opportunities') }} where not is_deleted
),

reachability as (
    select * from {{ ref('int_customers__person_reachability') }}
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

now as (
    select {{ as_of() }} as as_of_at
),

-- the name a person goes by: their CRM contact's, else the service desk's, else the most
-- recent of any other record
person_records as (
    select
        identity_map.customer_id,
        identity_map.person_id,
        identity_map.source_system,
        identity_map.source_table,
        identity_map.source_record_id,
        records.full_name,
        records.seen_at,
        case identity_map.source_table when 'Contact' then 1 when 'users' then 2 when 'Lead' then 3 else 4 end
            as name_priority
    from identity_map
    inner join records using (source_system, source_table, source_record_id)
),

persons as (
    select
        customer_id,
        person_id,
        {{ arg_min('full_name', ['name_priority', '-' ~ epoch_microseconds('seen_at'), 'source_record_id']) }}
            as display_name,
        min(case when source_table = 'Contact' then source_record_id end) as crm_contact_id
    from person_records
    where full_name is not null
    group by customer_id, person_id
),

-- roles on opportunities still open or closed within the last year are current; older ones history
person_roles as (
    select
        person_records.person_id,
        roles.contact_role,
        roles.is_primary,
        not opportunities.is_closed
            or opportunities.close_date >= cast({{ dbt.dateadd('day', -365, 'now.as_of_at') }} as date) as is_current
    from person_records
    inner join roles on person_records.source_table = 'Contact' and roles.contact_id = person_records.source_record_id
    inner join opportunities on opportunities.opportunity_id = roles.opportunity_id
    cross join now
),

role_lists as (
    select
        person_id,
        -- none is null on every engine (an empty list joins to '' on Spark)
        nullif({{ sorted_distinct_list('case when is_current then contact_role end', ', ') }}, '') as buying_roles,
        nullif({{ sorted_distinct_list('case when not is_current then contact_role end', ', ') }}, '')
            as past_buying_roles,
        coalesce(bool_or(is_current and is_primary), false) as is_primary_contact
    from person_roles
    group by person_id
),

requesters as (
    select * from {{ ref('int_customers__desk_users') }}
),

tickets as (
    select ticket_id, requester_id, created_at from {{ ref('stg_service__tickets') }}
),

-- each department's dealings with the person, read from the records that name them: the
-- touchpoints of their own records (deliveries and installations addressed to them, calls from
-- or to their number), CRM tasks on their contact or lead, the tickets they asked with every
-- comment on them, and their ratings
department_touches as (
    select person_records.person_id, touchpoints.department, touchpoints.occurred_at as touched_at
    from person_records
    inner join touchpoints
        on touchpoints.source_system = person_records.source_system
        and touchpoints.source_table = person_records.source_table
        and touchpoints.source_record_id = person_records.source_record_id

    union all

    select person_records.person_id, 'sales', tasks.created_at
    from {{ ref('stg_sales__tasks') }} as tasks
    inner join person_records
        on person_records.source_table in ('Contact', 'Lead') and person_records.source_record_id = tasks.who_id
    where not tasks.is_deleted

    union all

    select requesters.person_id, 'service', tickets.created_at
    from tickets
    inner join requesters on requesters.user_id = cast(tickets.requester_id as {{ dbt.type_string() }})

    union all

    select requesters.person_id, 'service', events.created_at
    from {{ ref('stg_service__ticket_events') }} as events
    inner join tickets on tickets.ticket_id = events.ticket_id
    inner join requesters on requesters.user_id = cast(tickets.requester_id as {{ dbt.type_string() }})
    where events.event_type = 'Comment'

    union all

    select requesters.person_id, 'service', ratings.created_at
    from {{ ref('stg_service__satisfaction_ratings') }} as ratings
    inner join requesters on requesters.user_id = cast(ratings.requester_id as {{ dbt.type_string() }})
),

-- the newest touch, and each department's (sales may have been silent for a year while service
-- talks to them every week)
last_touch as (
    select
        person_id,
        max(touched_at) as last_touch_at,
        max(case when department = 'sales' then touched_at end) as last_sales_touch_at,
        max(case when department = 'service' then touched_at end) as last_service_touch_at,
        max(case when department = 'logistics' then touched_at end) as last_logistics_touch_at,
        max(case when department = 'call_center' then touched_at end) as last_call_center_touch_at
    from department_touches
    group by person_id
),

final as (
    select
        reachability.customer_id,
        reachability.person_id,
        persons.display_name,
        contacts.title,
        role_lists.buying_roles,
        role_lists.past_buying_roles,
        coalesce(role_lists.is_primary_contact, false) as is_primary_contact,
        last_touch.last_touch_at,
        last_touch.last_sales_touch_at,
        last_touch.last_service_touch_at,
        last_touch.last_logistics_touch_at,
        last_touch.last_call_center_touch_at,
        reachability.is_reachable_by_phone,
        reachability.is_reachable_by_email,
        reachability.phone_unreachable_reason,
        reachability.email_unreachable_reason,
        reachability.unreachable_reason
    -- every person, one no record names too (a number that called, say): the company knows of
    -- them and cannot reach them, and customer_reachability_monthly counts them
    from reachability
    left join persons on persons.person_id = reachability.person_id
    left join contacts on contacts.contact_id = persons.crm_contact_id
    left join role_lists on role_lists.person_id = reachability.person_id
    left join last_touch on last_touch.person_id = reachability.person_id
)

select * from final
