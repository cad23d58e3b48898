create or replace temp table identity_run_org_phones as
select phone_e164, case when count(distinct label) = 1 then any_value(label) end as label
from identity_run_orgs where phone_e164 is not null group by phone_e164
