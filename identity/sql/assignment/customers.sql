create or replace temp table identity_run_customers as
with persons as (
    select * from {PERSONS} inner join identity_run_person_labels using (person_index)
),
ties as (
    select person_cluster, org_by_key as org, 0 as strength from persons where org_by_key is not null
    union all
    select person_cluster, org_by_desk, 0 from persons where org_by_desk is not null
    union all
    select person_cluster, org_by_email_domain, 0 from persons where org_by_email_domain is not null
    union all
    select person_cluster, org_by_phone, 1 from persons where org_by_phone is not null
),
person_org as (
    select person_cluster, arg_min(org, (strength, -n, org)) as org
    from (select person_cluster, strength, org, count(*) as n from ties group by all)
    group by person_cluster
),
clusters as (
    select person_cluster, bool_or(is_person_account) as has_person_account,
           bool_or(name_key is not null) as has_name
    from persons group by person_cluster
),
person_records as (
    select persons.position, persons.person_cluster,
           case when not clusters.has_person_account then person_org.org end as org_cluster,
           clusters.has_name,
           -- a person record with no person link still has its organization's tie
           case when persons.method_rank = {unmatched} then {no_tie} else persons.method_rank end
               as method_rank,
           case when persons.method_rank = {unmatched} and {no_tie} <> {unmatched} then 1.0
                else persons.probability end as probability
    from persons
    inner join clusters using (person_cluster)
    left join person_org using (person_cluster)
),
org_records as (
    select orgs.position, cast(null as bigint) as person_cluster, orgs.label as org_cluster,
           false as has_name, methods.method_rank, methods.probability
    from identity_run_orgs as orgs inner join identity_run_org_methods as methods using (position)
),
every_record as (select * from person_records union all select * from org_records)
select
    r.position, r.record_key, r.source_system, r.source_table, r.source_record_id, r.record_kind,
    r.is_person_account, every_record.person_cluster,
    case when every_record.org_cluster is not null then 'O' || cast(every_record.org_cluster as bigint)
         else 'P' || every_record.person_cluster end as customer_cluster,
    case when every_record.org_cluster is not null then 'organization'
         when every_record.has_name then 'person' else 'unidentified' end as customer_type,
    every_record.method_rank, every_record.probability, r.first_seen_at
from {RECORDS} as r inner join every_record using (position)
