{#- One row per action ever proposed (int_actions__proposals), followed up night after night.
    Incremental: the table keeps last night's actions, and each night returns all of them again
    with their status moved on, so an action keeps its id, proposal time and due time while it
    is open, and its outcome once it is done or superseded:
    - done: the company reached the customer after the proposal (a completed CRM activity on
      their account, an agent's public reply on one of their tickets, or an answered call the
      company placed to them);
    - superseded: tonight's proposals no longer hold it (the reason went away);
    - overdue: still proposed, not done, past its due time;
    - open: still proposed, not done, not yet due.
    A customer that identity merged into another carries its open actions to the new id. -#}
{{ config(
    materialized='incremental',
    unique_key='action_id',
    incremental_strategy=('delete+insert' if target.type == 'duckdb' else 'insert_overwrite'),
    on_schema_change='sync_all_columns',
) }}

with proposals as (
    select * from {{ ref('int_actions__proposals') }}
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

merged_ids as (
    select previous_id, current_id from {{ ref('customer_id_history') }} where change = 'merge'
),

now as (
    select {{ as_of() }} as as_of_at
),

{% if is_incremental() %}
previous as (
    select
        action_id, customer_id, kind, subject_id, action, reason, department, owner_user_id, owner,
        proposed_at, due_at, last_proposed_at, status, done_at, closed_at
    from {{ this }}
),
{% else %}
previous as (
    select
        cast(null as {{ dbt.type_string() }}) as action_id,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as kind,
        cast(null as {{ dbt.type_string() }}) as subject_id,
        cast(null as {{ dbt.type_string() }}) as action,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as department,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        cast(null as {{ dbt.type_string() }}) as owner,
        cast(null as timestamp) as proposed_at,
        cast(null as timestamp) as due_at,
        cast(null as timestamp) as last_proposed_at,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as timestamp) as done_at,
        cast(null as timestamp) as closed_at
    from now
    where 1 = 0
),
{% endif %}

-- last night's actions under the customer's id of tonight
previous_forwarded as (
    select
        previous.action_id, coalesce(merged_ids.current_id, previous.customer_id) as customer_id,
        previous.kind, previous.subject_id, previous.action, previous.reason, previous.department,
        previous.owner_user_id, previous.owner, previous.proposed_at, previous.due_at, previous.last_proposed_at,
        previous.status, previous.done_at, previous.closed_at
    from previous
    left join merged_ids on merged_ids.previous_id = previous.customer_id
),

-- the newest earlier action of each kind, customer and subject: the one tonight's proposal
-- continues, if any
latest as (
    select
        *,
        row_number() over (
            partition by kind, customer_id, subject_id order by proposed_at desc, action_id desc
        ) = 1 as is_latest
    from previous_forwarded
),

last_night as (
    select max(last_proposed_at) as last_night_at from previous_forwarded
),

still_to_do as (
    select * from latest where status in ('open', 'overdue')
),

-- a done action whose reason has held every night since stays done: the reason was acted on
still_acted_on as (
    select latest.action_id
    from latest
    cross join last_night
    inner join proposals
        on proposals.kind = latest.kind
        and proposals.customer_id = latest.customer_id
        and proposals.subject_id = latest.subject_id
    where latest.is_latest and latest.status = 'done' and latest.last_proposed_at >= last_night.last_night_at
),

finished as (
    select
        latest.action_id, latest.customer_id, latest.kind, latest.subject_id, latest.action, latest.reason,
        latest.department, latest.owner_user_id, latest.owner, latest.proposed_at, latest.due_at,
        case when still_acted_on.action_id is not null then now.as_of_at else latest.last_proposed_at end
            as last_proposed_at,
        latest.status, latest.done_at, latest.closed_at
    from latest
    cross join now
    left join still_acted_on on still_acted_on.action_id = latest.action_id
    where latest.status in ('done', 'superseded')
),

-- an open action carries on with tonight's wording and owner while it is still proposed
carried as (
    select
        still_to_do.action_id,
        still_to_do.customer_id,
        still_to_do.kind,
        still_to_do.subject_id,
        coalesce(proposals.action, still_to_do.action) as action,
        coalesce(proposals.reason, still_to_do.reason) as reason,
        still_to_do.department,
        case when proposals.kind is not null then proposals.owner_user_id else still_to_do.owner_user_id end
            as owner_user_id,
        coalesce(proposals.owner, still_to_do.owner) as owner,
        still_to_do.proposed_at,
        still_to_do.due_at,
        case when proposals.kind is not null then now.as_of_at else still_to_do.last_proposed_at end
            as last_proposed_at,
        proposals.kind is not null as is_still_proposed
    from still_to_do
    cross join now
    left join proposals
        on proposals.kind = still_to_do.kind
        and proposals.customer_id = still_to_do.customer_id
        and proposals.subject_id = still_to_do.subject_id
),

-- any other proposal opens a new action, proposed when its reason arose (a promise when it
-- broke) or else tonight, never at or before the earlier action of the same subject (whose id
-- would come again), due N working days later (var action_due_working_days)
opened as (
    select
        proposals.*,
        case
            when coalesce(proposals.reason_since_at, now.as_of_at) <= earlier.proposed_at then now.as_of_at
            else coalesce(proposals.reason_since_at, now.as_of_at)
        end as proposed_at,
        now.as_of_at
    from proposals
    cross join now
    left join latest as earlier
        on earlier.is_latest
        and earlier.kind = proposals.kind
        and earlier.customer_id = proposals.customer_id
        and earlier.subject_id = proposals.subject_id
    left join still_acted_on on still_acted_on.action_id = earlier.action_id
    where (earlier.action_id is null or earlier.status not in ('open', 'overdue'))
        and still_acted_on.action_id is null
),

new_actions as (
    select
        {{ dbt.hash("kind || '|' || customer_id || '|' || subject_id || '|' || cast(proposed_at as " ~ dbt.type_string() ~ ")") }}
            as action_id,
        customer_id,
        kind,
        subject_id,
        action,
        reason,
        department,
        owner_user_id,
        owner,
        proposed_at,
        case kind
            {%- for kind, days in var('action_due_working_days').items() %}
            when '{{ kind }}' then {{ working_days_deadline('proposed_at', days) }}
            {%- endfor %}
        end as due_at,
        as_of_at as last_proposed_at,
        true as is_still_proposed
    from opened
),

to_follow as (
    select * from carried
    union all
    select * from new_actions
),

-- the first time the company reached the customer after the proposal
reached as (
    select to_follow.action_id, min(touchpoints.occurred_at) as done_at
    from to_follow
    cross join now
    inner join touchpoints
        on touchpoints.customer_id = to_follow.customer_id
        and touchpoints.occurred_at >= to_follow.proposed_at
        and touchpoints.occurred_at <= now.as_of_at
    where touchpoints.touchpoint_type in ('ticket_reply', 'call_outbound_answered')
        or (touchpoints.touchpoint_type = 'crm_activity' and lower(touchpoints.outcome) = 'completed')
    group by to_follow.action_id
),

followed as (
    select
        to_follow.action_id,
        to_follow.customer_id,
        to_follow.kind,
        to_follow.subject_id,
        to_follow.action,
        to_follow.reason,
        to_follow.department,
        to_follow.owner_user_id,
        to_follow.owner,
        to_follow.proposed_at,
        to_follow.due_at,
        to_follow.last_proposed_at,
        case
            when reached.done_at is not null then 'done'
            when not to_follow.is_still_proposed then 'superseded'
            when now.as_of_at > to_follow.due_at then 'overdue'
            else 'open'
        end as status,
        reached.done_at,
        case
            when reached.done_at is not null then reached.done_at
            when not to_follow.is_still_proposed then now.as_of_at
        end as closed_at
    from to_follow
    cross join now
    left join reached on reached.action_id = to_follow.action_id
),

final as (
    select * from followed
    union all
    select * from finished
)

select * from final
