{#- The months reachability is measured for (customer_reachability_monthly): the night's own
    month and the `reachability_history_months` - 1 before it, months of the company's calendar,
    each measured at its end (the start of the next month, UTC) or, for the night's own month, at
    the as-of moment. -#}
with now as (
    select {{ as_of() }} as as_of_at
),

months as (
    select cast(month_start as timestamp) as month_start
    from {{ month_starts(
        dbt.dateadd('month', 1 - var('reachability_history_months'), "date_trunc('month', " ~ utc_to_local(as_of()) ~ ")"),
        utc_to_local(as_of())
    ) }}
),

final as (
    select
        cast(months.month_start as date) as month_start_date,
        least({{ local_to_utc(dbt.dateadd('month', 1, 'months.month_start')) }}, now.as_of_at) as measured_at
    from months
    cross join now
)

select * from final
