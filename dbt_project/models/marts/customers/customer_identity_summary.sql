{#- What identity resolution took in and gave out, per level, in figures that add up: records =
    joined by a rule + joined by splink + alone, and records - resolved into = merged away. Counted
    once a night here, so that Data health reads two rows, not every record of the identity map. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select
        record_kind as level,
        match_method,
        case when record_kind = 'organization' then customer_id else person_id end as resolved_as
    from identity_map
),

counted as (
    select
        level,
        count(*) as records,
        count(distinct resolved_as) as resolved_into,
        count(case when match_method not in ('probabilistic', 'unmatched') then 1 end) as joined_by_rule,
        count(case when match_method = 'probabilistic' then 1 end) as joined_by_splink,
        count(case when match_method = 'unmatched' then 1 end) as alone
    from records
    group by level
)

select
    level,
    records,
    resolved_into,
    records - resolved_into as merged_away,
    joined_by_rule,
    joined_by_splink,
    alone
from counted
