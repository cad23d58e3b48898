{#- Integrity, every night (after fivetran/dbt_zendesk's integration_tests/tests/integrity):
    every record identity resolution keyed is in the published identity map, and nothing else
    is. A row here is a source table whose records were lost or invented between the two, with
    both counts. -#}
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'customer_identity_map'}}}) }}

with keyed as (
    select source_system, source_table, count(*) as records
    from {{ ref('int_identity__source_records') }}
    group by source_system, source_table
),

mapped as (
    select source_system, source_table, count(*) as records
    from {{ ref('customer_identity_map') }}
    group by source_system, source_table
)

select
    coalesce(keyed.source_system, mapped.source_system) as source_system,
    coalesce(keyed.source_table, mapped.source_table) as source_table,
    coalesce(keyed.records, 0) as keyed_records,
    coalesce(mapped.records, 0) as mapped_records
from keyed
full outer join mapped
    on keyed.source_system = mapped.source_system and keyed.source_table = mapped.source_table
where coalesce(keyed.records, 0) <> coalesce(mapped.records, 0)
