with home as (
    select previous, arg_min(cluster, (-n, cluster)) as cluster, max(n) as n
    from {out}_counts group by previous
),
changes as (
    -- an earlier id another one won over
    select home.previous as previous_id, clusters.id as current_id, 'merge' as change, home.n as records
    from home inner join {out}_clusters as clusters using (cluster)
    where home.previous not in (select kept from {out}_clusters where kept is not null)
    union all
    -- records of an earlier id now in another cluster than the one it went to
    select counts.previous, clusters.id, 'split', counts.n
    from {out}_counts as counts
    inner join home on home.previous = counts.previous and home.cluster <> counts.cluster
    inner join {out}_clusters as clusters on clusters.cluster = counts.cluster
)
select previous_id, current_id, change, records from changes
where previous_id <> current_id
order by change, previous_id, current_id
