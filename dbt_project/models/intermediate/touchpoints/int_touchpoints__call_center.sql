{#- The call center's touchpoints of each customer: calls to the company answered or abandoned,
    calls the company placed answered or not, and IVR satisfaction answers.
    One of fct_touchpoints' four parts, built on its own for memory (_touchpoints__docs.md). -#}
with call_customers as (
    select * from {{ ref('int_customers__calls') }}
),

calls as (
    select * from {{ ref('stg_call_center__calls') }}
),

ivr as (
    select * from {{ ref('stg_call_center__ivr_responses') }}
),

events as (
    select
        call_customers.customer_id, calls.started_at as occurred_at, 'call_center' as department, 'phone' as channel,
        case
            when calls.direction = 'outbound' and calls.is_answered then 'call_outbound_answered'
            when calls.direction = 'outbound' then 'call_outbound_unanswered'
            when calls.is_answered then 'call_answered'
            else 'call_abandoned'
        end as touchpoint_type,
        case
            when calls.direction = 'outbound' then 'Call from the company, '
                || case when calls.is_answered then cast(calls.billable_seconds as {{ dbt.type_string() }}) || ' s talk'
                        else 'not answered after ' || cast(calls.duration_seconds as {{ dbt.type_string() }}) || ' s' end
            else 'Call to ' || coalesce(calls.queue_name, 'hotline') || ', '
                || case when calls.is_answered then cast(calls.billable_seconds as {{ dbt.type_string() }}) || ' s talk'
                        else 'hung up after ' || cast(calls.duration_seconds as {{ dbt.type_string() }}) || ' s' end
        end as summary,
        calls.direction, calls.disposition as outcome, 'call_center' as source_system, 'cdr' as source_table,
        calls.call_id as source_record_id
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
)

select * from events
