select accounts.person_index as l, tied.person_index as r
from {KEYS} as tied
inner join {KEYS} as accounts on accounts.is_person_account and accounts.crm_account_id = tied.crm_account_id
where not tied.is_person_account
