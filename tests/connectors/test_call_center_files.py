"""Asterisk files: a file still being written loads its complete lines now and the rest later,
nothing twice; PBX local time becomes UTC exactly, also across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from connectors.call_center import asterisk
from tests.warehouse import query as query_warehouse


def cdr(
    uid: str, start: str, duration: int = 60, billsec: int = 50, src: str = "13812345678", dst: str = "4008208820"
) -> str:
    return (
        f'"","{src}","{dst}","from-pstn","""A"" <{src}>","SIP/t-1","SIP/8001-1","Queue","support,t,,,300",'
        f'"{start}","{start}","{start}",{duration},{billsec},"ANSWERED","DOCUMENTATION","{uid}",""\n'
    )


def load(root, tmp_path, zone="Asia/Shanghai"):
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        return asterisk.load(con, root, zone, "utf-8", "CN", work_db, tmp_path / "dlt", log=lambda *_: None)
    finally:
        con.close()


def query(tmp_path, sql):
    return query_warehouse(tmp_path / "work.duckdb", sql)


def test_the_partial_last_line_waits_for_the_next_run_and_nothing_loads_twice(tmp_path):
    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    path = root / "cdr" / "Master-20260105.csv"
    full = [cdr(f"1767578400.{i}", "2026-01-05 10:00:00") for i in range(4)]
    path.write_text("".join(full[:3]) + full[3][:40], encoding="utf-8")  # the PBX is mid-line
    assert load(root, tmp_path).rows["cdr"] == 3
    with open(path, "a", encoding="utf-8") as f:
        f.write(full[3][40:] + cdr("1767578400.9", "2026-01-05 10:05:00"))
    assert load(root, tmp_path).rows["cdr"] == 2
    assert load(root, tmp_path).total == 0
    ids = [r[0] for r in query(tmp_path, "select uniqueid from raw_call_center.cdr order by 1")]
    assert ids == sorted([f"1767578400.{i}" for i in range(4)] + ["1767578400.9"])


def test_queue_log_lines_with_missing_trailing_fields_load_and_broken_ones_are_quarantined(tmp_path):
    root = tmp_path / "pbx"
    (root / "queue_log").mkdir(parents=True)
    (root / "queue_log" / "queue_log-20260105").write_text(
        "1767578400|NONE|NONE|NONE|QUEUESTART|\n"
        "1767578401|1767578401.1|support|NONE|ENTERQUEUE||13812345678|1\n"
        "1767578430|1767578401.1|support|Agent/8001|CONNECT|29|1767578401.2|3\n"
        "this line is broken\n",
        encoding="utf-8",
    )
    report = load(root, tmp_path)
    assert report.rows["queue_log"] == 3 and report.quarantined["queue_log"] == 1
    assert query(
        tmp_path, "select data1, data2, data3, data4, data5 from raw_call_center.queue_log where event = 'CONNECT'"
    ) == [("29", "1767578401.2", "3", "", "")]


def test_pbx_local_time_becomes_utc_across_the_fall_back_hour(tmp_path):
    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    # New York, 1 Nov 2026: 01:30 happens twice; the uniqueid's Unix time tells which is which.
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC).timestamp()
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC).timestamp()
    (root / "cdr" / "Master-20261101.csv").write_text(
        cdr(f"{int(first)}.1", "2026-11-01 01:30:00", 100, 90) + cdr(f"{int(second)}.2", "2026-11-01 01:30:00", 20, 10),
        encoding="utf-8",
    )
    assert load(root, tmp_path, zone="America/New_York").rows["cdr"] == 2
    rows = query(
        tmp_path,
        "select start, strftime(timezone('UTC', start_utc), '%H:%M:%S'), "
        "strftime(timezone('UTC', end_utc), '%H:%M:%S') from raw_call_center.cdr order by uniqueid",
    )
    assert rows == [("2026-11-01 01:30:00", "05:30:00", "05:31:40"), ("2026-11-01 01:30:00", "06:30:00", "06:30:20")]


