{#- Every value a person may type to find a customer — ids, order numbers, e-mails, phones,
    names — normalised, and published sorted by it (c360.warehouse.PUBLISHED_ORDER), so that an
    exact lookup reads one block of the table and a name search scans only names (the Customer
    360 page and `c360 customer` read this). -#}
with customers as (
    select * from {{ ref('dim_customer') }}
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_identity__source_records') }}
),

history as (
    select * from {{ ref('customer_id_history') }} where level = 'customer' and change = 'merge'
),

orders as (
    select * from {{ ref('int_sales__customer_orders') }}
),

record_customers as (
    select records.*, identity_map.customer_id
    from records
    inner join identity_map using (source_system, source_table, source_record_id)
),

keys as (
    select customer_id as search_key, 1 as rank, 'customer id' as kind, customer_id, customer_id as matched_value
    from customers

    union all
    -- only to a customer that exists tonight (a successor may have been split since)
    select history.previous_id, 2, 'retired id', history.current_id, history.previous_id
    from history
    inner join customers on customers.customer_id = history.current_id

    union all
    select source_record_id, 3, 'source record', customer_id, source_system || ' ' || source_table || ' ' || source_record_id
    from identity_map

    union all
    select order_number, 3, 'order', customer_id, order_number
    from orders

    union all
    -- order numbers are often said without their leading zeros
    select trim(leading '0' from order_number), 3, 'order', customer_id, order_number
    from orders
    where order_number like '0%'

    union all
    select lower(email), 4, 'e-mail', customer_id, email from record_customers where email is not null

    union all
    select phone_e164, 5, 'phone', customer_id, phone_e164 from record_customers where phone_e164 is not null

    union all
    select phone2_e164, 5, 'phone', customer_id, phone2_e164 from record_customers where phone2_e164 is not null

    union all
    select lower(display_name), 6, 'name', customer_id, display_name
    from customers where display_name is not null and customer_type <> 'unidentified'

    union all
    select lower(full_name), 7, 'name on ' || source_table, customer_id, full_name
    from record_customers where full_name is not null
),

-- one row per value and customer, under its most exact kind (a contact's name that is also the
-- customer's name stays once, as the name): half the rows a name search has to scan. Ties are
-- broken by kind and value, so every build picks the same row.
final as (
    select search_key, rank, kind, customer_id, matched_value
    from keys
    where search_key is not null and search_key <> ''
    qualify row_number() over (
        partition by search_key, customer_id order by rank, kind, matched_value
    ) = 1
)

select * from final
