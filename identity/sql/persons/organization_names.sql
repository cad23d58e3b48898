select distinct cast(organization as bigint) as organization, name_key from {KEYS}
            where organization is not null and name_key is not null order by organization, name_key
