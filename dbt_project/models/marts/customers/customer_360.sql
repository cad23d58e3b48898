{#- One row per customer: who they are and how the relationship stands today. -#}
with customers as (
    select * from {{ ref('dim_customer') }}
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

orders as (
    select * from {{ ref('int_sales__customer_orders') }}
),

tickets as (
    select tickets.*, requesters.customer_id
    from {{ ref('stg_service__tickets') }} as tickets
    inner join {{ ref('int_customers__desk_users') }} as requesters
        on requesters.user_id = cast(tickets.requester_id as {{ dbt.type_string() }})
),

shipments as (
    select shipments.*, identity_map.customer_id
    from {{ ref('stg_logistics__shipments') }} as shipments
    inner join identity_map
        on identity_map.source_table = 'shipments' and identity_map.source_record_id = shipments.shipment_id
),

deliveries as (
    select shipment_id, customer_id, promised_delivery_date, delivered.event_at as delivered_at
    from shipments
    left join {{ ref('stg_logistics__tracking_events') }} as delivered
        on delivered.tracking_number = shipments.tracking_number and delivered.event_code = 'DL'
),

now as (
    select {{ as_of() }} as as_of_at
),

order_sequence as (
    select
        orders.*,
        lag(orders.created_at) over (partition by orders.customer_id order by orders.created_at, orders.order_id)
            as previous_created_at,
        row_number() over (
            partition by orders.customer_id order by orders.created_at desc, orders.order_id desc
        ) = 1 as is_latest
    from orders
),

order_stats as (
    select
        customer_id,
        sum(case when created_at >= {{ dbt.dateadd('day', -365, 'as_of_at') }} then total_amount else 0 end) as revenue_12m,
        count(case when created_at >= {{ dbt.dateadd('day', -365, 'as_of_at') }} then 1 end) as orders_12m,
        max(created_at) as last_order_at,
        max(previous_created_at) filter (where is_latest) as previous_order_at,
        min(created_at) as first_order_at,
        count(*) as orders_total,
        sum(total_amount) as lifetime_revenue,
        -- the customer's own usual interval between orders
        case when count(*) > 1 then {{ dbt.datediff('min(created_at)', 'max(created_at)', 'day') }} / (count(*) - 1) end
            as usual_order_interval_days
    from order_sequence cross join now
    group by customer_id
),

ticket_stats as (
    select
        customer_id,
        count(case when status in ('new', 'open', 'pending', 'hold') then 1 end) as open_tickets,
        count(case when satisfaction_score in ('good', 'bad') and updated_at >= {{ dbt.dateadd('day', -90, 'as_of_at') }} then 1 end) as rated_90d,
        count(case when satisfaction_score = 'good' and updated_at >= {{ dbt.dateadd('day', -90, 'as_of_at') }} then 1 end) as good_90d
    from tickets cross join now
    group by customer_id
),

delivery_stats as (
    select
        customer_id,
        count(case when promised_delivery_date >= cast({{ dbt.dateadd('day', -365, 'as_of_at') }} as date)
                        and coalesce({{ local_date('delivered_at') }}, cast(as_of_at as date)) > promised_delivery_date
                   then 1 end) as late_deliveries_12m
    from deliveries cross join now
    group by customer_id
),

touch_stats as (
    select
        customer_id,
        max(occurred_at) as last_touch_at,
        count(case when touchpoint_type in ('call_answered', 'call_abandoned') and occurred_at >= {{ dbt.dateadd('day', -90, 'as_of_at') }} then 1 end) as calls_90d,
        count(case when touchpoint_type = 'call_abandoned' and occurred_at >= {{ dbt.dateadd('day', -90, 'as_of_at') }} then 1 end) as abandoned_calls_90d
    from touchpoints cross join now
    group by customer_id
),

-- distinct (customer, department) pairs first: a distinct count inside the aggregate above was
-- four times slower over tens of millions of touchpoints
department_stats as (
    select customer_id, count(*) as departments_touched_90d
    from (
        select distinct customer_id, department
        from touchpoints cross join now
        where department is not null and occurred_at >= {{ dbt.dateadd('day', -90, 'as_of_at') }}
    ) as recent_departments
    group by customer_id
),

sla_stats as (
    select customer_id, count(*) as sla_breaches_90d
    from {{ ref('service_tickets') }} cross join now
    where is_sla_breached and created_at >= {{ dbt.dateadd('day', -90, 'as_of_at') }}
    group by customer_id
),

promise_stats as (
    select customer_id, count(*) as open_promises
    from {{ ref('open_promises') }}
    where status in ('open', 'at_risk')
    group by customer_id
),

nps_last as (
    select
        accounts.customer_id,
        {{ arg_max('surveys.score', 'surveys.responded_at') }} as nps_last
    from {{ ref('stg_sales__survey_responses') }} as surveys
    inner join {{ ref('int_customers__crm_accounts') }} as accounts on accounts.crm_account_id = surveys.account_id
    where surveys.survey_type = 'NPS' and not surveys.is_deleted
    group by accounts.customer_id
),

-- margin over 12 months, where the CRM records the products' unit costs (Product2.Unit_Cost__c):
-- line revenue less quantity × unit cost, over the lines whose product has a cost
margin_stats as (
    select
        orders.customer_id,
        sum(items.total_price - items.quantity * products.unit_cost) as margin_12m
    from orders
    cross join now
    inner join {{ ref('stg_sales__order_items') }} as items on items.order_id = orders.order_id
    inner join {{ ref('stg_sales__products') }} as products on products.product_id = items.product_id
    where not items.is_deleted and products.unit_cost is not null
        and orders.created_at >= {{ dbt.dateadd('day', -365, 'now.as_of_at') }}
    group by orders.customer_id
),

-- ranks among customers with orders: the value pyramid among paying ones (12 months), and
-- RFM quintiles (5 = best): recency of the last order, orders and revenue in 12 months. A
-- quintile comes from the rank, so equal customers share it (ntile would split a tie at random
-- between two quintiles, differently from build to build)
ranked as (
    select
        order_stats.customer_id,
        percent_rank() over (
            partition by order_stats.revenue_12m > 0 order by order_stats.revenue_12m desc
        ) as revenue_rank,
        {{ quintile('order_stats.last_order_at') }} as rfm_recency,
        {{ quintile('order_stats.orders_12m, order_stats.orders_total') }} as rfm_frequency,
        {{ quintile('order_stats.revenue_12m') }} as rfm_monetary,
        percent_rank() over (order by order_stats.lifetime_revenue desc) as lifetime_value_rank,
        margin_stats.margin_12m,
        percent_rank() over (
            partition by coalesce(margin_stats.margin_12m, 0) > 0 order by margin_stats.margin_12m desc
        ) as margin_rank
    from order_stats
    left join margin_stats on margin_stats.customer_id = order_stats.customer_id
),

profile as (
    select
        customers.customer_id,
        customers.display_name,
        customers.customer_type,
        {{ value_tier('order_stats.revenue_12m', 'ranked.revenue_rank') }} as value_tier,
        ranked.margin_12m,
        -- the pyramid by margin where the company records costs, else by revenue
        case
            when (select count(*) from margin_stats) > 0 then {{ value_tier('ranked.margin_12m', 'ranked.margin_rank') }}
            else {{ value_tier('order_stats.revenue_12m', 'ranked.revenue_rank') }}
        end as profit_tier,
        {{ lifecycle_stage('order_stats.first_order_at', 'order_stats.last_order_at', 'order_stats.previous_order_at',
                           'order_stats.usual_order_interval_days', 'order_stats.orders_total', 'now.as_of_at') }}
            as lifecycle_stage,
        ranked.rfm_recency,
        ranked.rfm_frequency,
        ranked.rfm_monetary,
        cast(ranked.rfm_recency as {{ dbt.type_string() }}) || cast(ranked.rfm_frequency as {{ dbt.type_string() }})
            || cast(ranked.rfm_monetary as {{ dbt.type_string() }}) as rfm_score,
        coalesce(order_stats.revenue_12m, 0) as revenue_12m,
        coalesce(order_stats.lifetime_revenue, 0) as lifetime_revenue,
        coalesce(order_stats.orders_total, 0) as orders_total,
        {{ dbt.datediff('order_stats.first_order_at', 'now.as_of_at', 'day') }} as tenure_days,
        -- lapsed no longer than win_back_within_days ago, and among the customers who spent most
        -- with the company over their whole life (not the last 12 months, which a lapsed customer
        -- has spent nothing in): worth an offer to win them back
        coalesce(
            {{ dbt.datediff('order_stats.last_order_at', 'now.as_of_at', 'day') }}
                > {{ lapsed_after_days('order_stats.usual_order_interval_days') }}
            and {{ dbt.datediff('order_stats.last_order_at', 'now.as_of_at', 'day') }}
                <= {{ lapsed_after_days('order_stats.usual_order_interval_days') }} + {{ var('win_back_within_days') }}
            and ranked.lifetime_value_rank < {{ var('win_back_lifetime_value_share') }}
            and order_stats.first_order_at < {{ dbt.dateadd('day', -90, 'now.as_of_at') }},
            false
        ) as is_worth_winning_back,
        coalesce(order_stats.orders_12m, 0) as orders_12m,
        order_stats.last_order_at,
        order_stats.usual_order_interval_days,
        coalesce(ticket_stats.open_tickets, 0) as open_tickets,
        coalesce(sla_stats.sla_breaches_90d, 0) as sla_breaches_90d,
        coalesce(promise_stats.open_promises, 0) as open_promises,
        case when ticket_stats.rated_90d > 0 then 100.0 * ticket_stats.good_90d / ticket_stats.rated_90d end as csat_pct_90d,
        cast(nps_last.nps_last as integer) as nps_last,
        coalesce(touch_stats.calls_90d, 0) as calls_90d,
        coalesce(touch_stats.abandoned_calls_90d, 0) as abandoned_calls_90d,
        coalesce(delivery_stats.late_deliveries_12m, 0) as late_deliveries_12m,
        touch_stats.last_touch_at,
        coalesce(department_stats.departments_touched_90d, 0) as departments_touched_90d,
        customers.is_contactable
    from customers
    cross join now
    left join ranked on customers.customer_id = ranked.customer_id
    left join order_stats on customers.customer_id = order_stats.customer_id
    left join ticket_stats on customers.customer_id = ticket_stats.customer_id
    left join delivery_stats on customers.customer_id = delivery_stats.customer_id
    left join touch_stats on customers.customer_id = touch_stats.customer_id
    left join department_stats on customers.customer_id = department_stats.customer_id
    left join nps_last on customers.customer_id = nps_last.customer_id
    left join sla_stats on customers.customer_id = sla_stats.customer_id
    left join promise_stats on customers.customer_id = promise_stats.customer_id
),

churn as (
    select customer_id, churn_risk, churn_reasons from {{ source('scoring', 'churn_scores') }}
),

-- next best action, most urgent first: a broken promise to put right, a lapsed customer worth
-- winning back, an active one likely to leave to call, then the product family most often
-- bought with what they own
promise_actions as (
    select
        customer_id,
        -- (urgency, reason): one row for both, the same one in every build when urgencies tie
        {{ arg_min('action', ['urgency', 'reason']) }} as action,
        {{ arg_min('reason', ['urgency', 'reason']) }} as reason
    from (
        select
            customer_id,
            case kind
                when 'installation_overdue' then 1
                when 'compensation_unanswered' then 2
                when 'wrong_item_shipped' then 3
                when 'bad_rating_no_follow_up' then 4
                when 'delivery_late' then 5
            end * 1000 - overdue_business_days as urgency,
            {{ promise_action('kind') }} as action,
            {{ promise_reason() }} as reason
        from {{ ref('open_promises') }}
        where status in ('open', 'at_risk')
    ) as promise_rows
    group by customer_id
),

owned_families as (
    select distinct orders.customer_id, products.product_family
    from orders
    inner join {{ ref('stg_sales__order_items') }} as items on items.order_id = orders.order_id
    inner join {{ ref('stg_sales__products') }} as products on products.product_id = items.product_id
    where products.product_family is not null and not items.is_deleted
),

cross_sell as (
    select
        owned_families.customer_id,
        {{ arg_max('affinity.together_with', ['affinity.confidence', 'affinity.together_with', 'owned_families.product_family']) }}
            as family,
        {{ arg_max('owned_families.product_family', ['affinity.confidence', 'affinity.together_with', 'owned_families.product_family']) }}
            as because_of,
        max(affinity.confidence) as confidence
    from owned_families
    inner join {{ ref('int_sales__family_affinity') }} as affinity on affinity.family = owned_families.product_family
    left join owned_families as already
        on already.customer_id = owned_families.customer_id and already.product_family = affinity.together_with
    where already.customer_id is null
    group by owned_families.customer_id
),

-- the buying centre: who of the customer's people the company can reach, and who decides
-- (a contact with the Decision Maker role on an open or recent opportunity, the primary first)
contacts as (
    select
        customer_id,
        display_name,
        is_primary_contact,
        coalesce(is_reachable_by_phone or is_reachable_by_email, false) as is_reachable,
        coalesce(buying_roles like '%Decision Maker%', false) as is_decision_maker
    from {{ ref('customer_contacts') }}
),

buying_centre as (
    select
        customer_id,
        count(*) as contacts,
        count(case when is_reachable then 1 end) as reachable_contacts,
        {{ arg_min('case when is_decision_maker then display_name end',
                   ['case when is_decision_maker then 0 else 1 end', 'case when is_primary_contact then 0 else 1 end', 'display_name']) }}
            as decision_maker,
        bool_or(is_decision_maker and is_reachable) as is_decision_maker_reachable,
        bool_or(is_decision_maker) as has_decision_maker
    from contacts
    group by customer_id
),

-- loyalty: the product families the customer bought, out of those the company offers
families_bought as (
    select customer_id, count(*) as product_families_bought from owned_families group by customer_id
),

families_offered as (
    select count(distinct product_family) as product_families_offered
    from {{ ref('stg_sales__products') }}
    where product_family is not null and is_active and not is_deleted
),

-- the leads the customer referred (sales_referrals)
referrals as (
    select
        referrer_customer_id as customer_id,
        count(*) as referrals_made,
        count(case when is_converted then 1 end) as referrals_converted,
        sum(referred_revenue) as referred_revenue
    from {{ ref('sales_referrals') }}
    where referrer_customer_id is not null
    group by referrer_customer_id
),

-- what the customer is considering now
pipeline as (
    select
        customer_id,
        count(*) as open_opportunities,
        sum(amount) as open_pipeline_amount,
        count(case when is_stale then 1 end) as stale_opportunities
    from {{ ref('open_opportunities') }}
    where customer_id is not null
    group by customer_id
),

final as (
    select
        profile.*,
        coalesce(buying_centre.contacts, 0) as contacts,
        coalesce(buying_centre.reachable_contacts, 0) as reachable_contacts,
        buying_centre.decision_maker,
        case when buying_centre.has_decision_maker then buying_centre.is_decision_maker_reachable end
            as is_decision_maker_reachable,
        coalesce(pipeline.open_opportunities, 0) as open_opportunities,
        coalesce(pipeline.open_pipeline_amount, 0) as open_pipeline_amount,
        coalesce(pipeline.stale_opportunities, 0) as stale_opportunities,
        coalesce(families_bought.product_families_bought, 0) as product_families_bought,
        families_offered.product_families_offered,
        coalesce({{ nps_is_promoter('profile.nps_last') }}, false) as is_promoter,
        coalesce(referrals.referrals_made, 0) as referrals_made,
        coalesce(referrals.referrals_converted, 0) as referrals_converted,
        coalesce(referrals.referred_revenue, 0) as referred_revenue,
        churn.churn_risk,
        coalesce(churn.churn_risk >= {{ var('high_churn_risk') }}, false) as is_high_churn_risk,
        churn.churn_reasons,
        case
            when promise_actions.action is not null then promise_actions.action
            when profile.is_worth_winning_back then 'Win-back offer'
            when churn.churn_risk >= {{ var('high_churn_risk') }} then 'Retention call'
            when cross_sell.family is not null then 'Cross-sell ' || cross_sell.family
        end as next_best_action,
        case
            when promise_actions.action is not null then promise_actions.reason
            when profile.is_worth_winning_back
                then 'lapsed, last order ' || cast({{ local_date('profile.last_order_at') }} as {{ dbt.type_string() }})
                     || ', lifetime revenue ' || cast(cast(round(profile.lifetime_revenue) as bigint) as {{ dbt.type_string() }})
            when churn.churn_risk >= {{ var('high_churn_risk') }}
                then 'churn risk ' || cast(cast(round(100 * churn.churn_risk) as integer) as {{ dbt.type_string() }}) || ' %'
                     || coalesce(': ' || churn.churn_reasons, '')
            when cross_sell.family is not null
                then cast(round(100 * cross_sell.confidence) as integer) || ' % of orders with '
                     || cross_sell.because_of || ' also have ' || cross_sell.family
        end as next_best_action_reason
    from profile
    -- a churn risk is about a customer still active: a lapsed one has gone (the win-back list)
    left join churn on churn.customer_id = profile.customer_id and profile.lifecycle_stage not in ('lapsed', 'prospect')
    left join promise_actions on promise_actions.customer_id = profile.customer_id
    left join cross_sell on cross_sell.customer_id = profile.customer_id
    left join buying_centre on buying_centre.customer_id = profile.customer_id
    left join pipeline on pipeline.customer_id = profile.customer_id
    left join families_bought on families_bought.customer_id = profile.customer_id
    left join referrals on referrals.customer_id = profile.customer_id
    cross join families_offered
)

-- published sorted (c360.warehouse.PUBLISHED_ORDER) by customer id: a lookup of one customer reads one row group (min/max pruning)
select * from final
