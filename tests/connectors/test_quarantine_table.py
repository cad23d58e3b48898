"""ops.quarantine says which line of which file each rejected record was, also in a warehouse
made before it had a line number; what a load skips is recorded with the reason."""

from __future__ import annotations

import duckdb

from connectors.batches import SourceTally, record_tally


def test_a_warehouse_made_before_line_numbers_gets_them_and_keeps_its_rows():
    con = duckdb.connect()
    con.execute("create schema ops")
    con.execute(
        """create table ops.quarantine (
        quarantined_at timestamp, load_id varchar, source varchar, table_name varchar, origin varchar,
        reasons varchar, raw_record json)"""
    )
    con.execute("insert into ops.quarantine values (now(), 'L0', 'logistics', 'shipments', 'a.csv', 'old', '{}')")
    tally = SourceTally("logistics")
    counts = tally.table("shipments")
    counts.read = 1
    line = {"_c360_source": "2026-01-05/shipments.csv", "line": 'S1,"x'}
    counts.quarantined.append({"row": line, "reasons": ["unclosed quote"], "line_number": 7})
    tally.skipped["notes"] = "not a folder"
    record_tally(con, tally, "L1", {})
    rows = con.execute("select load_id, origin, line_number, reasons from ops.quarantine order by load_id").fetchall()
    assert rows == [("L0", "a.csv", None, "old"), ("L1", "2026-01-05/shipments.csv", 7, "unclosed quote")]
    assert con.execute("select source, path, reason from ops.load_skipped").fetchall() == [
        ("logistics", "notes", "not a folder")
    ]