def calls_every_ten_minutes(first_utc: datetime, count: int, zone: str) -> list[str]:
    """CDR lines as a PBX in `zone` writes them: local wall-clock start, Unix-time uniqueid."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    lines = []
    for i in range(count):
        at = first_utc + timedelta(minutes=10 * i)
        local = at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(cdr(f"{int(at.timestamp())}.{i}", local))
    return lines


def test_runs_across_both_dst_changes_neither_lose_nor_double_an_hours_calls(tmp_path):
    zone = "America/New_York"
    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    nights = {
        # spring forward: 02:00-02:59 local never happens; fall back: 01:00-01:59 happens twice
        "Master-20260308.csv": calls_every_ten_minutes(datetime(2026, 3, 8, 5, 0, tzinfo=UTC), 30, zone),
        "Master-20261101.csv": calls_every_ten_minutes(datetime(2026, 11, 1, 4, 0, tzinfo=UTC), 30, zone),
    }
    # the nightly run comes in the middle of the changed hour, the next one after it
    for name, lines in nights.items():
        (root / "cdr" / name).write_text("".join(lines[:10]), encoding="utf-8")
    assert load(root, tmp_path, zone=zone).rows["cdr"] == 20
    for name, lines in nights.items():
        (root / "cdr" / name).write_text("".join(lines), encoding="utf-8")
    assert load(root, tmp_path, zone=zone).rows["cdr"] == 40
    per_hour = query(
        tmp_path,
        "select strftime(timezone('UTC', start_utc), '%Y-%m-%d %H'), count(*), count(distinct start_utc) "
        "from raw_call_center.cdr group by 1 order by 1",
    )
    assert [n for _, n, _ in per_hour] == [6] * 10, per_hour  # every hour of UTC: six calls, once each
    assert [h for h, _, _ in per_hour] == [f"2026-03-08 {h:02d}" for h in range(5, 10)] + [
        f"2026-11-01 {h:02d}" for h in range(4, 9)
    ]
    twice = query(tmp_path, "select count(*) from raw_call_center.cdr where start like '2026-11-01 01:%'")
    assert twice == [(12,)], "the repeated local hour holds both of its real hours"


def test_caller_and_dialled_numbers_get_e164_beside_the_raw_value(tmp_path):
    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    (root / "cdr" / "Master-20260105.csv").write_text(
        cdr("1767578400.1", "2026-01-05 10:00:00", src="02155551234")
        + cdr("1767578400.2", "2026-01-05 10:01:00", src="8613812345678")
        # an agent's call out: from extension 8003 to a customer's mobile
        + cdr("1767578400.3", "2026-01-05 10:02:00", src="8003", dst="139 1234 5678"),
        encoding="utf-8",
    )
    load(root, tmp_path)
    assert query(tmp_path, "select src, src_e164, dst, dst_e164 from raw_call_center.cdr order by 1") == [
        ("02155551234", "+862155551234", "4008208820", "+864008208820"),
        ("8003", None, "139 1234 5678", "+8613912345678"),
        ("8613812345678", "+8613812345678", "4008208820", "+864008208820"),
    ]


def test_an_unclosed_quote_in_a_cdr_line_loses_none_of_the_calls_after_it(tmp_path):
    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    calls = [cdr(f"1767578400.{i}", f"2026-01-05 10:0{i}:00") for i in range(7)]
    calls[2] = calls[2].removesuffix('""\n') + '"\n'  # the userfield's quote opened and never closed
    (root / "cdr" / "Master-20260105.csv").write_text("".join(calls), encoding="utf-8")
    report = load(root, tmp_path)
    assert report.rows["cdr"] == 6 and report.quarantined["cdr"] == 1
    ids = [r[0] for r in query(tmp_path, "select uniqueid from raw_call_center.cdr order by 1")]
    assert ids == [f"1767578400.{i}" for i in range(7) if i != 2]
    [(origin, line_number, reasons)] = query(tmp_path, "select origin, line_number, reasons from ops.quarantine")
    assert (origin, line_number) == ("cdr/Master-20260105.csv", 3)
    assert "quote" in reasons and "not closed" in reasons, reasons
    assert query(
        tmp_path,
        "select rows_read, rows_loaded, rows_quarantined, is_balanced from ops.load_reconciliation "
        "where table_name = 'cdr'",
    ) == [(7, 6, 1, True)]


def test_a_growing_file_numbers_its_lines_from_the_start_of_the_file(tmp_path):
    root = tmp_path / "pbx"
    (root / "queue_log").mkdir(parents=True)
    path = root / "queue_log" / "queue_log-20260105"
    path.write_text("1767578400|NONE|NONE|NONE|QUEUESTART|\n1767578401|1767578401.1|support|NONE|ENTERQUEUE||1|1\n")
    load(root, tmp_path)
    with open(path, "a", encoding="utf-8") as f:
        f.write("1767578402|1767578401.1|support|NONE|ABANDON|1|1|1\nthis line is broken\n")
    report = load(root, tmp_path)
    assert report.rows["queue_log"] == 1 and report.quarantined["queue_log"] == 1
    assert query(tmp_path, "select origin, line_number from ops.quarantine") == [("queue_log/queue_log-20260105", 4)]


def test_a_carriage_return_inside_a_line_quarantines_that_line_alone(tmp_path):
    root = tmp_path / "pbx"
    (root / "cdr").mkdir(parents=True)
    calls = [cdr(f"1767578400.{i}", f"2026-01-05 10:0{i}:00").replace("\n", "\r\n") for i in range(5)]
    calls[1] = calls[1].replace(",60,50,", ",6\r0,50,")  # a CR outside quotes: a CSV reader ends the row there
    (root / "cdr" / "Master-20260105.csv").write_text("".join(calls), encoding="utf-8", newline="")
    report = load(root, tmp_path)
    assert report.rows["cdr"] == 4 and report.quarantined["cdr"] == 1
    [(line_number, reasons)] = query(tmp_path, "select line_number, reasons from ops.quarantine")
    assert line_number == 2 and "carriage return" in reasons


def test_an_ivr_file_that_does_not_decode_is_quarantined_without_its_header(tmp_path):
    root = tmp_path / "pbx"
    (root / "ivr_survey").mkdir(parents=True)
    (root / "ivr_survey" / "survey-20260105.csv").write_bytes(
        b"uniqueid,caller_number,question,score,answered_at\n"
        b"1767578400.1,13812345678,csat,5,2026-01-05 10:05:00\n"
        b"1767578400.2,13812345679,csat,\xff,2026-01-05 10:06:00\n"
    )
    report = load(root, tmp_path)
    assert report.rows.get("ivr_survey", 0) == 0 and report.quarantined["ivr_survey"] == 2
    rows = query(tmp_path, "select line_number, reasons from ops.quarantine order by 1")
    assert [n for n, _ in rows] == [2, 3] and all("does not decode as utf-8 (byte 132)" in r for _, r in rows)
