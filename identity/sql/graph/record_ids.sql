create or replace temp table {out} as
select records.record_key, clusters.id
from {records} as records inner join {out}_clusters as clusters on clusters.cluster = records.{cluster}
