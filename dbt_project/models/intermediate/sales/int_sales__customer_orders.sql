{#- The CRM's live orders (not deleted) with the customer that placed them. -#}
select
    orders.*,
    accounts.customer_id
from {{ ref('stg_sales__orders') }} as orders
inner join {{ ref('int_customers__crm_accounts') }} as accounts on accounts.crm_account_id = orders.account_id
where not orders.is_deleted
