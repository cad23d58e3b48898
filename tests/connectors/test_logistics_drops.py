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
