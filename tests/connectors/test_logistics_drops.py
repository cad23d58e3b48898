"""Logistics day folders: only new drops load, re-deliveries load nothing twice, bad files and
rows are quarantined with their reasons, unknown columns are kept."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from connectors.logistics import drops
from tests.warehouse import query as query_warehouse

SHIPMENT_HEADER = (
    "shipment_id,order_number,carrier,tracking_number,ship_date,promised_delivery_date,recipient_name,"
    "recipient_phone,ship_to_address,ship_to_city,ship_to_postal_code,status,updated_at"
)


def shipment(sid: str, status: str, updated: str, name: str = "张伟") -> str:
    return (
        f"{sid},00001,SF Express,SF1,2026-01-05,2026-01-08,{name},138-1234-5678,中山路1号,上海,200000,"
        f"{status},{updated}"
    )


def drop(root, day: str, file: str, lines: list[str], encoding: str = "gb18030"):
    folder = root / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / file).write_bytes(("\n".join(lines) + "\n").encode(encoding))


def load(root, tmp_path, encoding="gb18030"):
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        return drops.load(con, root, encoding, "CN", work_db, tmp_path / "dlt", log=lambda *_: None)
    finally:
        con.close()


def query(tmp_path, sql):
    return query_warehouse(tmp_path / "work.duckdb", sql)


def drop_first_day(root) -> None:
    """2026-01-05: S1 and S2 in transit."""
    drop(
        root,
        "2026-01-05",
        "shipments.csv",
        [
            SHIPMENT_HEADER,
            shipment("S1", "in_transit", "2026-01-05T10:00:00+08:00"),
            shipment("S2", "in_transit", "2026-01-05T11:00:00+08:00"),
        ],
    )


@pytest.fixture
def landing(tmp_path):
    root = tmp_path / "landing"
    drop_first_day(root)
    return root


def test_a_new_day_folder_loads_exactly_that_day(landing, tmp_path):
    assert load(landing, tmp_path).rows["shipments"] == 2
    drop(
        landing,
        "2026-01-06",
        "shipments.csv",
        [SHIPMENT_HEADER, shipment("S1", "delivered", "2026-01-06T15:00:00+08:00")],
    )
    report = load(landing, tmp_path)
    assert report.rows["shipments"] == 1
    versions = query(
        tmp_path, "select _c360_source, status from raw_logistics.shipments where shipment_id = 'S1' order by 1"
    )
    assert versions == [("2026-01-05/shipments.csv", "in_transit"), ("2026-01-06/shipments.csv", "delivered")]
    assert query(tmp_path, "select recipient_name, recipient_phone_e164 from raw_logistics.shipments limit 1") == [
        ("张伟", "+8613812345678")
    ]


def test_a_folder_delivered_twice_loads_nothing_twice(landing, tmp_path):
    load(landing, tmp_path)
    shutil.copytree(landing / "2026-01-05", tmp_path / "copy")
    shutil.rmtree(landing / "2026-01-05")
    shutil.copytree(tmp_path / "copy", landing / "2026-01-05")  # the same folder, delivered again
    assert load(landing, tmp_path).total == 0
    shutil.copytree(tmp_path / "copy", landing / "2026-01-07")  # and the same files under a later date
    report = load(landing, tmp_path)
    assert report.total == 0
    assert query(tmp_path, "select count(*) from raw_logistics.shipments") == [(2,)]
    last = query(
        tmp_path,
        "select rows_read, rows_already_loaded, is_balanced from ops.load_reconciliation "
        "where table_name = 'shipments' order by reconciled_at desc limit 1",
    )
    assert last == [(2, 2, True)]


def test_a_day_folder_that_arrives_after_a_later_one_still_loads_every_row(tmp_path):
    root = tmp_path / "landing"
    late = shipment("S1", "delivered", "2026-01-06T15:00:00+08:00")
    drop(root, "2026-01-06", "shipments.csv", [SHIPMENT_HEADER, late])
    assert load(root, tmp_path).rows["shipments"] == 1
    drop_first_day(root)  # the carrier's export of the day before turns up a night late
    assert load(root, tmp_path).rows["shipments"] == 2
    versions = query(tmp_path, "select shipment_id, status, updated_at from raw_logistics.shipments order by 1, 3")
    assert [v[:2] for v in versions] == [("S1", "in_transit"), ("S1", "delivered"), ("S2", "in_transit")]
    # staging keeps the newest version by updated_at, not the one loaded last (stg_logistics__shipments)
    assert query(tmp_path, "select bool_and(is_balanced) from ops.load_reconciliation") == [(True,)]


def test_a_file_that_does_not_decode_is_quarantined_whole_and_the_rest_loads(landing, tmp_path):
    drop(
        landing,
        "2026-01-06",
        "shipments.csv",
        [SHIPMENT_HEADER, shipment("S3", "in_transit", "2026-01-06T10:00:00+08:00")],
        encoding="utf-16",
    )
    report = load(landing, tmp_path)
    assert report.rows["shipments"] == 2
    reasons = query(tmp_path, "select distinct origin, reasons from ops.quarantine")
    assert len(reasons) == 1 and reasons[0][0] == "2026-01-06/shipments.csv"
    assert "does not decode as gb18030" in reasons[0][1]
    assert query(tmp_path, "select bool_and(is_balanced) from ops.load_reconciliation") == [(True,)]


def test_a_file_without_a_required_column_is_quarantined_whole(landing, tmp_path):
    drop(landing, "2026-01-06", "shipments.csv", ["shipment_id,status", "S9,delivered"])
    report = load(landing, tmp_path)
    assert report.rows["shipments"] == 2 and report.quarantined["shipments"] == 1
    assert "lacks required column(s) order_number" in query(tmp_path, "select reasons from ops.quarantine")[0][0]


def test_a_malformed_row_is_quarantined_alone_and_unknown_columns_are_kept(landing, tmp_path):
    drop(
        landing,
        "2026-01-06",
        "shipments.csv",
        [
            SHIPMENT_HEADER + ",carrier_note",
            shipment("S4", "in_transit", "2026-01-06T10:00:00+08:00") + ",fragile",
            "S5,only,three",
            shipment("S6", "in_transit", "2099-01-01T10:00:00+08:00") + ",future",
        ],
    )
    report = load(landing, tmp_path)
    assert report.rows["shipments"] == 3 and report.quarantined["shipments"] == 2
    reasons = [r[0] for r in query(tmp_path, "select reasons from ops.quarantine order by reasons")]
    assert any("malformed CSV row: expected 14 fields, got 3" in r for r in reasons)
    assert any("_check_updated" in r for r in reasons)  # updated_at in the future
    assert query(tmp_path, "select carrier_note from raw_logistics.shipments where shipment_id = 'S4'") == [
        ("fragile",)
    ]


def test_a_missing_landing_folder_names_the_config_key(tmp_path):
    from connectors.loader import SourceError

    with pytest.raises(SourceError, match=r"landing folder .*nowhere does not exist.*sources\.logistics\.landing_dir"):
        load(tmp_path / "nowhere", tmp_path)


TRACKING_HEADER = "tracking_number,event_time,event_code,location,signed_by,remark"


def tracking(n: int, remark: str = "") -> str:
    return f"TN{n:04d},2026-01-05T{8 + n % 10:02d}:15:00+08:00,IT,测试站,,{remark}"


def reconciliation(tmp_path, table: str) -> list[tuple]:
    return query(
        tmp_path,
        "select rows_read, rows_loaded, rows_quarantined, rows_already_loaded, is_balanced "
        f"from ops.load_reconciliation where table_name = '{table}' order by reconciled_at",
    )


@pytest.mark.parametrize(
    "remark",
    [
        '"fragile, handle with care',  # a quote opened and never closed
        'box 12" wide,"handle with care',  # two quotes, but the second opens a field it never closes
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_unclosed_quote_quarantines_its_line_alone_and_every_line_after_it_loads(tmp_path, remark, newline):
    root = tmp_path / "landing"
    lines = [TRACKING_HEADER, tracking(1), tracking(2, remark), *[tracking(n) for n in range(3, 9)]]
    (root / "2026-01-05").mkdir(parents=True)
    (root / "2026-01-05" / "tracking_events.csv").write_bytes((newline.join(lines) + newline).encode("gb18030"))
    report = load(root, tmp_path)
    assert report.rows["tracking_events"] == 7 and report.quarantined["tracking_events"] == 1
    loaded = [r[0] for r in query(tmp_path, "select tracking_number from raw_logistics.tracking_events order by 1")]
    assert loaded == ["TN0001"] + [f"TN{n:04d}" for n in range(3, 9)]
    assert query(tmp_path, "select remark from raw_logistics.tracking_events where tracking_number = 'TN0008'") == [
        ("",)
    ]
    [(origin, line_number, reasons)] = query(tmp_path, "select origin, line_number, reasons from ops.quarantine")
    assert (origin, line_number) == ("2026-01-05/tracking_events.csv", 3)
    assert "quote" in reasons and "not closed" in reasons, reasons
    assert reconciliation(tmp_path, "tracking_events") == [(8, 7, 1, 0, True)]


def test_quarantine_names_the_line_of_every_rejected_row(landing, tmp_path):
    drop(
        landing,
        "2026-01-06",
        "shipments.csv",
        [
            SHIPMENT_HEADER,
            shipment("S4", "in_transit", "2026-01-06T10:00:00+08:00"),
            "",
            "S5,only,three",
            shipment("S6", "in_transit", "2099-01-01T10:00:00+08:00"),
            shipment("S7", "in_transit", "2026-01-06T11:00:00+08:00"),
        ],
    )
    report = load(landing, tmp_path)
    assert report.rows["shipments"] == 4 and report.quarantined["shipments"] == 2
    rows = query(tmp_path, "select origin, line_number, reasons from ops.quarantine order by line_number")
    assert [(o, n) for o, n, _ in rows] == [("2026-01-06/shipments.csv", 4), ("2026-01-06/shipments.csv", 5)]
    assert "expected 13 fields, got 3" in rows[0][2] and "_check_updated" in rows[1][2]
    # the blank line is no record: 2 + 4 records read, 4 loaded, 2 quarantined
    assert reconciliation(tmp_path, "shipments")[-1] == (6, 4, 2, 0, True)
    raw = query(tmp_path, "select raw_record from ops.quarantine where line_number = 5")[0][0]
    assert "S6" in raw and "_c360_line" not in raw


def test_reconciliation_counts_the_files_lines_not_the_parsers_rows(landing, tmp_path, monkeypatch):
    """A parser that loses a row without a word must fail the load, not balance it."""
    import pyarrow.csv as pacsv

    from connectors.batches import ReconciliationError

    drop(landing, "2026-01-06", "tracking_events.csv", [TRACKING_HEADER, *[tracking(n) for n in range(1, 9)]])
    real_read_csv = pacsv.read_csv

    def losing_one_row(*args, **kwargs):
        table = real_read_csv(*args, **kwargs)
        return table.slice(0, table.num_rows - 1) if "tracking_number" in table.column_names else table

    monkeypatch.setattr(pacsv, "read_csv", losing_one_row)
    with pytest.raises(
        ReconciliationError, match=r"tracking_events: read 8 but loaded 7 \+ quarantined 0 \+ already loaded 0"
    ):
        load(landing, tmp_path)
    assert reconciliation(tmp_path, "tracking_events") == [(8, 7, 0, 0, False)]


def test_folders_that_are_not_day_folders_are_reported_as_skipped_with_the_reason(landing, tmp_path):
    other = [SHIPMENT_HEADER, shipment("S8", "in_transit", "2026-01-06T10:00:00+08:00")]
    drop(landing, "backup", "shipments.csv", other)
    drop(landing, "2026-02-30", "shipments.csv", other)
    drop(landing, "2026-01-05", "returns.csv", ["rma_id", "R1"])
    (landing / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    logged: list[str] = []
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        report = drops.load(con, landing, "gb18030", "CN", work_db, tmp_path / "dlt", log=logged.append)
    finally:
        con.close()
    assert report.rows["shipments"] == 2
    assert set(report.skipped) == {"backup", "2026-02-30", "notes.txt", "2026-01-05/returns.csv"}
    assert "not a date" in report.skipped["backup"]
    assert "not a calendar date" in report.skipped["2026-02-30"]
    assert "not a folder" in report.skipped["notes.txt"]
    assert "not one of" in report.skipped["2026-01-05/returns.csv"]
    for name, reason in report.skipped.items():
        assert any(name in line and reason in line for line in logged), (name, logged)
    recorded = query(tmp_path, "select path, reason from ops.load_skipped where source = 'logistics' order by 1")
    assert dict(recorded) == report.skipped


def test_the_same_folder_under_two_dates_in_one_delivery_loads_once(landing, tmp_path):
    shutil.copytree(landing / "2026-01-05", landing / "2026-01-09")  # the same drop, copied under a second date
    logged: list[str] = []
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        report = drops.load(con, landing, "gb18030", "CN", work_db, tmp_path / "dlt", log=logged.append)
    finally:
        con.close()
    assert report.rows["shipments"] == 2
    assert query(tmp_path, "select distinct _c360_source from raw_logistics.shipments") == [
        ("2026-01-05/shipments.csv",)
    ]
    assert reconciliation(tmp_path, "shipments") == [(4, 2, 0, 2, True)]
    assert any("2026-01-09/shipments.csv" in line and "2026-01-05/shipments.csv" in line for line in logged), logged
    assert load(landing, tmp_path).total == 0  # and the next night loads neither again
