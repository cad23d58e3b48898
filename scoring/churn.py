"""Churn risk: the probability that an active customer (one with purchase history who has not
lapsed yet: the lifecycle rule) places no order in the next 180 days, from the 360° features
(scoring/features.py), with the three strongest reasons in words. A lapsed customer has
already gone: it gets no churn risk, it belongs to the win-back list.

Gradient-boosted trees (scikit-learn) give the risk; a logistic regression fitted beside them
gives each customer's reasons (coefficient × standardised value), which a reader can check
against the customer's own record.
It is fitted on the customers as they stood one horizon ago, labelled with what they did since,
and then applied to them as they stand now. A small company has few customers to learn from (a
few dozen churned at any one moment), so it learns from them as they stood at several moments a
month apart (the usual "snapshot stacking" of churn models), until the examples are enough."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from c360.clock import run_now
from scoring.features import FEATURES, features_as_of

HORIZON_DAYS = 180
# Learning from one moment's customers is enough from this many of them on; below, moments a
# month apart are added (at most SNAPSHOTS). Measured by `c360 eval churn` (as-of 2026-11-30
# 07:43, seed 7): us 300 customers AUC 0.79 -> 0.82, cn 600 0.82 -> 0.86, us 1,000 0.81 -> 0.85.
ENOUGH_EXAMPLES = 20_000
SNAPSHOTS = 8
SNAPSHOT_EVERY = timedelta(days=30)
# a moment needs some history before it to say anything of its customers
HISTORY_BEFORE_A_SNAPSHOT = timedelta(days=120)
# the raw value shown in a reason, where it is not the feature itself
SHOWN_VALUE = {
    "detractor_nps": "detractor_nps_score",
    "few_departments_90d": "departments_90d",
    "low_order_count": "orders_total",
}


@dataclass
class ChurnModel:
    booster: HistGradientBoostingClassifier  # the risk
    explainer: object  # the reasons: a logistic regression on standardised features
    features: list[str]
    fitted_at_cutoff: datetime
    training_rows: int
    training_churn_rate: float

    def coefficients(self) -> dict[str, float]:
        """The explainer's weights (stored with every run in scoring.churn_models)."""
        regression = self.explainer[-1]
        return {f: round(float(c), 4) for f, c in zip(self.features, regression.coef_[0], strict=True)}


def fit(frame: pd.DataFrame, cutoff: datetime) -> ChurnModel:
    """The risk from gradient-boosted trees (scikit-learn), shallow and many: churn comes from
    combinations a straight line over the features misses (long overdue *for this customer's own
    pace*, a broken promise on the latest order); on the 600-customer demo's active customers the
    backtest AUC went 0.675 (logistic regression) -> 0.82 (one moment's customers). Early stopping off and a fixed seed:
    the same customers give the same model (a rebuild is byte-identical). The reasons from a
    logistic regression fitted beside it: trees give no per-customer contributions, and a few
    hundred customers leave them too few splits to tell one factor from another."""
    features = list(FEATURES)
    labels = frame["churned"].astype(int)
    if labels.nunique() < 2:
        raise ValueError(
            f"churn: cannot fit on {len(frame)} customers at {cutoff:%Y-%m-%d}: "
            "every one of them did the same (all churned or none did)"
        )
    values = frame[features].astype(float)
    # two levels and an L2 penalty: the deeper trees of before (depth 3) learnt the noise of a
    # small company's few churners (us 300 customers: AUC 0.72 with them, 0.78 without, at seed 11)
    booster = HistGradientBoostingClassifier(
        max_depth=2,
        learning_rate=0.05,
        max_iter=150,
        min_samples_leaf=10,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    )
    booster.fit(values, labels)
    explainer = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=1.0))
    explainer.fit(values, labels)
    return ChurnModel(booster, explainer, features, cutoff, len(frame), float(labels.mean()))


def predict(model: ChurnModel, frame: pd.DataFrame) -> np.ndarray:
    return model.booster.predict_proba(frame[model.features].astype(float))[:, 1]


def reasons(model: ChurnModel, frame: pd.DataFrame, k: int = 3) -> list[str]:
    """The k features raising each customer's risk most, in words ('' when none raises it):
    coefficient × standardised value in the explainer. Only a risk factor the customer has more
    of than usual counts: a factor that lowers risk and is merely absent is no reason."""
    scaler, regression = model.explainer[0], model.explainer[-1]
    standardised = scaler.transform(frame[model.features].astype(float))
    coefficients = regression.coef_[0]
    contributions = np.where((standardised > 0) & (coefficients > 0), standardised * coefficients, 0.0)
    out = []
    for i, row in enumerate(contributions):
        top = [j for j in np.argsort(-row, kind="stable")[:k] if row[j] > 0]
        phrases = []
        for j in top:
            feature = model.features[j]
            value = frame.iloc[i][SHOWN_VALUE.get(feature, feature)]
            phrases.append(FEATURES[feature].format(0 if pd.isna(value) else value))
        out.append("; ".join(phrases))
    return out


