create or replace temp table {out}_clusters as
with home as (  -- each earlier id goes to the cluster with most of its records
    select previous, arg_min(cluster, (-n, cluster)) as cluster, max(n) as n
    from {out}_counts group by previous
),
kept as (  -- each cluster keeps the best earlier id it won
    select cluster, arg_min(previous, (-n, previous)) as previous from home group by cluster
),
founders as (  -- the first-seen record; a record of unknown time comes last
    select {cluster} as cluster,
           arg_min(record_key, (coalesce(first_seen_at, timestamp '9999-12-31'), record_key)) as founder
    from {records} group by all
)
select founders.cluster, founders.founder, kept.previous as kept,
       coalesce(kept.previous, '{prefix}' || left(sha256(founders.founder), 16)) as id
from founders left join kept using (cluster)
