{#- The moments the churn model sees its customers at, and what for (scoring/churn.py):
    - `scored`: the end of the data (the latest touchpoint, never after the night's "now");
    - `tested`: one horizon before it, where the backtest tests the model;
    - `learnt_for_scoring` and `learnt_for_testing`: the cutoffs the model is learnt at (one and
      two horizons before the end), each labelled by the horizon after it; for a small company
      also a month, two months, ... before each (the usual "snapshot stacking" of churn models),
      until `churn_enough_examples` active customers are learnt from, never more than
      `churn_learning_moments` moments, and none with less than
      `churn_history_before_a_moment_days` of orders before it.
    A customer is active at a moment who has ordered before it and has not lapsed by then (the
    lifecycle rule of macros/segments/lifecycle_stage.sql). -#}
{%- set horizon = var('churn_horizon_days') %}
{%- set apart = var('churn_days_between_moments') %}

with orders as (
    select customer_id, created_at as ordered_at from {{ ref('int_sales__customer_orders') }}
),

touchpoints as (
    select occurred_at from {{ ref('fct_touchpoints') }}
),

end_of_data as (
    select coalesce(least(max(occurred_at), {{ as_of() }}), {{ as_of() }}) as end_at from touchpoints
),

earliest as (
    select {{ dbt.dateadd('day', var('churn_history_before_a_moment_days'), 'min(ordered_at)') }} as earliest_at
    from orders
),

steps as (
    {%- for k in range(var('churn_learning_moments')) %}
    select {{ k }} as step
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- the two cutoffs the model is learnt at: one and two horizons before the end
learning as (
    select
        'learnt_for_scoring' as purpose,
        1 as horizons
    union all
    select
        'learnt_for_testing',
        2
),

candidates as (
    select
        learning.purpose,
        steps.step,
        {{ dbt.dateadd('day', '-(learning.horizons * ' ~ horizon ~ ' + steps.step * ' ~ apart ~ ')', 'end_of_data.end_at') }}
            as snapshot_at
    from end_of_data
    cross join learning
    cross join steps
),

-- each candidate's customers as they stood then: active or lapsed
standing as (
    select
        candidates.purpose,
        candidates.step,
        orders.customer_id,
        count(*) as orders_total,
        min(orders.ordered_at) as first_order_at,
        max(orders.ordered_at) as last_order_at,
        min(candidates.snapshot_at) as snapshot_at
    from candidates
    inner join orders on orders.ordered_at <= candidates.snapshot_at
    group by candidates.purpose, candidates.step, orders.customer_id
),

active_counts as (
    select
        purpose,
        step,
        count(*) as active_customers
    from standing
    where {{ dbt.datediff('last_order_at', 'snapshot_at', 'day') }} <= 3 * coalesce(
        case when orders_total > 1
            then {{ dbt.datediff('first_order_at', 'last_order_at', 'day') }} / (orders_total - 1) end,
        120
    )
    group by purpose, step
),

-- a moment is learnt from when it is the cutoff, or when the moments after it held too few
-- active customers and it has enough history before it (both only grow step by step, so the
-- moments learnt from are the first few steps)
counted as (
    select
        candidates.purpose,
        candidates.step,
        candidates.snapshot_at,
        coalesce(sum(coalesce(active_counts.active_customers, 0)) over (
            partition by candidates.purpose order by candidates.step
            rows between unbounded preceding and 1 preceding
        ), 0) as examples_before
    from candidates
    left join active_counts on active_counts.purpose = candidates.purpose and active_counts.step = candidates.step
),

learnt as (
    select counted.purpose, counted.snapshot_at
    from counted
    cross join earliest
    where counted.step = 0
        or (
            counted.snapshot_at >= earliest.earliest_at
            and counted.examples_before < {{ var('churn_enough_examples') }}
        )
)

select 'scored' as purpose, end_at as snapshot_at, {{ horizon }} as horizon_days from end_of_data
union all
select 'tested', {{ dbt.dateadd('day', -horizon, 'end_at') }}, {{ horizon }} from end_of_data
union all
select purpose, snapshot_at, {{ horizon }} from learnt
