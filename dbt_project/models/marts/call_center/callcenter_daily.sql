{#- Call-center figures per company-local day and queue (definitions in _call_center__models.yml). -#}
with queue_calls as (
    select * from {{ ref('int_call_center__queue_calls') }}
),

ivr as (
    select * from {{ ref('stg_call_center__ivr_responses') }} where question = 'fcr'
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

calls_customers as (
    select source_record_id as call_id, customer_id, occurred_at
    from touchpoints where source_table = 'cdr' and touchpoint_type = 'call_answered'
),

-- an answered call is resolved across channels when the same customer does not come back
-- (any inbound touchpoint, any channel) within 7 days
repeat_contact as (
    select
        calls_customers.call_id,
        bool_or(later.touchpoint_id is not null) as has_repeat_contact
    from calls_customers
    left join touchpoints as later
        on later.customer_id = calls_customers.customer_id
        and later.direction = 'inbound'
        and later.occurred_at > calls_customers.occurred_at
        and later.occurred_at <= {{ dbt.dateadd('day', 7, 'calls_customers.occurred_at') }}
        and later.touchpoint_type not in ('ivr_survey', 'satisfaction_rating', 'nps_response', 'ces_response')
    group by calls_customers.call_id
),

per_call as (
    select
        queue_calls.*,
        {{ local_date('queue_calls.entered_at') }} as call_date,
        ivr.score as fcr_answer,
        repeat_contact.has_repeat_contact
    from queue_calls
    left join ivr on ivr.call_id = queue_calls.call_id
    left join repeat_contact on repeat_contact.call_id = queue_calls.call_id
),

daily as (
    select
        call_date,
        coalesce(queue_name, 'unknown') as queue_name,
        count(*) - count(case when is_short_abandon then 1 end) as offered,
        count(case when is_answered then 1 end) as answered,
        count(case when is_abandoned and not is_answered and not is_short_abandon then 1 end) as abandoned,
        count(case when is_short_abandon then 1 end) as short_abandons,
        avg(case when is_answered then hold_seconds end) as asa_seconds,
        avg(case when is_answered then talk_seconds end) as aht_seconds,
        count(case when is_answered and hold_seconds <= 20 then 1 end) as answered_within_20s,
        count(fcr_answer) as fcr_responses,
        count(case when fcr_answer = 1 then 1 end) as fcr_yes,
        count(has_repeat_contact) as answered_with_customer,
        count(case when has_repeat_contact = false then 1 end) as resolved_across_channels
    from per_call
    group by all
),

final as (
    select
        call_date,
        queue_name,
        offered,
        answered,
        abandoned,
        short_abandons,
        case when offered > 0 then 1.0 * abandoned / offered end as abandonment_rate,
        asa_seconds,
        aht_seconds,
        case when offered > 0 then 1.0 * answered_within_20s / offered end as service_level_20s,
        case when fcr_responses > 0 then 1.0 * fcr_yes / fcr_responses end as fcr_rate_ivr,
        fcr_responses,
        case when answered_with_customer > 0 then 1.0 * resolved_across_channels / answered_with_customer end
            as fcr_rate_cross_channel
    from daily
)

select * from final
