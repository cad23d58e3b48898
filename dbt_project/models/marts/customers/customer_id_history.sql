{#- Where an old id went: analysts who saved a customer_id follow it here to today's id. -#}
with history as (
    select * from {{ source('identity', 'customer_id_history') }}
),

renamed as (
    select
        previous_id,
        current_id,
        level,
        change,
        records,
        run_id,
        changed_at
    from history
)

select * from renamed
