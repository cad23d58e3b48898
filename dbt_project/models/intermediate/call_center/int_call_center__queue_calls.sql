{#- One row per call that entered a queue, from Asterisk's queue_log: when it entered, whether
    an agent answered (CONNECT: the agent, and the hold time in data1) or the caller gave up (ABANDON or
    EXITWITHTIMEOUT: wait in data3), and the talk time (COMPLETEAGENT / COMPLETECALLER data2,
    TRANSFER data4). -#}
with events as (
    select * from {{ ref('stg_call_center__queue_events') }}
),

calls as (
    select
        call_id,
        min(case when event = 'ENTERQUEUE' then occurred_at end) as entered_at,
        {{ arg_min('queue_name', 'occurred_at') }} filter (where event = 'ENTERQUEUE') as queue_name,
        min(case when event = 'CONNECT' then occurred_at end) as answered_at,
        {{ arg_min('agent', 'occurred_at') }} filter (where event = 'CONNECT') as agent,
        max(case when event = 'CONNECT' then try_cast(data1 as integer) end) as hold_seconds,
        bool_or(event in ('ABANDON', 'EXITWITHTIMEOUT')) as is_abandoned,
        max(case when event in ('ABANDON', 'EXITWITHTIMEOUT') then try_cast(data3 as integer) end) as abandon_wait_seconds,
        max(case when event in ('COMPLETEAGENT', 'COMPLETECALLER') then try_cast(data2 as integer)
                 when event = 'TRANSFER' then try_cast(data4 as integer) end) as talk_seconds
    from events
    where call_id is not null
    group by call_id
    having min(case when event = 'ENTERQUEUE' then occurred_at end) is not null
)

select
    *,
    answered_at is not null as is_answered,
    is_abandoned and answered_at is null and coalesce(abandon_wait_seconds, 0) < {{ var('short_abandon_seconds') }}
        as is_short_abandon
from calls
