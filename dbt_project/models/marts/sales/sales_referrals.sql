{#- One row per referral lead: a lead that came from a referral (its LeadSource is one of var
    referral_lead_sources, or the CRM records who referred it in Lead.Referred_By__c), the
    customer who referred it where the CRM records one, whether it converted, and the orders of
    the customer it became since it converted. -#}
with leads as (
    select * from {{ ref('stg_sales__leads') }}
    where not is_deleted
        and (referred_by_account_id is not null or lead_source in (
            {%- for source in var('referral_lead_sources') %}'{{ source }}'{{ ',' if not loop.last }}{% endfor -%}
        ))
),

accounts as (
    select * from {{ ref('int_customers__crm_accounts') }}
),

orders as (
    select * from {{ ref('int_sales__customer_orders') }}
),

referred as (
    select
        leads.lead_id,
        leads.lead_source,
        leads.created_at,
        leads.referred_by_account_id,
        referrers.customer_id as referrer_customer_id,
        coalesce(leads.is_converted, false) as is_converted,
        leads.converted_date,
        converted.customer_id as referred_customer_id
    from leads
    left join accounts as referrers on referrers.crm_account_id = leads.referred_by_account_id
    left join accounts as converted on converted.crm_account_id = leads.converted_account_id
),

-- what the customer the lead became bought since it converted
bought as (
    select referred.lead_id, count(*) as referred_orders, sum(orders.total_amount) as referred_revenue
    from referred
    inner join orders
        on orders.customer_id = referred.referred_customer_id
        and cast(orders.created_at as date) >= referred.converted_date
    group by referred.lead_id
),

final as (
    select
        referred.*,
        coalesce(bought.referred_orders, 0) as referred_orders,
        coalesce(bought.referred_revenue, 0) as referred_revenue
    from referred
    left join bought on bought.lead_id = referred.lead_id
)

select * from final
