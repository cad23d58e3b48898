from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from scoring.churn import fit, lift_top_decile, predict, reasons
from scoring.features import FEATURES


def customers(n=200, seed=1) -> pd.DataFrame:
    """Hand-made customers: those long past their usual interval and with late deliveries churn."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({feature: np.zeros(n) for feature in FEATURES})
    frame["recency_ratio"] = rng.uniform(0, 4, n)
    frame["late_deliveries_365d"] = rng.integers(0, 3, n)
    frame["sla_breaches_180d"] = rng.integers(0, 3, n)  # noise, unrelated to churn here
    frame["detractor_nps_score"] = np.nan
    frame["departments_90d"] = 2
    frame["orders_total"] = 3
    frame["low_order_count"] = 1 / 3
    frame["churned"] = (frame["recency_ratio"] + frame["late_deliveries_365d"] + rng.normal(0, 0.3, n)) > 2.5
    frame["customer_id"] = [f"cus_{i}" for i in range(n)]
    return frame


def test_the_model_ranks_churners_above_stayers():
    frame = customers()
    model = fit(frame, datetime(2026, 1, 1))
    scores = predict(model, frame)
    assert scores[frame["churned"]].mean() > scores[~frame["churned"]].mean() + 0.3


def test_reasons_name_the_risk_factors_a_customer_has_in_words():
    frame = customers()
    model = fit(frame, datetime(2026, 1, 1))
    at_risk = frame.iloc[[int(np.argmax(frame["recency_ratio"] + frame["late_deliveries_365d"]))]]
    words = reasons(model, at_risk)[0]
    assert "their usual interval" in words and "late deliver" in words
    calm = frame.assign(recency_ratio=0.1, late_deliveries_365d=0, sla_breaches_180d=0).iloc[[0]]
    assert "SLA" not in reasons(model, calm)[0], "an absent factor is no reason"


def test_a_history_where_everyone_did_the_same_cannot_be_learned_and_says_so():
    frame = customers().assign(churned=False)
    with pytest.raises(ValueError, match="all churned or none did"):
        fit(frame, datetime(2026, 1, 1))


def test_lift_in_the_top_decile_compares_with_the_base_rate():
    labels = np.array([1] * 10 + [0] * 90)
    scores = np.linspace(1, 0, 100)  # the ten churners scored highest
    assert lift_top_decile(labels, scores) == pytest.approx(10.0)
