select l, r from (
    select min({position}) over (partition by {value}) as l, {position} as r
    from {table} where {value} is not null and ({where})
) where l <> r
