"""Each incoming batch is checked against its source contract: bad rows are quarantined with
the reason, the rest loads; a batch that breaks the contract as a whole fails, named."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pytest

from connectors.batches import SourceTally, prepare_batch, record_tally
from connectors.call_center import asterisk
from data_quality.validate import ContractError, check_batch


def cdr_line(uid: str, start: str, duration: int, billsec: int, disposition: str = "ANSWERED") -> str:
    answer = start if disposition == "ANSWERED" else ""
    return (
        f'"","13812345678","4008208820","from-pstn","""X"" <13812345678>","SIP/t-1","SIP/8001-1","Queue",'
        f'"support,t,,,300","{start}","{answer}","{start}",{duration},{billsec},"{disposition}","DOCUMENTATION",'
        f'"{uid}",""\n'
    )


@pytest.fixture
def landing(tmp_path):
    (tmp_path / "cdr").mkdir()
    return tmp_path


def test_a_cdr_row_with_billsec_above_duration_is_quarantined_and_the_rest_loads(landing, monkeypatch):
    monkeypatch.setenv("C360_AS_OF", "2026-01-06 00:00:00")  # the night's now, not the wall clock's
    future = "2026-02-05 10:00:00"
    lines = [cdr_line(f"100.{i}", "2026-01-05 10:00:00", 60, 50) for i in range(20)]
    lines.append(cdr_line("bad.1", "2026-01-05 11:00:00", 30, 45))  # billsec > duration
    lines.append(cdr_line("bad.2", future, 30, 10))  # in the future
    lines.append(cdr_line("bad.3", "2026-01-05 12:00:00", 30, 10, disposition="ON HOLD"))
    lines.append(cdr_line("bad.4", "2026-01-05 13:00:00", -30, 0))  # a negative duration
    (landing / "cdr" / "Master-20260105.csv").write_text("".join(lines), encoding="utf-8")
    work_db = landing / "work.duckdb"
    con = duckdb.connect(str(work_db))
    report = asterisk.load(con, landing, "Asia/Shanghai", "utf-8", "CN", work_db, landing / "dlt", log=lambda *_: None)
    assert report.rows["cdr"] == 20 and report.quarantined["cdr"] == 4
    loaded = {r[0] for r in con.execute("select uniqueid from raw_call_center.cdr").fetchall()}
    assert not loaded & {"bad.1", "bad.2", "bad.3", "bad.4"}
    reasons = dict(
        con.execute("select json_extract_string(raw_record, '$.uniqueid'), reasons from ops.quarantine").fetchall()
    )
    assert "_check_duration >= _check_billsec" in reasons["bad.1"]
    assert "_check_start" in reasons["bad.2"] and "max_value" in reasons["bad.2"]
    assert "disposition" in reasons["bad.3"]
    assert "_check_duration" in reasons["bad.4"] and "min_value" in reasons["bad.4"]
    # a person reads the words first, naming the file's own columns; the check follows for the analyst
    assert reasons["bad.1"].startswith("duration is less than billsec (")
    assert reasons["bad.3"].startswith("disposition 'ON HOLD' is none of ")
    assert reasons["bad.4"].startswith("duration '-30")
    origins = {r[0] for r in con.execute("select origin from ops.quarantine").fetchall()}
    assert origins == {"cdr/Master-20260105.csv"}
    results = con.execute("select count(*), bool_and(rows_checked = 24) from ops.quality_results").fetchone()
    assert results[0] > 0 and results[1]


def test_ivr_scores_outside_their_scale_are_quarantined():
    now = pa.array([datetime(2026, 1, 5, 2, 0, tzinfo=UTC)] * 4, pa.timestamp("s", "UTC"))
    batch = pa.table(
        {
            "uniqueid": ["1.1", "1.1", "1.2", "1.2"],
            "caller_number": ["138"] * 4,
            "question": ["csat", "fcr", "csat", "fcr"],
            "score": ["5", "1", "9", "2"],
            "answered_at": ["2026-01-05 10:00:00"] * 4,
            "answered_at_utc": now,
        }
    )
    result = check_batch("call_center", "ivr_survey", batch, "ivr_survey/survey-20260105.csv")
    assert result.passed.num_rows == 2
    assert sorted(q["row"]["score"] for q in result.quarantined) == ["2", "9"]


def test_a_batch_without_a_required_column_fails_naming_the_source_and_column():
    batch = pa.table({"shipment_id": ["S1"], "status": ["delivered"]})
    with pytest.raises(ContractError, match=r"logistics: 2026-01-05/shipments.csv .*order_number"):
        check_batch("logistics", "shipments", batch, "2026-01-05/shipments.csv")


def test_a_batch_mostly_broken_fails_as_a_whole_instead_of_quarantining_everything():
    batch = pa.table(
        {
            "tracking_number": [f"T{i}" for i in range(20)],
            "event_time": ["not a time"] * 20,
            "event_code": ["DL"] * 20,
        }
    )
    with pytest.raises(ContractError, match="20 of 20 rows break the contract"):
        check_batch("logistics", "tracking_events", batch, "2026-01-05/tracking_events.csv")


def test_quarantine_keeps_the_raw_value_and_nothing_is_lost():
    tally = SourceTally("logistics")
    batch = pa.table(
        {
            "work_order_id": ["W1", "W2", None],
            "order_number": ["1", "2", "3"],
            "promised_by_date": ["2026-01-20"] * 3,
            "status": ["scheduled", "exploded", "completed"],
            "updated_at": ["2026-01-05T10:00:00+08:00"] * 3,
        }
    )
    passed = prepare_batch("logistics", "installations", batch, "2026-01-05/installations.csv", tally)
    con = duckdb.connect()
    record_tally(con, SourceTally("logistics"), "L1", {})
    quarantined = tally.table("installations").quarantined
    assert passed.num_rows + len(quarantined) == batch.num_rows == 3
    assert sorted(q["row"]["status"] for q in quarantined) == ["completed", "exploded"]
    assert all(q["row"]["_c360_source"] == "2026-01-05/installations.csv" for q in quarantined)


def test_a_load_that_does_not_reconcile_fails_naming_the_table_and_the_counts():
    from connectors.batches import ReconciliationError

    tally = SourceTally("logistics")
    counts = tally.table("shipments")
    counts.read, counts.already_loaded = 10, 2
    con = duckdb.connect()
    with pytest.raises(
        ReconciliationError, match=r"shipments: read 10 but loaded 7 \+ quarantined 0 \+ already loaded 2"
    ):
        record_tally(con, tally, "L1", {"shipments": 7})
    assert con.execute("select is_balanced from ops.load_reconciliation").fetchall() == [(False,)]
