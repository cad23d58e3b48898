{#- The CRM's touchpoints of each customer: activities (tasks), orders, survey answers, and
    opportunities opened and closed.
    One of fct_touchpoints' four parts, built on its own for memory (_touchpoints__docs.md). -#}
with account_customers as (
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

opportunities as (
    select * from {{ ref('stg_sales__opportunities') }} where not is_deleted
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
        surveys.survey_type || ' score ' || cast(cast(surveys.score as integer) as {{ dbt.type_string() }})
            || coalesce(': “' || nullif(trim(surveys.comment), '') || '”', ''),
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
)

select * from events
