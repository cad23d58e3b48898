{#- One row each time the warehouse saw an opportunity in a stage it was not in at the last
    sight: the opportunity's stage history, as nights observe it. The CRM's Opportunity keeps no
    stage history (SOURCES.md), so the warehouse keeps it: incremental, append only, and a night
    that sees nothing new appends nothing (a rerun of a night changes nothing).
    When it entered the stage (entered_at):
    - a change seen by a later night: the version's modification time (SystemModstamp). The
      change happened at or before it and after the version the night before saw, so the error
      is at most the time between two nights;
    - the stage the warehouse first found the opportunity in: its creation when it was never
      modified since (the stage it was created in), else its last modification, an upper bound
      (is_entered_at_an_upper_bound): it was in the stage at least since then. -#}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with opportunities as (
    select opportunity_id, stage_name, created_at, modified_at
    from {{ ref('stg_sales__opportunities') }}
    where not is_deleted
),

now as (
    select {{ as_of() }} as as_of_at
),

{% if is_incremental() %}
last_seen as (
    select opportunity_id, stage_name
    from (
        select
            opportunity_id,
            stage_name,
            row_number() over (partition by opportunity_id order by seen_at desc) as newest_first
        from {{ this }}
    ) as episodes
    where newest_first = 1
),
{% else %}
last_seen as (
    select
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage_name
    from now
    where false
),
{% endif %}

entered as (
    select
        opportunities.opportunity_id,
        opportunities.stage_name,
        case
            when last_seen.opportunity_id is not null then opportunities.modified_at
            else greatest(opportunities.created_at, coalesce(opportunities.modified_at, opportunities.created_at))
        end as entered_at,
        last_seen.opportunity_id is null
            and coalesce(opportunities.modified_at > opportunities.created_at, false) as is_entered_at_an_upper_bound,
        now.as_of_at as seen_at
    from opportunities
    cross join now
    left join last_seen on last_seen.opportunity_id = opportunities.opportunity_id
    where last_seen.opportunity_id is null
        or coalesce(last_seen.stage_name, '') <> coalesce(opportunities.stage_name, '')
)

select * from entered
