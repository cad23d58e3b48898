create or replace temp table {out}_counts as
select {previous} as previous, {cluster} as cluster, count(*) as n
from {records} where {previous} is not null group by all
