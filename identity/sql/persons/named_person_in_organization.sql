(select keys.person_index,
                        cast(named.organization as varchar) || '|' || cast(named.person_group as varchar)
                            as named_person
                 from {KEYS} as keys
                 inner join identity_run_organization_names as named
                    on named.organization = cast(keys.organization as bigint) and named.name_key = keys.name_key
                 where named.person_group >= 0)
