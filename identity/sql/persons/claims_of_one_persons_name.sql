(select claims.person_index,
                        claims.identifier_type || '|' || claims.identifier_value || '|'
                        || cast(named.person_group as varchar) as identifier_and_person
                 from (
                    select person_index, 'phone' as identifier_type, phone_e164 as identifier_value, name_key
                    from {PERSONS}
                    union all select person_index, 'phone', phone2_e164, name_key from {PERSONS}
                    union all select person_index, 'email', email, name_key from {PERSONS}
                 ) as claims
                 inner join identity_run_shared as shared using (identifier_type, identifier_value)
                 inner join identity_run_shared_names as named using (identifier_type, identifier_value, name_key)
                 where named.person_group >= 0)
