with resolved as (
    select * from {{ ref('int_identity__resolved_records') }}
),

mapped as (
    select
        source_system,
        source_table,
        source_record_id,
        'cus_' || substr({{ dbt.hash('customer_key') }}, 1, 16) as customer_id,
        case when person_key is not null then 'per_' || substr({{ dbt.hash('person_key') }}, 1, 16) end as person_id,
        record_kind,
        match_method,
        case when match_method = 'unmatched' then null else 1.0 end as match_probability,
        customer_key,
        account_id as crm_account_id
    from resolved
)

select * from mapped
