{#- Queue calls per company-local day × hour of day × queue × answering agent: the call
    center's load through the day and each agent's share (definitions in _call_center__models.yml). -#}
with queue_calls as (
    select * from {{ ref('int_call_center__queue_calls') }}
),

per_call as (
    select
        *,
        {{ local_date('entered_at') }} as call_date,
        extract(hour from {{ utc_to_local('entered_at') }}) as hour_of_day
    from queue_calls
),

final as (
    select
        call_date,
        cast(hour_of_day as integer) as hour_of_day,
        coalesce(queue_name, 'unknown') as queue_name,
        coalesce(agent, 'none') as agent,
        count(*) - count(case when is_short_abandon then 1 end) as offered,
        count(case when is_answered then 1 end) as answered,
        count(case when is_abandoned and not is_answered and not is_short_abandon then 1 end) as abandoned,
        count(case when is_answered and hold_seconds <= 20 then 1 end) as answered_within_20s,
        sum(case when is_answered then hold_seconds end) as answered_hold_seconds,
        sum(case when is_answered then talk_seconds end) as answered_talk_seconds
    from per_call
    group by all
)

select * from final
