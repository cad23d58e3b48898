update {PERSONS} set org_by_phone = ids.label
from identity_run_people_identifiers as ids
where {PERSONS}.{column} = ids.value and {PERSONS}.org_by_phone is null
  and coalesce({PERSONS}.org_by_key, {PERSONS}.org_by_desk, {PERSONS}.org_by_email_domain) is null
