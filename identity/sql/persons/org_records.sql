create or replace temp table identity_run_orgs as
select r.position, r.source_table, r.crm_account_id, r.service_organization_id, r.phone_e164, r.domain,
       labels.label
from {RECORDS} as r inner join identity_run_org_labels as labels using (position)
