"""Issue 18's targets, held on both demo companies at a size where the churn backtest is a
measurement rather than a coin toss (1,000 customers: about 90 churners among the test customers;
at 300 there are about 25, and the us company's AUC moved from 0.82 to 0.72 when a change of the
demo shifted its random draws, the same seed giving another company): identity
precision ≥ 0.99 and recall ≥ 0.98 at person and customer level, and on customers active at the
cutoff a churn AUC ≥ 0.80 and a top-decile lift ≥ 3, as `c360 eval` reports them (make test-slow)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SESSION_AS_OF, c360, free_port, serving_demo_api

pytestmark = [pytest.mark.slow, pytest.mark.integration]

IDENTITY = {"precision": 0.99, "recall": 0.98}
CHURN = {"auc": 0.80, "lift_top_decile": 3.0}


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
