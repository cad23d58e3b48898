"""The queries of the Customer 360 page (dashboards/views/customer_360.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from c360.lookup import find_customers, profile
from c360.privacy import pseudonym_key, real_contacts
from dashboards.data import ROW_CAP, config, connection, query, row_limit


@st.cache_resource
def pseudonym_key_of_publish() -> bytes | None:
    """The key e-mails and phones typed into the search are pseudonymised with (c360.privacy)."""
    return pseudonym_key(config().warehouse_dir, create=False)


@st.cache_data(show_spinner=False, max_entries=200)
def search_customers(version: str, text: str) -> pd.DataFrame:
    cursor = connection(version).cursor()
    try:
        matches = find_customers(cursor, text, config().phone_region, pseudonym_key_of_publish())
    finally:
        cursor.close()
    return pd.DataFrame(
        [m.__dict__ for m in matches], columns=["customer_id", "display_name", "customer_type", "matched_on"]
    )


def customer_contacts(version: str, customer_id: str) -> dict | None:
    """The real name, e-mail and phone from the contacts file of this publish, when this
    process's account may read it (not cached: it is personal data)."""
    return real_contacts(Path(version), customer_id)


@st.cache_data(show_spinner=False, max_entries=200)
def customer_profile(version: str, customer_id: str) -> dict:
    cursor = connection(version).cursor()
    try:
        return profile(cursor, customer_id)
    finally:
        cursor.close()


@st.cache_data(show_spinner=False, max_entries=200)
def customer_promises(version: str, customer_id: str) -> pd.DataFrame:
    return query(
        version,
        """
        select kind, department, status, order_number, promised_at, due_at, overdue_business_days,
               source_system, source_table, source_record_id
        from marts.open_promises
        where customer_id = $customer_id and status in ('open', 'at_risk')
        order by overdue_business_days desc nulls last, due_at
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_satisfaction(version: str, customer_id: str) -> pd.DataFrame:
    return query(
        version,
        """
        select cast(date_trunc('month', response_date) as date) as month, channel,
               count(*) as responses,
               100.0 * count(*) filter (where is_satisfied) / nullif(count(is_satisfied), 0) as csat_pct,
               avg(nps_score) as nps_score_avg,
               count(*) filter (where is_bad) as bad_answers
        from marts.satisfaction_responses
        where customer_id = $customer_id
        group by all
        order by month, channel
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_answers_of_month(version: str, customer_id: str, month: date, channel: str) -> pd.DataFrame:
    """The answers a point of customer_satisfaction stands on: the customer's of that month and channel."""
    return query(
        version,
        """
        select responded_at, channel, is_satisfied, nps_score, ces_score, is_bad, comment
        from marts.satisfaction_responses
        where customer_id = $customer_id and channel = $channel
              and response_date >= $month and response_date < $month + interval 1 month
        order by responded_at desc, response_id
        """,
        {"customer_id": customer_id, "channel": channel, "month": month},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_timeline(
    version: str,
    customer_id: str,
    start: date,
    end: date,
    departments: tuple[str, ...],
    channels: tuple[str, ...],
    limit: int | None = ROW_CAP,
) -> pd.DataFrame:
    return query(
        version,
        f"""
        select occurred_at, department, channel, touchpoint_type, summary, outcome,
               source_system, source_table, source_record_id
        from marts.fct_touchpoints
        where customer_id = $customer_id and occurred_date between $start_date and $end_date
            {"and list_contains($departments, department)" if departments else ""}
            {"and list_contains($channels, channel)" if channels else ""}
        order by occurred_at desc, touchpoint_id
        {row_limit(limit)}
        """,
        {
            "customer_id": customer_id,
            "start_date": start,
            "end_date": end,
            **({"departments": list(departments)} if departments else {}),
            **({"channels": list(channels)} if channels else {}),
        },
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_departments_and_channels(version: str, customer_id: str) -> tuple[list[str], list[str]]:
    frame = query(
        version,
        "select distinct department, channel from marts.fct_touchpoints where customer_id = $customer_id",
        {"customer_id": customer_id},
    )
    return sorted(frame["department"].dropna().unique()), sorted(frame["channel"].dropna().unique())


@st.cache_data(show_spinner=False, max_entries=200)
def customer_people(version: str, customer_id: str) -> pd.DataFrame:
    """The buying centre: each person, their roles on open or recent deals (and before), their
    last touch, and whether and how the company can reach them."""
    return query(
        version,
        """
        select display_name, title, buying_roles, past_buying_roles, is_primary_contact, last_touch_at,
               is_reachable_by_phone, is_reachable_by_email, unreachable_reason
        from marts.customer_contacts where customer_id = $customer_id
        order by is_primary_contact desc nulls last, buying_roles nulls last, display_name
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_opportunities(version: str, customer_id: str) -> pd.DataFrame:
    """What the customer is considering: each open deal, the soonest to close first."""
    return query(
        version,
        """
        select opportunity_name, stage, days_in_stage, amount, probability, expected_close_date, owner_name,
               last_activity_at, contact_roles, stale_reason
        from marts.open_opportunities where customer_id = $customer_id
        order by expected_close_date nulls last, opportunity_id
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_actions(version: str, customer_id: str) -> pd.DataFrame:
    """The customer's actions on the worklist: still to do (overdue first), then the rest, newest first."""
    return query(
        version,
        """
        select action, reason, status, owner, department, proposed_at, due_at, done_at
        from marts.action_queue where customer_id = $customer_id
        order by status in ('open', 'overdue') desc, status = 'overdue' desc, due_at,
                 coalesce(closed_at, proposed_at) desc, action_id
        """,
        {"customer_id": customer_id},
    )


@st.cache_data(show_spinner=False, max_entries=200)
def customer_verbatims(version: str, customer_id: str) -> pd.DataFrame:
    """The customer's comments with their scores and themes, newest first."""
    return query(
        version,
        """
        select responded_at, channel, score, comment, themes from marts.satisfaction_verbatims
        where customer_id = $customer_id order by responded_at desc, response_id
        """,
        {"customer_id": customer_id},
    )
