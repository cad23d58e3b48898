{#- One row per open CRM opportunity: what a customer is considering now, how far along it is
    and for how long it has been in its stage (int_sales__opportunity_stages), who is involved,
    and whether it has gone stale: no completed activity on it for more than
    `stale_opportunity_business_days` working days, or its close date has passed. -#}
with opportunities as (
    select * from {{ ref('stg_sales__opportunities') }} where not is_deleted and not is_closed
),

accounts as (
    select * from {{ ref('int_customers__crm_accounts') }}
),

users as (
    select * from {{ ref('stg_sales__users') }}
),

roles as (
    select * from {{ ref('stg_sales__opportunity_contact_roles') }} where not is_deleted
),

contacts as (
    select contact_id, {{ person_full_name('first_name', 'last_name') }} as full_name
    from {{ ref('stg_sales__contacts') }}
    where not is_deleted
),

now as (
    select {{ as_of() }} as as_of_at
),

-- the stage each was last seen entering; a stage history that does not end in tonight's stage
-- (a night run at an earlier as-of than the history's) falls back to the first-sight rule below
stage_entries as (
    select opportunity_id, stage_name, entered_at, is_entered_at_an_upper_bound
    from (
        select
            *,
            row_number() over (partition by opportunity_id order by seen_at desc) as newest_first
        from {{ ref('int_sales__opportunity_stages') }}
        where seen_at <= {{ as_of() }}
    ) as episodes
    where newest_first = 1
),

-- an activity is a task on the opportunity that was done (a planned call is not one yet)
last_activity as (
    select what_id as opportunity_id, max(created_at) as last_activity_at
    from {{ ref('stg_sales__tasks') }}
    where not is_deleted and lower(task_status) = 'completed'
    group by what_id
),

-- who is involved: each contact with their role (the primary one marked), in name order
involved as (
    select
        roles.opportunity_id,
        count(distinct roles.contact_id) as contacts_involved,
        {{ sorted_distinct_list(
            "coalesce(contacts.full_name, roles.contact_id) || ' (' || coalesce(roles.contact_role, 'no role')"
            ~ " || case when roles.is_primary then ', primary' else '' end || ')'", '; ') }} as contact_roles,
        min(case when roles.contact_role = 'Decision Maker' then coalesce(contacts.full_name, roles.contact_id) end)
            as decision_maker
    from roles
    left join contacts on contacts.contact_id = roles.contact_id
    group by roles.opportunity_id
),

measured as (
    select
        opportunities.*,
        accounts.customer_id,
        users.user_name as owner_name,
        coalesce(last_activity.last_activity_at, opportunities.created_at) as last_activity_at,
        involved.contacts_involved,
        involved.contact_roles,
        involved.decision_maker,
        coalesce(
            stage_entries.entered_at,
            greatest(opportunities.created_at, coalesce(opportunities.modified_at, opportunities.created_at))
        ) as stage_entered_at,
        coalesce(
            stage_entries.is_entered_at_an_upper_bound,
            coalesce(opportunities.modified_at > opportunities.created_at, false)
        ) as is_days_in_stage_at_least,
        now.as_of_at
    from opportunities
    cross join now
    left join accounts on accounts.crm_account_id = opportunities.account_id
    left join users on users.user_id = opportunities.owner_user_id
    left join last_activity on last_activity.opportunity_id = opportunities.opportunity_id
    left join involved on involved.opportunity_id = opportunities.opportunity_id
    left join stage_entries
        on stage_entries.opportunity_id = opportunities.opportunity_id
        and stage_entries.stage_name = opportunities.stage_name
),

final as (
    select
        opportunity_id,
        customer_id,
        opportunity_name,
        stage_name as stage,
        amount,
        probability,
        amount * probability / 100.0 as weighted_amount,
        close_date as expected_close_date,
        forecast_category_name,
        opportunity_type,
        lead_source,
        owner_user_id,
        owner_name,
        created_at,
        {{ dbt.datediff('created_at', 'as_of_at', 'day') }} as age_days,
        stage_entered_at,
        greatest({{ dbt.datediff('stage_entered_at', 'as_of_at', 'day') }}, 0) as days_in_stage,
        is_days_in_stage_at_least,
        last_activity_at,
        {{ working_days_between(local_date('last_activity_at'), local_date('as_of_at')) }} as working_days_since_activity,
        close_date < {{ local_date('as_of_at') }} as is_past_close_date,
        coalesce(contacts_involved, 0) as contacts_involved,
        contact_roles,
        decision_maker
    from measured
)

select
    *,
    working_days_since_activity > {{ var('stale_opportunity_business_days') }} or is_past_close_date as is_stale,
    case
        when working_days_since_activity > {{ var('stale_opportunity_business_days') }} and is_past_close_date
            then 'no activity for ' || cast(working_days_since_activity as {{ dbt.type_string() }})
                || ' working days; past its close date'
        when working_days_since_activity > {{ var('stale_opportunity_business_days') }}
            then 'no activity for ' || cast(working_days_since_activity as {{ dbt.type_string() }}) || ' working days'
        when is_past_close_date then 'past its close date'
    end as stale_reason
from final
