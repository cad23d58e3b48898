select cluster, founder from (
    select *, row_number() over (partition by id order by cluster) > 1 as is_repeat
    from {out}_clusters
)
where kept is null
    and (is_repeat or id in (select kept from {out}_clusters where kept is not null)
         or id in (select id from {known_ids}))
order by cluster
