"""`c360 eval identity`: how well the published identity map agrees with a ground truth.

The ground truth is a CSV file with one row per (source record, level):

    source_system,source_table,source_record_id,entity_type,true_entity_id
    sales,Contact,0035g00000000G9AAI,person,P000002
    sales,Contact,0035g00000000G9AAI,organization,O000001

`entity_type` is `person` or `organization`; a record may have a row for each level.
The demo writes one to `<demo>/ground_truth/identities.csv`.

At the person level the prediction is the map's `person_id`; at the organization level it
is the map's `customer_id` (a customer is an organization or a person buying for themself).
Only records present in the truth are scored; a record the map lacks counts as a cluster of
its own, so a lost record lowers recall rather than hiding.

Pairwise figures count record pairs: precision = pairs put together that truly belong
together ÷ pairs put together; recall = ÷ pairs that truly belong together. Cluster figures
count whole entities: precision = predicted clusters identical to a true entity ÷ predicted
clusters; recall = ÷ true entities.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
from pyarrow import csv as pa_csv

TRUTH_COLUMNS = ["source_system", "source_table", "source_record_id", "entity_type", "true_entity_id"]
LEVELS = {"persons": ("person", "person_id"), "organizations": ("organization", "customer_id")}


class TruthFileError(ValueError):
    pass


def load_truth(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Read the truth file into the temp table `truth`, checking its shape first."""
    if not path.is_file():
        raise TruthFileError(f"ground truth {path}: no such file")
    header = path.open(encoding="utf-8").readline().strip().split(",")
    missing = [c for c in TRUTH_COLUMNS if c not in header]
    if missing:
        raise TruthFileError(
            f"ground truth {path}: missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(TRUTH_COLUMNS)}"
        )
    # read here, not by DuckDB: the published warehouse is opened with file access turned off
    table = pa_csv.read_csv(
        path, convert_options=pa_csv.ConvertOptions(column_types={c: pa.string() for c in TRUTH_COLUMNS})
    )
    con.register("truth_file", table.select(TRUTH_COLUMNS))
    con.execute("create or replace temp table truth as select * from truth_file")
    con.unregister("truth_file")
    bad = con.execute(
        "select count(*), min(entity_type) from truth where entity_type not in ('person', 'organization')"
    ).fetchall()[0]
    if bad[0]:
        raise TruthFileError(
            f"ground truth {path}: {bad[0]} row(s) with entity_type {bad[1]!r}; use 'person' or 'organization'"
        )


def score_level(con: duckdb.DuckDBPyConnection, entity_type: str, predicted_column: str) -> dict:
    """Pairwise and cluster precision/recall at one level, with the counts behind them."""
    con.execute(
        f"""
        create or replace temp table scored as
        select
            truth.true_entity_id as true_id,
            -- a record the map lacks (or leaves without an id at this level) stands alone
            coalesce(map.{predicted_column}, '<missing>|' || truth.source_system || '|' || truth.source_table
                     || '|' || truth.source_record_id) as predicted_id,
            map.{predicted_column} is null as is_missing
        from truth
        left join marts.customer_identity_map as map
            using (source_system, source_table, source_record_id)
        where truth.entity_type = ?
        """,
        [entity_type],
    )
    pairs = con.execute(
        """
        with joint as (select true_id, predicted_id, count(*) as n from scored group by all),
             truth_sizes as (select count(*) as n from scored group by true_id),
             predicted_sizes as (select count(*) as n from scored group by predicted_id)
        select
            (select coalesce(sum(n * (n - 1) / 2), 0) from joint),
            (select coalesce(sum(n * (n - 1) / 2), 0) from predicted_sizes),
            (select coalesce(sum(n * (n - 1) / 2), 0) from truth_sizes),
            (select count(*) from scored),
            (select count(*) from scored where is_missing)
        """
    ).fetchall()[0]
    together, predicted_pairs, true_pairs, records, missing = (int(v) for v in pairs)
    clusters = con.execute(
        """
        with predicted as (
                 select predicted_id, count(*) as n, min(true_id) as true_id, count(distinct true_id) as truths
                 from scored group by predicted_id),
             truths as (select true_id, count(*) as n from scored group by true_id)
        select
            (select count(*) from predicted),
            (select count(*) from truths),
            (select count(*) from predicted join truths using (true_id)
             where predicted.truths = 1 and predicted.n = truths.n)
        """
    ).fetchall()[0]
    predicted_clusters, true_clusters, exact = (int(v) for v in clusters)
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    return {
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "f1": round(2 * precision * recall / (precision + recall), 6) if precision + recall else 0.0,
        "cluster_precision": round(exact / predicted_clusters, 6) if predicted_clusters else 1.0,
        "cluster_recall": round(exact / true_clusters, 6) if true_clusters else 1.0,
        "records": records,
        "records_missing_from_map": missing,
        "true_entities": true_clusters,
        "predicted_entities": predicted_clusters,
    }


def evaluate(con: duckdb.DuckDBPyConnection, truth_path: Path) -> dict:
    """Both levels, scored against the published warehouse `con` is connected to."""
    load_truth(con, truth_path)
    return {level: score_level(con, entity_type, column) for level, (entity_type, column) in LEVELS.items()}


def report_lines(result: dict) -> list[str]:
    lines = [f"{'level':<15}{'precision':>10}{'recall':>9}{'f1':>9}{'cl.prec':>9}{'cl.rec':>9}{'records':>10}"]
    for level, m in result.items():
        lines.append(
            f"{level:<15}{m['precision']:>10.4f}{m['recall']:>9.4f}{m['f1']:>9.4f}"
            f"{m['cluster_precision']:>9.4f}{m['cluster_recall']:>9.4f}{m['records']:>10,}"
        )
        if m["records_missing_from_map"]:
            lines.append(f"  {m['records_missing_from_map']:,} {level} record(s) of the truth are not in the map")
    return lines
