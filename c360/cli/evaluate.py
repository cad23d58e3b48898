"""`c360 eval identity` and `c360 eval churn`: the published result measured against a ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from c360.cli.options import with_config
from c360.config import load_config
from c360.eval_identity import evaluate, report_lines
from c360.warehouse import NotPublishedError, WarehousePaths, open_published


def cmd_eval_identity(args) -> int:
    config = load_config(args.config)
    truth = Path(args.truth) if args.truth else config.folder / "ground_truth" / "identities.csv"
    con = open_published(WarehousePaths(config.warehouse_dir))
    try:
        result = evaluate(con, truth)
    finally:
        con.close()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"identity against {truth}")
        print("\n".join(report_lines(result)))
    return 0


def cmd_eval_churn(args) -> int:
    from scoring.churn import backtest  # scikit-learn: 1.5 s to import, for this command only

    config = load_config(args.config)
    # the features (dbt's intermediate layer) stay in the run's working database (not published)
    work_db = WarehousePaths(config.warehouse_dir).work_db
    if not work_db.exists():
        raise NotPublishedError(f"no working database at {work_db}: run `c360 run` first")
    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.IOException:
        raise NotPublishedError(f"{work_db} is being written by a run: try again when it has finished") from None
    try:
        result = backtest(con)
    finally:
        con.close()
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"churn backtest: fitted on customers as of {result['train_cutoff']}"
            + (f" and {result['train_moments'] - 1} month(s) before" if result["train_moments"] > 1 else "")
            + f" ({result['train_examples']:,} examples), tested on them as of "
            f"{result['test_cutoff']} against what they did in the following {result['horizon_days']} days"
        )
        print(f"  AUC                 {result['auc']:.4f}")
        print(f"  top-decile lift     {result['lift_top_decile']:.2f}")
        print(f"  test customers      {result['test_customers']:,} (churn rate {result['test_churn_rate']:.1%})")
    return 0


def add_commands(sub) -> None:
    evaluations = sub.add_parser("eval", help="measure the published result against a ground truth")
    which = evaluations.add_subparsers(dest="evaluation", required=True)
    p = with_config(which.add_parser("identity", help="pairwise and cluster precision/recall of identity"))
    p.add_argument("--truth", help="ground-truth CSV (default: <config folder>/ground_truth/identities.csv)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_eval_identity)
    p = with_config(which.add_parser("churn", help="out-of-time backtest of the churn model: AUC and top-decile lift"))
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_eval_churn)
