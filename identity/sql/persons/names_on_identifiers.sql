with claims as (
    select 'email' as identifier_type, email as identifier_value, * from {PERSONS}
    union all
    select 'phone', phone_e164, * from {PERSONS}
    union all
    select 'phone', phone2_e164, * from {PERSONS}
),
named as (
    select identifier_type, identifier_value, name_key,
           bool_or(crm_contact_id is not null) as on_crm_contact,
           count(*) over (partition by identifier_type, identifier_value) > 1 as several
    from claims where identifier_value is not null and name_key is not null
    group by identifier_type, identifier_value, name_key
),
crm_names as (select distinct name_key from {PERSONS} where crm_contact_id is not null),
-- every number and personal address a name is written with, anywhere
name_identifiers as (
    select name_key, list(distinct identifier_type || ':' || identifier_value) as identifiers
    from claims
    where identifier_value is not null
      and not (identifier_type = 'email' and coalesce(is_placeholder_email, false))
      and name_key in (select name_key from named where several)
    group by name_key
)
select named.identifier_type, named.identifier_value, named.name_key, named.several,
       named.on_crm_contact, named.name_key in (select name_key from crm_names) as crm_contact_name,
       coalesce(name_identifiers.identifiers, []) as identifiers
from named left join name_identifiers on named.several and name_identifiers.name_key = named.name_key
order by named.identifier_type, named.identifier_value, named.name_key
