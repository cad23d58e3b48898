"""The early-warning worklist (marts.action_queue) on the published small demo company, held to
what the demo planted and to the touchpoints the warehouse itself publishes."""

from __future__ import annotations

import csv
from datetime import datetime

import pyarrow as pa
import pytest

from tests.conftest import SESSION_AS_OF

pytestmark = pytest.mark.integration

# what counts as the company reaching the customer (action_queue's definition of done)
CONTACT = (
    "(touchpoint_type in ('ticket_reply', 'call_outbound_answered') "
    "or (touchpoint_type = 'crm_activity' and lower(outcome) = 'completed'))"
)


def test_every_active_customer_at_high_risk_and_every_one_worth_winning_back_gets_an_action(warehouse):
    missing = warehouse.execute(
        """
        select c.customer_id, c.lifecycle_stage, c.is_high_churn_risk, c.is_worth_winning_back
        from marts.customer_360 as c
        where (c.is_high_churn_risk and c.lifecycle_stage not in ('lapsed', 'prospect')
               and c.customer_id not in (select customer_id from marts.action_queue where kind = 'churn_risk'))
           or (c.is_worth_winning_back
               and c.customer_id not in (select customer_id from marts.action_queue where kind = 'win_back'))
        """
    ).fetchall()
    assert missing == []
    counts = dict(warehouse.execute("select kind, count(*) from marts.action_queue group by kind").fetchall())
    assert counts.get("churn_risk", 0) > 0 and counts.get("win_back", 0) > 0, counts


def test_a_lapsed_customer_of_any_tier_worth_winning_back_is_offered_one(warehouse):
    """Win-back goes by lifetime value: a lapsed customer has no revenue in the last 12 months,
    so a rule on the 12 months' tier would never offer it one."""
    tiers = {
        tier
        for (tier,) in warehouse.execute(
            "select distinct c.value_tier from marts.action_queue as a "
            "inner join marts.customer_360 as c using (customer_id) where a.kind = 'win_back'"
        ).fetchall()
    }
    assert "none" in tiers, tiers


def test_planted_promises_left_unkept_are_overdue_unless_the_company_reached_the_customer(warehouse, published_company):
    """Each incident the demo planted and never resolved is a broken promise with its action,
    proposed when it broke. Its status is what the published touchpoints say: done at the first
    contact after the proposal, else overdue once its one working day has passed."""
    config, _ = published_company
    with open(config.parent / "ground_truth" / "incidents.csv", encoding="utf-8") as f:
        unresolved = [(row["kind"], row["source_record_id"]) for row in csv.DictReader(f) if not row["resolved_at"]]
    warehouse.register(
        "planted", pa.table({"kind": [k for k, _ in unresolved], "source_record_id": [r for _, r in unresolved]})
    )
    rows = warehouse.execute(
        f"""
        select p.kind, a.status, a.proposed_at, a.due_at, a.done_at, p.due_at as broke_at,
            (select min(t.occurred_at) from marts.fct_touchpoints as t
             where t.customer_id = a.customer_id and {CONTACT}
                 and t.occurred_at >= a.proposed_at and t.occurred_at <= timestamp '{SESSION_AS_OF}') as first_contact
        from planted
        inner join marts.open_promises as p using (kind, source_record_id)
        left join marts.action_queue as a on a.kind = 'open_promise' and a.subject_id = p.promise_id
        where p.status = 'open'
        """
    ).fetchall()
    assert rows, "the demo plants promises nobody kept"
    statuses = []
    for kind, status, proposed_at, due_at, done_at, broke_at, first_contact in rows:
        assert status is not None, f"{kind}: an open promise without an action"
        assert proposed_at == broke_at, "proposed when the promise broke"
        if first_contact is not None:
            assert (status, done_at) == ("done", first_contact)
        else:
            assert status == ("overdue" if due_at < datetime.fromisoformat(SESSION_AS_OF) else "open")
        statuses.append(status)
    assert "overdue" in statuses and "done" in statuses, statuses


def test_action_ids_are_unique_and_every_open_one_has_an_owner_and_a_due_time(warehouse):
    total, ids, no_owner, no_due = warehouse.execute(
        "select count(*), count(distinct action_id), count(*) filter (where owner is null), "
        "count(*) filter (where status in ('open', 'overdue') and due_at is null) from marts.action_queue"
    ).fetchall()[0]
    assert total > 0 and total == ids
    assert (no_owner, no_due) == (0, 0)
