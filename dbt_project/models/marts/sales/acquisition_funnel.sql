{#- Leads per company-local month of creation, and how many became customers (converted, then
    ordered), with the conversion rate and the time it took. -#}
with leads as (
    select * from {{ ref('stg_sales__leads') }} where not is_deleted
),

first_orders as (
    select account_id, min(created_at) as first_order_at
    from {{ ref('stg_sales__orders') }} where not is_deleted
    group by account_id
),

-- where the CRM's order history begins: a lead older than it may have ordered before it, so its
-- first order is unknown (a CRM that keeps two years of orders made leads of five years ago look
-- like 1,500 days from lead to order)
order_history as (
    select min(first_order_at) as begins_at from first_orders
),

funnel as (
    select
        date_trunc('month', {{ local_date('leads.created_at') }}) as lead_month,
        count(*) as leads,
        count(case when leads.is_converted then 1 end) as converted,
        count(case when leads.is_converted and first_orders.first_order_at is not null then 1 end) as became_customers,
        avg(case when leads.is_converted
                 then {{ dbt.datediff('cast(' ~ local_date('leads.created_at') ~ ' as date)', 'leads.converted_date', 'day') }}
            end) as days_to_convert_avg,
        avg(case when first_orders.first_order_at >= leads.created_at and leads.created_at >= order_history.begins_at
                 then {{ dbt.datediff('leads.created_at', 'first_orders.first_order_at', 'day') }} end)
            as days_to_first_order_avg
    from leads
    left join first_orders on first_orders.account_id = leads.converted_account_id
    cross join order_history
    group by all
)

select
    cast(lead_month as date) as lead_month,
    leads,
    converted,
    became_customers,
    1.0 * converted / leads as conversion_rate,
    1.0 * became_customers / leads as customer_rate,
    days_to_convert_avg,
    days_to_first_order_avg
from funnel
