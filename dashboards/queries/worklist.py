"""The queries of the Worklist page (dashboards/views/worklist.py) and the overview's worklist
figures, on dashboards.data's connection and caches: every value a user picked reaches DuckDB as
a bound parameter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.data import ROW_CAP, Period, query, row_limit, segment_filter, with_tiers

STILL_TO_DO = ("open", "overdue")


@st.cache_data(show_spinner=False)
def summary(version: str, start: date, end: date, tiers: tuple[str, ...]) -> dict[str, int]:
    """Actions to do now (open), overdue now, and done or superseded within the period."""
    row = query(
        version,
        f"""
        select count(*) filter (where status = 'open') as open,
               count(*) filter (where status = 'overdue') as overdue,
               count(*) filter (where status = 'done' and done_at >= $start_at and done_at < $end_at) as done,
               count(*) filter (where status = 'superseded' and closed_at >= $start_at and closed_at < $end_at)
                   as superseded
        from marts.action_queue
        where true {segment_filter(tiers)}
        """,
        with_tiers(Period(start, end).params(), tiers),
    ).iloc[0]
    return {name: int(row[name]) for name in ("open", "overdue", "done", "superseded")}


@st.cache_data(show_spinner=False)
def owners(version: str) -> list[str]:
    """Everyone who owns an action still to do, in name order."""
    frame = query(
        version, "select distinct owner from marts.action_queue where status in ('open', 'overdue') order by owner"
    )
    return frame["owner"].tolist()


@st.cache_data(show_spinner=False)
def by_owner(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """Each owner and department: actions open and overdue now, done within the period; the
    most overdue first."""
    return query(
        version,
        f"""
        select owner, department,
               count(*) filter (where status = 'open') as open,
               count(*) filter (where status = 'overdue') as overdue,
               count(*) filter (where status = 'done' and done_at >= $start_at and done_at < $end_at) as done
        from marts.action_queue
        where true {segment_filter(tiers)}
        group by owner, department
        having count(*) filter (where status in ('open', 'overdue')) > 0 or done > 0
        order by overdue desc, open desc, owner, department
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def actions(
    version: str,
    tiers: tuple[str, ...],
    statuses: tuple[str, ...],
    owner: str | None,
    department: str | None,
    limit: int | None = ROW_CAP,
) -> pd.DataFrame:
    """The actions of the chosen statuses (and owner, department): overdue first, then the
    soonest due."""
    params = {"statuses": list(statuses), "owner": owner, "department": department}
    return query(
        version,
        f"""
        select actions.customer_id, customers.display_name, customers.value_tier, actions.action,
               actions.reason, actions.status, actions.owner, actions.department, actions.proposed_at,
               actions.due_at, actions.done_at
        from marts.action_queue as actions
        left join marts.customer_360 as customers using (customer_id)
        where list_contains($statuses, actions.status)
            and ($owner is null or actions.owner = $owner)
            and ($department is null or actions.department = $department)
            {segment_filter(tiers, "actions.customer_id")}
        order by actions.status = 'overdue' desc, actions.due_at, actions.action_id
        {row_limit(limit)}
        """,
        with_tiers(params, tiers),
    )
