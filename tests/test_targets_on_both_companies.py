"""Issue 18's targets, held on both demo companies at a size where the churn backtest is a
measurement rather than a coin toss (1,000 customers: about 90 churners among the test customers;
at 300 there are about 25, and the us company's AUC moved from 0.82 to 0.72 when a change of the
demo shifted its random draws, the same seed giving another company): identity
precision ≥ 0.99 and recall ≥ 0.98 at person and customer level, and on customers active at the
cutoff a churn AUC ≥ 0.80 and a top-decile lift ≥ 3, as `c360 eval` reports them (make test-slow);
and issue 21's: the customers the demo planted as leaving get an action on the worklist."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import duckdb
import pytest

from tests.conftest import SESSION_AS_OF, c360, free_port, serving_demo_api

pytestmark = [pytest.mark.slow, pytest.mark.integration]

IDENTITY = {"precision": 0.99, "recall": 0.98}
CHURN = {"auc": 0.80, "lift_top_decile": 3.0}
# share of the planted leavers the worklist reaches: those who left 60 to 365 days before the
# as-of (sooner, nothing shows yet; later, the win-back list is for a year's lapse at most)
LEAVERS_WITH_AN_ACTION = 0.75


@pytest.fixture(scope="module", params=["cn", "us"])
def company(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"targets_{request.param}")
    c360(
        "demo",
        "--profile",
        request.param,
        "--customers",
        "1000",
        "--seed",
        "7",
        "--out",
        str(out),
        "--api-port",
        str(free_port()),
    )
    config = out / "c360.yml"
    with serving_demo_api(config):
        c360("run", "--config", str(config), env={"C360_AS_OF": SESSION_AS_OF})
    return config


def test_persons_and_customers_are_resolved_to_the_targets(company):
    scores = json.loads(c360("eval", "identity", "--config", str(company), "--json").stdout)
    for level in ("persons", "organizations"):
        got = {measure: scores[level][measure] for measure in IDENTITY}
        assert all(got[m] >= IDENTITY[m] for m in IDENTITY), (level, got)


def test_the_churn_backtest_on_active_customers_reaches_the_targets(company):
    result = json.loads(c360("eval", "churn", "--config", str(company), "--json").stdout)
    got = {measure: result[measure] for measure in CHURN}
    assert all(got[m] >= CHURN[m] for m in CHURN), got


def test_most_customers_the_demo_planted_as_leaving_get_an_action(company):
    """Measured at 1,000 customers, seed 7 (as-of 2026-11-30 07:43): us 83 of 104 (0.80). The
    ones left out are lapsed customers in the bottom half by lifetime revenue (not worth a
    win-back by the rule) and a few active ones the churn model scores low."""
    folder = company.parent
    with open(folder / "ground_truth" / "identities.csv", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        account = {r["true_entity_id"]: r["source_record_id"] for r in rows if r["source_table"] == "Account"}
    as_of = datetime.fromisoformat(SESSION_AS_OF)
    with open(folder / "ground_truth" / "customers.csv", encoding="utf-8") as f:
        leavers = {
            account[r["true_customer_id"]]
            for r in csv.DictReader(f)
            if r["churned_at"]
            and int(r["orders"]) > 0
            and as_of - timedelta(days=365) <= datetime.fromisoformat(r["churned_at"]) <= as_of - timedelta(days=60)
        }
    con = duckdb.connect(str((folder / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True)
    try:
        with_action = {
            a
            for (a,) in con.execute(
                """select distinct m.source_record_id from marts.action_queue as q
                   inner join marts.customer_identity_map as m on m.customer_id = q.customer_id
                   where m.source_table = 'Account' and q.status in ('open', 'overdue', 'done')"""
            ).fetchall()
        }
    finally:
        con.close()
    assert len(leavers) >= 30, "the demo plants customers who leave"
    reached = len(leavers & with_action) / len(leavers)
    assert reached >= LEAVERS_WITH_AN_ACTION, f"{len(leavers & with_action)} of {len(leavers)}"
