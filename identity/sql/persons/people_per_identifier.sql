select identifier_type, identifier_value,
       count(distinct person_group) filter (where person_group >= 0) as people,
       string_agg(name_key, '; ' order by name_key) as names
from identity_run_shared_names group by all
