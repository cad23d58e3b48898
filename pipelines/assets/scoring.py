"""Churn scoring as assets: after the dbt models of the features it learns from, before
customer_360 which shows it."""

import json

import dagster as dg

from c360.clock import run_now
from pipelines.resources import C360Config
from scoring.churn import FEATURES_AT_MOMENTS, MOMENTS, backtest, score_now

# the dbt models read, by their asset keys (schema, model)
READS = [dg.AssetKey(table.split(".")) for table in (MOMENTS, FEATURES_AT_MOMENTS)]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["scoring", table], deps=READS, group_name="scoring", kinds={"python", "scikit-learn"})
        for table in ("churn_scores", "churn_models")
    ]
)
def churn_scores(context: dg.AssetExecutionContext, c360: C360Config):
    """Every customer with purchase history scored for churn with three reasons in words; the
    model, its features and its out-of-time backtest stored per run in scoring.churn_models."""
    con = c360.connect_work()
    try:
        try:
            quality = backtest(con)
            scores, model, end = score_now(con)
        except ValueError as e:  # too little history to learn from (a new or tiny company)
            context.log.warning(f"churn: no scores this run: {e}")
            con.execute("create schema if not exists scoring")
            con.execute(
                "create or replace table scoring.churn_scores (customer_id varchar, churn_risk double, "
                "churn_reasons varchar, run_id varchar)"
            )
            yield dg.MaterializeResult(asset_key=["scoring", "churn_models"], metadata={"skipped": str(e)})
            yield dg.MaterializeResult(asset_key=["scoring", "churn_scores"], metadata={"customers": 0})
            return
        scores["run_id"] = context.run_id
        con.execute("create schema if not exists scoring")
        con.register("scores_frame", scores)
        con.execute("create or replace table scoring.churn_scores as select * from scores_frame")
        con.unregister("scores_frame")
        con.execute(
            """
            create table if not exists scoring.churn_models (
                run_id varchar, scored_as_of timestamp, fitted_at_cutoff timestamp, training_customers bigint,
                training_churn_rate double, coefficients_json varchar, features_json varchar,
                backtest_auc double, backtest_lift_top_decile double, backtest_json varchar, created_at timestamp)
            """
        )
        con.execute(
            "insert into scoring.churn_models values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                context.run_id,
                end,
                model.fitted_at_cutoff,
                model.training_rows,
                model.training_churn_rate,
                json.dumps(model.coefficients()),
                json.dumps(model.features),
                quality["auc"],
                quality["lift_top_decile"],
                json.dumps(quality),
                run_now(),
            ],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    context.log.info(
        f"churn: {len(scores):,} customers scored as of {end:%Y-%m-%d}; backtest AUC {quality['auc']}, "
        f"top-decile lift {quality['lift_top_decile']}"
    )
    yield dg.MaterializeResult(
        asset_key=["scoring", "churn_models"],
        metadata={"auc": quality["auc"], "lift_top_decile": quality["lift_top_decile"]},
    )
    yield dg.MaterializeResult(asset_key=["scoring", "churn_scores"], metadata={"customers": len(scores)})
