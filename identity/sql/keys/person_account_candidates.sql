select accounts.position, accounts.person_name_key as account_name, contacts.name_key as contact_name,
       contacts.crm_contact_id
from {RECORDS} as accounts
inner join {RECORDS} as contacts
    on contacts.source_table = 'Contact' and contacts.crm_account_id = accounts.crm_account_id
where accounts.source_table = 'Account' and accounts.domain is null and accounts.registration_number is null
  and contains(accounts.person_name_key, ' ') and contacts.name_key is not null
order by accounts.position, contacts.position
