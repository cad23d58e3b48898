{#- The golden record: per customer and field, the value the `survivorship` var chooses
    among all the customer's records, with the record kind it came from. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_identity__source_records') }}
),

contacts as (
    select * from {{ ref('stg_sales__contacts') }} where not is_deleted
),

accounts as (
    select * from {{ ref('stg_sales__accounts') }} where not is_deleted
),

-- reachable through one of its people (an organization's switchboard alone reaches nobody)
reachability as (
    select
        customer_id,
        bool_or(is_reachable_by_phone) as is_reachable_by_phone,
        bool_or(is_reachable_by_email) as is_reachable_by_email,
        nullif({{ sorted_distinct_list('unreachable_reason', '; ') }}, '') as unreachable_reasons
    from {{ ref('int_customers__person_reachability') }}
    group by customer_id
),

mapped_records as (
    select
        identity_map.customer_id,
        identity_map.customer_type,
        identity_map.record_kind as resolved_record_kind,  -- a person account's Account row is a person here
        identity_map.is_person_account,
        -- only what the fields below read: this CTE is read once per field
        records.source_system, records.source_table, records.source_record_id, records.seen_at, records.first_seen_at,
        records.full_name, records.email, records.phone_e164, records.phone2_e164, records.city,
        coalesce(contacts.has_opted_out_of_email, false) as has_opted_out_of_email,
        coalesce(contacts.is_do_not_call, false) as is_do_not_call,
        coalesce(accounts.billing_country, contacts.mailing_country) as country,
        accounts.industry
    from identity_map
    inner join records using (source_system, source_table, source_record_id)
    left join contacts on records.source_table = 'Contact' and records.source_record_id = contacts.contact_id
    left join accounts on records.source_table = 'Account' and records.source_record_id = accounts.account_id
),

{#- every value a record offers for a field: (column, condition) per offer; an organization is
    named by its own records only -#}
{%- set offers = {
    'display_name': [('full_name', "(customer_type <> 'organization' or (resolved_record_kind = 'organization' and not is_person_account))")],
    'primary_email': [('email', 'not has_opted_out_of_email')],
    'primary_phone': [('phone_e164', 'not is_do_not_call'), ('phone2_e164', 'not is_do_not_call')],
    'city': [('city', 'true')],
    'country': [('country', 'true')],
    'industry': [('industry', 'true')],
} %}
{%- set fields = offers.keys() | list %}
{%- for field in fields %}

{{ field }}_candidates as (
    {%- for column, condition in offers[field] %}
    select customer_id, {{ column }} as value, source_system || '.' || source_table as value_source, seen_at
    from mapped_records where {{ column }} is not null and {{ condition }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

chosen_{{ field }} as (
    select
        customer_id,
        {{ arg_min('value', survivorship_keys(field)) }} as value,
        {{ arg_min('value_source', survivorship_keys(field)) }} as value_source
    from {{ survivorship_candidates(field, field ~ '_candidates') }}
    group by customer_id
),
{%- endfor %}

customer_records as (
    select
        customer_id,
        min(customer_type) as customer_type,
        min(first_seen_at) as first_seen_at,
        {{ sorted_distinct_list('source_system', ',') }} as source_systems,
        min(case when source_table = 'Account' then source_record_id end) as crm_account_id
    from mapped_records
    group by customer_id
),

customers as (
    select
        customer_records.customer_id,
        customer_records.customer_type,
        coalesce(display_name.value, primary_phone.value, 'unknown ' || customer_records.customer_id) as display_name,
        primary_email.value as primary_email,
        primary_phone.value as primary_phone,
        city.value as city,
        country.value as country,
        industry.value as industry,
        accounts.account_type as crm_account_type,
        customer_records.crm_account_id,
        customer_records.first_seen_at,
        customer_records.source_systems,
        coalesce(reachability.is_reachable_by_phone or reachability.is_reachable_by_email, false) as is_contactable,
        coalesce(reachability.is_reachable_by_phone, false) as is_reachable_by_phone,
        coalesce(reachability.is_reachable_by_email, false) as is_reachable_by_email,
        case when not coalesce(reachability.is_reachable_by_phone or reachability.is_reachable_by_email, false)
             then coalesce(reachability.unreachable_reasons, 'no person known') end as unreachable_reason,
        {%- for field in fields %}
        {{ field }}.value_source as {{ field }}_source{% if not loop.last %},{% endif %}
        {%- endfor %}
    from customer_records
    {%- for field in fields %}
    left join chosen_{{ field }} as {{ field }} on {{ field }}.customer_id = customer_records.customer_id
    {%- endfor %}
    left join accounts on customer_records.crm_account_id = accounts.account_id
    left join reachability on reachability.customer_id = customer_records.customer_id
)

-- published sorted (c360.warehouse.PUBLISHED_ORDER) by customer id: a lookup of one customer reads one row group (min/max pruning)
select * from customers
