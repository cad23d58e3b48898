select position, source_table, crm_account_id, domain, registration_number, company_key, city_key,
       phone_e164, address_key, service_organization_id
from {RECORDS} where record_kind = 'organization' order by position
