{#- Data rot, month by month: of the persons the company knew at the end of each month, how many
    it could reach by phone and by e-mail, and why not the others (the reasons of
    int_customers__person_reachability). What the sources keep without a date (a person's
    numbers and addresses, Do Not Call, opted out of e-mail) counts as it stands tonight;
    "unanswered recently" as it stood at each month's end (int_customers__unanswered_persons);
    a person counts from the month the warehouse first saw any record of theirs. -#}
with persons as (
    select
        person_id, first_seen_at, is_named, own_phones, shared_phones, is_do_not_call,
        own_emails, shared_emails, has_opted_out_of_email
    from {{ ref('int_customers__person_reachability') }}
),

months as (
    select month_start_date, measured_at from {{ ref('int_customers__reachability_months') }}
),

unanswered as (
    select month_start_date, person_id from {{ ref('int_customers__unanswered_persons') }}
),

known as (
    select
        months.month_start_date,
        months.measured_at,
        persons.*,
        unanswered.person_id is not null as is_unanswered
    from months
    inner join persons on persons.first_seen_at is null or persons.first_seen_at <= months.measured_at
    left join unanswered
        on unanswered.month_start_date = months.month_start_date and unanswered.person_id = persons.person_id
),

judged as (
    select
        month_start_date,
        measured_at,
        'phone' as channel,
        {{ unreachable_reason('phone', 'is_named', 'own_phones', 'shared_phones', 'is_do_not_call', 'is_unanswered') }}
            as unreachable_reason
    from known

    union all

    select
        month_start_date,
        measured_at,
        'email',
        {{ unreachable_reason('email', 'is_named', 'own_emails', 'shared_emails', 'has_opted_out_of_email',
                              'is_unanswered') }}
    from known
),

counted as (
    select
        month_start_date,
        measured_at,
        channel,
        unreachable_reason is null as is_reachable,
        unreachable_reason,
        count(*) as contacts
    from judged
    group by month_start_date, measured_at, channel, unreachable_reason
),

final as (
    select
        *,
        cast(contacts as double) / sum(contacts) over (partition by month_start_date, channel) as share_of_contacts
    from counted
)

select * from final
