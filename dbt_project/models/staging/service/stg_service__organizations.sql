with source as (
    select * from {{ source_or_empty('service', 'organizations') }}
),

renamed as (
    select
        cast(id as bigint) as organization_id,
        {{ blank_to_null('name') }} as organization_name,
        domain_names as domain_names_json,
        lower({{ json_text('domain_names', '$[0]') }}) as primary_domain,
        {{ blank_to_null('external_id') }} as external_id,
        details,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at
    from source
)

select * from renamed
where {{ not_after_as_of('created_at') }}
