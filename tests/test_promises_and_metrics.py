"""Broken promises and the metric marts on the published small demo company, checked against
what the demo planted and what its source files say."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import pytest

from tests.conftest import SESSION_AS_OF
from tests.warehouse import assert_broken_promises_are_the_planted_ones, query

pytestmark = pytest.mark.integration


def planted(published_company) -> set[tuple[str, str]]:
    config, _ = published_company
    with open(config.parent / "ground_truth" / "incidents.csv", encoding="utf-8") as f:
        return {(row["kind"], row["source_record_id"]) for row in csv.DictReader(f)}


def test_every_planted_incident_is_a_broken_promise_and_nothing_else_is(warehouse, published_company):
    config, _ = published_company
    assert_broken_promises_are_the_planted_ones(warehouse, config.parent / "ground_truth" / "incidents.csv")


def test_promises_not_yet_due_are_at_risk_and_none_of_them_was_planted(warehouse, published_company):
    at_risk = warehouse.execute(
        "select kind, source_record_id, due_at from marts.open_promises where status = 'at_risk'"
    ).fetchall()
    as_of = datetime.fromisoformat(SESSION_AS_OF)  # the night's pinned "now"
    assert all(due > as_of for *_, due in at_risk)
    assert not {(k, r) for k, r, _ in at_risk} & planted(published_company)


def test_customer_360_counts_open_promises_and_recent_sla_breaches(warehouse):
    mismatched = warehouse.execute(
        """
        select count(*) from marts.customer_360 c
        left join (select customer_id, count(*) n from marts.open_promises
                   where status in ('open', 'at_risk') group by 1) p using (customer_id)
        where c.open_promises <> coalesce(p.n, 0)
        """
    ).fetchall()[0][0]
    assert mismatched == 0
    assert warehouse.execute("select sum(sla_breaches_90d) >= 0 from marts.customer_360").fetchall()[0][0]


def staged(published_company, sql: str):
    """The staging layer stays in the run's working database (the publish holds marts only)."""
    config, _ = published_company
    return query(config.parent / "warehouse" / "work" / "c360.duckdb", sql)[0][0]


def test_every_ticket_is_measured_once_and_solved_ones_have_both_clocks(warehouse, published_company):
    tickets = staged(published_company, "select count(*) from staging.stg_service__tickets")
    measured = warehouse.execute("select count(*) from marts.service_tickets").fetchall()[0][0]
    assert measured == tickets
    bad = warehouse.execute(
        """
        select count(*) from marts.service_tickets
        where solved_at is not null and (full_resolution_business_minutes is null
              or full_resolution_business_minutes > full_resolution_calendar_minutes + 1)
        """
    ).fetchall()[0][0]
    assert bad == 0, "business minutes can never exceed calendar minutes"


def test_callcenter_daily_accounts_for_every_queued_call(warehouse, published_company):
    queued = staged(
        published_company,
        "select count(distinct call_id) from staging.stg_call_center__queue_events where event = 'ENTERQUEUE'",
    )
    offered, short = warehouse.execute(
        "select sum(offered), sum(short_abandons) from marts.callcenter_daily"
    ).fetchall()[0]
    assert offered + short == queued
    assert warehouse.execute(
        "select bool_and(answered + abandoned <= offered and service_level_20s between 0 and 1) "
        "from marts.callcenter_daily where offered > 0"
    ).fetchall()[0][0]


def test_order_fulfilment_has_one_row_per_order_and_otif_is_on_time_and_in_full(warehouse, published_company):
    orders = staged(published_company, "select count(*) from staging.stg_sales__orders where not is_deleted")
    rows, wrong = warehouse.execute(
        "select (select count(*) from marts.order_fulfilment), "
        "(select count(*) from marts.order_fulfilment where is_otif <> (is_on_time and is_in_full))"
    ).fetchall()[0]
    assert rows == orders and wrong == 0


def test_churn_risk_scores_every_active_customer_and_no_lapsed_one_and_explains_itself(warehouse, published_company):
    from tests.conftest import c360

    unscored, scored, explained, lapsed, lapsed_scored = warehouse.execute(
        """
        select count(*) filter (where churn_risk is null and lifecycle_stage not in ('prospect', 'lapsed')),
               count(*) filter (where churn_risk between 0 and 1),
               count(*) filter (where churn_reasons <> ''),
               count(*) filter (where lifecycle_stage = 'lapsed'),
               count(*) filter (where churn_risk is not null and lifecycle_stage = 'lapsed')
        from marts.customer_360
        """
    ).fetchall()[0]
    assert unscored == 0 and scored > 0 and explained > 0
    assert lapsed > 0 and lapsed_scored == 0, "a lapsed customer has gone: the win-back list, not a churn risk"
    config, _ = published_company
    result = json.loads(c360("eval", "churn", "--config", str(config), "--json").stdout)
    assert 0.5 < result["auc"] <= 1 and result["lift_top_decile"] > 1
    model = warehouse.execute(  # one model per run; the publish's own is the newest
        "select backtest_auc, coefficients_json from scoring.churn_models order by created_at desc limit 1"
    ).fetchall()
    assert len(model) == 1 and set(json.loads(model[0][1])) >= {"recency_ratio", "late_deliveries_365d"}


def test_a_customer_with_an_open_promise_is_told_to_put_it_right_first(warehouse):
    wrong = warehouse.execute(
        """
        select count(*) from marts.customer_360 c
        where c.open_promises > 0 and c.next_best_action not in (
            'Resolve the overdue installation', 'Answer the compensation claim', 'Replace the wrong item',
            'Call back after the bad rating', 'Chase the late delivery')
        """
    ).fetchall()[0][0]
    assert wrong == 0
