{#- Tonight's proposed actions, one per kind, customer and subject: what to do for whom, why in
    words, which department and owner it falls to, and within how many working days. The
    action_queue mart gives each an id that lasts and follows it up night after night. -#}
with customers as (
    select * from {{ ref('customer_360') }}
),

promises as (
    select * from {{ ref('open_promises') }} where status in ('open', 'at_risk')
),

stale_opportunities as (
    select * from {{ ref('open_opportunities') }} where is_stale and customer_id is not null
),

contacts as (
    select * from {{ ref('customer_contacts') }}
),

crm_accounts as (
    select * from {{ ref('int_customers__crm_accounts') }}
),

accounts as (
    select * from {{ ref('stg_sales__accounts') }} where not is_deleted
),

users as (
    select * from {{ ref('stg_sales__users') }}
),

-- the customer's owner: the owner of their CRM account (of the first by id, when several)
account_owners as (
    select
        crm_accounts.customer_id,
        {{ arg_min('accounts.owner_user_id', 'crm_accounts.crm_account_id') }} as owner_user_id
    from crm_accounts
    inner join accounts on accounts.account_id = crm_accounts.crm_account_id
    where accounts.owner_user_id is not null
    group by crm_accounts.customer_id
),

proposed as (
    -- a promise broken or about to be: put it right, from the moment it broke
    select
        customer_id,
        'open_promise' as kind,
        promise_id as subject_id,
        {{ promise_action('kind') }} as action,
        {{ promise_reason() }} as reason,
        department,
        cast(null as {{ dbt.type_string() }}) as subject_owner_user_id,
        case when status = 'open' then due_at end as reason_since_at
    from promises

    union all

    -- an active customer likely to leave
    select
        customer_id,
        'churn_risk',
        customer_id,
        'Retention call',
        'churn risk ' || cast(cast(round(100 * churn_risk) as integer) as {{ dbt.type_string() }}) || ' %'
            || coalesce(': ' || churn_reasons, ''),
        'sales',
        cast(null as {{ dbt.type_string() }}),
        cast(null as timestamp)
    from customers
    where is_high_churn_risk

    union all

    -- a lapsed customer worth winning back (customer_360.is_worth_winning_back)
    select
        customer_id,
        'win_back',
        customer_id,
        'Win-back offer',
        'lapsed, last order ' || cast({{ local_date('last_order_at') }} as {{ dbt.type_string() }})
            || ', lifetime revenue ' || cast(cast(round(lifetime_revenue) as bigint) as {{ dbt.type_string() }}),
        'sales',
        cast(null as {{ dbt.type_string() }}),
        cast(null as timestamp)
    from customers
    where is_worth_winning_back

    union all

    -- an open opportunity gone stale: its owner revives or closes it
    select
        customer_id,
        'stale_opportunity',
        opportunity_id,
        'Revive or close the opportunity',
        stage || ', ' || cast(cast(round(amount) as bigint) as {{ dbt.type_string() }}) || ': ' || stale_reason,
        'sales',
        owner_user_id,
        cast(null as timestamp)
    from stale_opportunities

    union all

    -- a decision maker on an open or recent opportunity whom no phone number or e-mail reaches
    -- (the person is the subject; no name in the reason, which the analysts' file keeps as is)
    select
        customer_id,
        'unreachable_decision_maker',
        person_id,
        'Find a way to reach the decision maker',
        'phone: ' || coalesce(phone_unreachable_reason, 'reachable') || '; e-mail: '
            || coalesce(email_unreachable_reason, 'reachable'),
        'sales',
        cast(null as {{ dbt.type_string() }}),
        cast(null as timestamp)
    from contacts
    where buying_roles like '%Decision Maker%'
        and not coalesce(is_reachable_by_phone, false) and not coalesce(is_reachable_by_email, false)
),

final as (
    select
        proposed.customer_id,
        proposed.kind,
        proposed.subject_id,
        proposed.action,
        proposed.reason,
        proposed.department,
        coalesce(proposed.subject_owner_user_id, account_owners.owner_user_id) as owner_user_id,
        -- the owner in words: the CRM user, else the department
        coalesce(users.user_name, proposed.department) as owner,
        proposed.reason_since_at
    from proposed
    left join account_owners on account_owners.customer_id = proposed.customer_id
    left join users on users.user_id = coalesce(proposed.subject_owner_user_id, account_owners.owner_user_id)
)

select * from final
