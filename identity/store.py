"""Stage 5: last night's ids read back, and the night's resolution written to schema
`identity`."""

from __future__ import annotations

import duckdb
import pandas as pd

from identity.statements import sql


def previous_ids(con: duckdb.DuckDBPyConnection) -> None:
    """identity_run_previous (record_key, customer_id, person_id) after the last run, and
    identity_run_known_ids: every id ever given (a new id must never reuse one)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'identity' and table_name = 'assignments'"
    ).fetchall()[0][0]
    if not exists:
        con.execute(
            "create or replace temp table identity_run_previous "
            "(record_key varchar, customer_id varchar, person_id varchar)"
        )
        con.execute("create or replace temp table identity_run_known_ids (id varchar)")
        return
    con.execute(
        "create or replace temp table identity_run_previous as "
        "select record_key, customer_id, person_id from identity.assignments"
    )
    con.execute(sql("store/known_ids"))


def write_results(con, shared: pd.DataFrame, history: pd.DataFrame, runs: pd.DataFrame) -> None:
    con.execute("create schema if not exists identity")
    con.execute(sql("store/customer_id_history_table"))
    con.execute(sql("store/match_runs_table"))
    con.register("shared_frame", shared)
    con.register("history_frame", history)
    con.register("runs_frame", runs)
    try:
        con.execute("begin transaction")
        con.execute("create or replace table identity.resolved_records as select * from identity_run_resolved")
        con.execute(
            "create or replace table identity.assignments as "
            "select record_key, customer_id, person_id from identity_run_resolved"
        )
        con.execute(
            "create or replace table identity.shared_identifiers as "
            "select identifier_type, identifier_value, cast(people as bigint) as people, names, reason, run_id "
            "from shared_frame"
        )
        # an id merged away tonight may be where an older merge pointed: it points on to tonight's
        # id, so that a saved id always leads to a customer that exists
        con.execute(sql("store/forward_older_merges"))
        con.execute(
            "insert into identity.customer_id_history "
            "select previous_id, current_id, change, records, level, run_id, changed_at from history_frame"
        )
        con.execute("insert into identity.match_runs select * from runs_frame")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for name in ("shared_frame", "history_frame", "runs_frame"):
            con.unregister(name)
