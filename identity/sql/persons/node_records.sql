select nodes.node_id, named.name_key, named.name_reversed, named.email_clean as email,
       named.phone_clean as phone, named.organization_key, left(named.name_key, 2) as family_key, named.city
from identity_run_nodes as nodes inner join identity_run_named as named using (person_index)
where nodes.person_index = nodes.representative
order by nodes.node_id
