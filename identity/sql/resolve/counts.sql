select count(*), count(distinct customer_id), count(distinct person_id),
       count(distinct customer_id) filter (where customer_type = 'organization'),
       count(distinct customer_id) filter (where customer_type = 'unidentified')
from identity.resolved_records