def lift_top_decile(labels: np.ndarray, scores: np.ndarray) -> float:
    order = np.argsort(-scores)
    top = order[: max(1, len(order) // 10)]
    base = labels.mean()
    return float(labels[top].mean() / base) if base > 0 else float("nan")


def end_of_data(con: duckdb.DuckDBPyConnection) -> datetime:
    """The moment the data runs to: the latest touchpoint, never later than the run's now (the
    real time, or the pinned $C360_AS_OF: c360.clock)."""
    latest = con.execute("select max(occurred_at) from marts.fct_touchpoints").fetchall()[0][0]
    now = run_now()
    return min(latest, now) if latest else now


def active_at(con: duckdb.DuckDBPyConnection, t: datetime, horizon: int) -> pd.DataFrame:
    """The features of the customers still active at `t` (the ones a churn risk is about)."""
    frame = features_as_of(con, t, horizon)
    return frame[frame["is_active"].astype(bool)].reset_index(drop=True)


def learning_examples(con: duckdb.DuckDBPyConnection, cutoff: datetime, horizon: int) -> pd.DataFrame:
    """The customers active at `cutoff`, labelled by the horizon after it; for a small company also
    as they stood a month, two months, ... earlier (at most SNAPSHOTS moments, none without
    HISTORY_BEFORE_A_SNAPSHOT of orders before it), until there are ENOUGH_EXAMPLES rows. A
    customer appears once per moment, with what was known then and what followed."""
    first_order = con.execute("select min(ordered_at) from marts.order_fulfilment").fetchall()[0][0]
    earliest = first_order + HISTORY_BEFORE_A_SNAPSHOT if first_order else cutoff
    frames: list[pd.DataFrame] = []
    for k in range(SNAPSHOTS):
        moment = cutoff - k * SNAPSHOT_EVERY
        if frames and (sum(map(len, frames)) >= ENOUGH_EXAMPLES or moment < earliest):
            break
        frames.append(active_at(con, moment, horizon).assign(snapshot_at=moment))
    return pd.concat(frames, ignore_index=True)


def backtest(con: duckdb.DuckDBPyConnection, end: datetime | None = None, horizon: int = HORIZON_DAYS) -> dict:
    """Fit on the customers as they were two horizons before the end (labelled by the horizon
    after), test on them as they were one horizon before the end (labelled by what they did
    until the end): out of time, as the model is used."""
    end = end or end_of_data(con)
    test_cutoff = end - timedelta(days=horizon)
    train_cutoff = test_cutoff - timedelta(days=horizon)
    train = learning_examples(con, train_cutoff, horizon)
    test = active_at(con, test_cutoff, horizon)
    model = fit(train, train_cutoff)
    scores = predict(model, test)
    labels = test["churned"].astype(int).to_numpy()
    return {
        "auc": round(float(roc_auc_score(labels, scores)), 4),
        "lift_top_decile": round(lift_top_decile(labels, scores), 3),
        "train_cutoff": train_cutoff.isoformat(timespec="seconds"),
        "test_cutoff": test_cutoff.isoformat(timespec="seconds"),
        "train_examples": len(train),  # customers × the moments they were learnt at
        "train_moments": int(train["snapshot_at"].nunique()),
        "test_customers": len(test),
        "test_churn_rate": round(float(labels.mean()), 4),
        "coefficients": model.coefficients(),
    }


def score_now(con: duckdb.DuckDBPyConnection, end: datetime | None = None, horizon: int = HORIZON_DAYS):
    """Fit on the customers active one horizon ago, score every customer active at `end`."""
    end = end or end_of_data(con)
    cutoff = end - timedelta(days=horizon)
    model = fit(learning_examples(con, cutoff, horizon), cutoff)
    now = active_at(con, end, horizon)
    scored = pd.DataFrame(
        {"customer_id": now["customer_id"], "churn_risk": predict(model, now), "churn_reasons": reasons(model, now)}
    )
    for feature in model.features:
        scored[f"feature_{feature}"] = now[feature].astype(float).values
    return scored, model
