update {RECORDS} set
    is_person_account = true, record_kind = 'person', name_key = {RECORDS}.person_name_key,
    crm_contact_id = person_accounts.crm_contact_id
from identity_run_person_accounts as person_accounts
where {RECORDS}.position = person_accounts.position
