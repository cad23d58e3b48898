"""A file that decodes but cannot be what the company wrote (the wrong encoding configured) is
quarantined whole and named, never loaded garbled; the script a company's text is expected in
comes from its configuration (the company's country), not from any word of its data."""

from __future__ import annotations

import duckdb
import pytest

from connectors.call_center import asterisk
from connectors.files import expected_script, implausible_text
from connectors.logistics import drops
from tests.warehouse import query as query_warehouse

HEADER = "work_order_id,order_number,site_name,site_address,contact_name,contact_phone,scheduled_date,"
HEADER += "promised_by_date,completed_at,status,technician,acceptance_signed_by,notes,updated_at"


def installation(n: int, site: str, contact: str) -> str:
    return (
        f"W{n:05d},{n:05d},{site},{site} 7,{contact},+4930123456{n % 10},2026-01-05,2026-01-09,,scheduled,"
        f"{contact},,,2026-01-05T10:00:00+01:00"
    )


def write_drop(root, lines: list[str], encoding: str, day: str = "2026-01-05") -> None:
    (root / day).mkdir(parents=True, exist_ok=True)
    (root / day / "installations.csv").write_bytes(("\n".join(lines) + "\n").encode(encoding))


def load_drops(root, tmp_path, encoding: str, region: str, log=None):
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        return drops.load(con, root, encoding, region, work_db, tmp_path / "dlt", log=log or (lambda *_: None))
    finally:
        con.close()


def query(tmp_path, sql):
    return query_warehouse(tmp_path / "work.duckdb", sql)


HAN_ROWS = [installation(n, "东风仓库", "赵一鸣") for n in range(1, 7)]
GERMAN_ROWS = [installation(n, "Lagerhalle Süd", "Jürgen Bäcker") for n in range(1, 7)]
RUSSIAN_ROWS = [installation(n, "Склад Север", "Пётр Орлов") for n in range(1, 7)]


@pytest.mark.parametrize(
    ("rows", "written_in", "configured", "region", "fragment"),
    [
        (HAN_ROWS, "gb18030", "latin-1", "CN", "Latin-1"),  # GB18030 read as Latin-1
        (HAN_ROWS, "utf-8", "cp1251", "CN", "not one"),  # UTF-8 read as Cyrillic: no Chinese character at all
        (GERMAN_ROWS, "utf-8", "latin-1", "DE", "UTF-8"),  # UTF-8 read as Latin-1: Ã¼ for ü
        (RUSSIAN_ROWS, "cp1251", "latin-1", "RU", "Latin-1"),
    ],
)
def test_a_file_in_another_encoding_than_configured_is_quarantined_whole_and_named(
    tmp_path, rows, written_in, configured, region, fragment
):
    root = tmp_path / "landing"
    write_drop(root, [HEADER, *rows], written_in)
    logged: list[str] = []
    report = load_drops(root, tmp_path, configured, region, log=logged.append)
    assert report.rows.get("installations", 0) == 0 and report.quarantined["installations"] == len(rows)
    quarantined = query(tmp_path, "select origin, line_number, reasons from ops.quarantine order by line_number")
    assert [(o, n) for o, n, _ in quarantined] == [("2026-01-05/installations.csv", n) for n in range(2, 8)]
    reason = quarantined[0][2]
    assert "implausible" in reason and fragment in reason and configured in reason, reason
    assert any("2026-01-05/installations.csv" in line and "implausible" in line for line in logged), logged
    assert query(tmp_path, "select bool_and(is_balanced) from ops.load_reconciliation") == [(True,)]


@pytest.mark.parametrize(
    ("rows", "encoding", "region"),
    [
        (HAN_ROWS, "gb18030", "CN"),
        (GERMAN_ROWS, "latin-1", "DE"),  # umlauts are German, not garbage
        (GERMAN_ROWS, "utf-8", "FR"),
        (RUSSIAN_ROWS, "cp1251", "RU"),
        ([installation(n, "East Depot", "Li Wei") for n in range(1, 7)], "latin-1", "CN"),  # plain ASCII
    ],
)
def test_text_in_the_configured_encoding_loads_whatever_its_script(tmp_path, rows, encoding, region):
    root = tmp_path / "landing"
    write_drop(root, [HEADER, *rows], encoding)
    report = load_drops(root, tmp_path, encoding, region)
    assert report.rows["installations"] == len(rows) and report.quarantined["installations"] == 0
    site = rows[0].split(",")[2]
    assert query(tmp_path, "select distinct site_name from raw_logistics.installations") == [(site,)]


def test_a_cdr_file_read_in_the_wrong_encoding_is_quarantined_whole(tmp_path):
    from tests.connectors.test_call_center_files import cdr

    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    calls = [cdr(f"1767578400.{i}", "2026-01-05 10:00:00").replace('""A""', '""钱多多""') for i in range(5)]
    (root / "cdr" / "Master-20260105.csv").write_text("".join(calls), encoding="utf-8")
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        report = asterisk.load(con, root, "Asia/Shanghai", "latin-1", "CN", work_db, tmp_path / "dlt", log=print)
    finally:
        con.close()
    assert report.rows.get("cdr", 0) == 0 and report.quarantined["cdr"] == 5
    origins = query(tmp_path, "select distinct origin, reasons from ops.quarantine")
    assert len(origins) == 1 and origins[0][0] == "cdr/Master-20260105.csv" and "implausible" in origins[0][1]


@pytest.mark.parametrize(
    ("region", "script"),
    [("CN", "han"), ("TW", "han"), ("JP", "japanese"), ("KR", "hangul"), ("RU", "cyrillic"), ("GR", "greek")]
    + [("DE", "latin"), ("US", "latin"), ("BR", "latin"), ("", "latin"), ("zz", "latin"), ("cn", "han")],
)
def test_the_expected_script_follows_the_company_country(region, script):
    assert expected_script(region) == script


def test_a_few_foreign_characters_in_a_large_file_are_plausible():
    text = ("SKU-1,Espresso machine,2\n" * 300 + "SKU-2,Café crème,1\n" + "SKU-3,抽湿机,1\n").encode()
    assert implausible_text(text, "han") is None
    assert implausible_text("Müller,Jürgen\n".encode(), "latin") is None
    assert implausible_text("東京都,さくら\n".encode() * 20, "japanese") is None


def test_the_implausible_text_rule_says_what_it_found():
    garbled = "东风仓库,赵一鸣\n".encode("gb18030").decode("latin-1").encode() * 5
    reason = implausible_text(garbled, "han")
    assert reason is not None and "Latin-1" in reason and "%" in reason
