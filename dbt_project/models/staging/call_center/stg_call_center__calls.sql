{#- One row per call detail record (Asterisk cdr_csv). -#}
{#- the number dialled, in E.164; a cdr table loaded before c360 read it has no such column (one
    look at the table's columns, used twice) -#}
{%- set dialled_e164 = optional_column('call_center', 'cdr', 'dst_e164') %}
with source as (
    select * from {{ source_or_empty('call_center', 'cdr') }}
),

deduplicated as (
    select
        *,
        -- caller id name the carrier delivered: clid is `"Name" <number>`
        nullif(trim(regexp_extract(clid, '^"([^"]*)"', 1)), '') as clid_name,
        -- a call the company placed: from an internal extension (a short number, never what a
        -- carrier delivers for a caller) to an outside number; its clid names the extension
        src_e164 is null and {{ dialled_e164 }} is not null
            and {{ regexp_contains('trim(src)', "'^[0-9]{2,6}$'") }} as is_outbound,
        {{ dialled_e164 }} as dialled_e164
    from source
    qualify row_number() over (partition by uniqueid order by _c360_source desc) = 1
),

renamed as (
    select
        uniqueid as call_id,
        case when is_outbound then 'outbound' else 'inbound' end as direction,
        src as caller_number_raw,
        -- the customer's side: the caller's number, or the number an agent dialled
        case when is_outbound then dialled_e164 else src_e164 end as party_e164,
        -- no name where the carrier sent none: Asterisk then writes the number itself, or the
        -- network's placeholders for a withheld or missing name (any case); a call placed by
        -- the company names only its own extension
        case
            when is_outbound then null
            when {{ regexp_contains('clid_name', "'^[0-9 +().,/-]*$'") }} then null  -- digits and dialling signs only
            when lower(clid_name) in ('unknown', 'anonymous', 'unavailable', 'private', 'restricted', 'withheld')
                then null
            else clid_name
        end as caller_name,
        dst as dialled_number,
        dcontext as dial_context,
        case when lastapp = 'Queue' then split_part(lastdata, ',', 1) end as queue_name,
        nullif(split_part(split_part(dstchannel, '/', 2), '-', 1), '') as agent_extension,
        cast(start_utc as timestamp) as started_at,
        cast(answer_utc as timestamp) as answered_at,
        cast(end_utc as timestamp) as ended_at,
        start as started_local_raw,
        cast(duration as integer) as duration_seconds,
        cast(billsec as integer) as billable_seconds,
        disposition,
        disposition = 'ANSWERED' as is_answered,
        _c360_source as source_file
    from deduplicated
)

select * from renamed
where {{ not_after_as_of('started_at') }}
