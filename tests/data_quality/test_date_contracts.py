"""Every date or timestamp column a staging model reads is checked by its source contract: a
value that the model would read as NULL quarantines its row (so it never replaces a good value
loaded before), an empty value stays allowed where the column is optional, and "not in the
future" means not after the night's pinned moment ($C360_AS_OF), whatever the wall clock."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from data_quality.validate import check_batch

AS_OF = "2026-01-10 00:00:00"
SF_TIME = "2025-12-01T10:00:00.000+0000"
ISO_TIME = "2025-12-01T10:00:00Z"
OFFSET_TIME = "2025-12-01T10:00:00+08:00"
DAY = "2025-12-01"

# a valid row of each table's contract, the times well before AS_OF
SALES_COMMON = {
    "id": "R-1",
    "created_date": SF_TIME,
    "last_modified_date": SF_TIME,
    "system_modstamp": SF_TIME,
    "is_deleted": "false",
}
VALID = {
    ("sales", "account"): {**SALES_COMMON, "name": "Acme"},
    ("sales", "contact"): {**SALES_COMMON, "account_id": "A-1", "last_name": "Doe"},
    ("sales", "lead"): {**SALES_COMMON, "last_name": "Doe", "is_converted": "true", "converted_date": DAY},
    ("sales", "opportunity"): {**SALES_COMMON, "account_id": "A-1", "stage_name": "Won", "close_date": DAY},
    ("sales", "opportunity_contact_role"): {**SALES_COMMON, "opportunity_id": "O-1", "contact_id": "C-1"},
    ("sales", "order"): {
        **SALES_COMMON,
        "account_id": "A-1",
        "order_number": "N-1",
        "total_amount": 10.0,
        "effective_date": DAY,
    },
    ("sales", "order_item"): {
        **SALES_COMMON,
        "order_id": "O-1",
        "product2_id": "P-1",
        "quantity": 1.0,
        "service_date": DAY,
    },
    ("sales", "task"): {**SALES_COMMON, "subject": "Call", "activity_date": DAY},
    ("sales", "survey_response_c"): {
        **SALES_COMMON,
        "survey_type_c": "NPS",
        "score_c": 9.0,
        "responded_at_c": SF_TIME,
    },
    ("service", "tickets"): {
        "id": 1,
        "created_at": ISO_TIME,
        "updated_at": ISO_TIME,
        "status": "open",
        "requester_id": 2,
        "due_at": ISO_TIME,
    },
    ("service", "users"): {"id": 1, "name": "Doe", "role": "end-user", "created_at": ISO_TIME, "updated_at": ISO_TIME},
    ("service", "organizations"): {"id": 1, "name": "Acme", "created_at": ISO_TIME, "updated_at": ISO_TIME},
    ("service", "ticket_events"): {"id": 1, "ticket_id": 2, "created_at": ISO_TIME, "child_events": "[]"},
    ("service", "satisfaction_ratings"): {
        "id": 1,
        "ticket_id": 2,
        "score": "good",
        "created_at": ISO_TIME,
        "updated_at": ISO_TIME,
    },
    ("logistics", "shipments"): {
        "shipment_id": "S-1",
        "order_number": "N-1",
        "ship_date": DAY,
        "promised_delivery_date": DAY,
        "status": "in_transit",
        "updated_at": OFFSET_TIME,
    },
    ("logistics", "tracking_events"): {"tracking_number": "T-1", "event_time": OFFSET_TIME, "event_code": "IT"},
    ("logistics", "installations"): {
        "work_order_id": "W-1",
        "order_number": "N-1",
        "scheduled_date": DAY,
        "promised_by_date": DAY,
        "completed_at": OFFSET_TIME,
        "status": "completed",
        "updated_at": OFFSET_TIME,
    },
}

# (source, table, column, kind, may be empty): every date or timestamp column the staging
# models read as text (dbt_project/models/staging/**), listed here on its own
READ_BY_MODELS = [
    *[("sales", t, "system_modstamp", "timestamp", False) for t in ("account", "contact", "lead", "opportunity")],
    ("sales", "order", "system_modstamp", "timestamp", False),
    *[
        ("sales", t, "created_date", "timestamp", True)
        for t in ("account", "contact", "lead", "opportunity", "opportunity_contact_role", "order", "task")
    ],
    ("sales", "lead", "converted_date", "date", True),
    ("sales", "opportunity", "close_date", "date", True),
    ("sales", "order", "effective_date", "date", True),
    ("sales", "order_item", "service_date", "date", True),
    ("sales", "task", "activity_date", "date", True),
    ("sales", "survey_response_c", "responded_at_c", "timestamp", True),
    ("service", "tickets", "created_at", "timestamp", False),
    ("service", "tickets", "updated_at", "timestamp", True),
    ("service", "tickets", "due_at", "timestamp", True),
    ("service", "users", "created_at", "timestamp", True),
    ("service", "users", "updated_at", "timestamp", True),
    ("service", "organizations", "created_at", "timestamp", True),
    ("service", "organizations", "updated_at", "timestamp", True),
    ("service", "ticket_events", "created_at", "timestamp", False),
    ("service", "satisfaction_ratings", "created_at", "timestamp", True),
    ("service", "satisfaction_ratings", "updated_at", "timestamp", True),
    ("logistics", "shipments", "updated_at", "timestamp", False),
    ("logistics", "shipments", "ship_date", "date", True),
    ("logistics", "shipments", "promised_delivery_date", "date", False),
    ("logistics", "tracking_events", "event_time", "timestamp", False),
    ("logistics", "installations", "updated_at", "timestamp", False),
    ("logistics", "installations", "scheduled_date", "date", True),
    ("logistics", "installations", "promised_by_date", "date", True),
    ("logistics", "installations", "completed_at", "timestamp", True),
]
IMPOSSIBLE = {"date": "2099-13-45", "timestamp": "2099-13-45T10:00:00+08:00"}
# what a model's cast reads as NULL although some parsers take it for a time
UNREADABLE = {"date": ["20251201", "01/12/2025", "2025-02-30"], "timestamp": ["2025", "20251201", "2025-12-01T10Z"]}


@pytest.fixture(autouse=True)
def pinned_now(monkeypatch):
    monkeypatch.setenv("C360_AS_OF", AS_OF)


def batch_of(rows: list[dict]) -> pa.Table:
    return pa.table({key: [row[key] for row in rows] for key in rows[0]})


def check(source: str, table: str, rows: list[dict]):
    result = check_batch(source, table, batch_of(rows), f"test/{table}")
    return result.passed.to_pylist(), result.quarantined


@pytest.mark.parametrize(("source", "table", "column", "kind", "optional"), READ_BY_MODELS)
def test_a_time_the_models_cannot_read_quarantines_its_row_and_an_empty_optional_one_passes(
    source, table, column, kind, optional
):
    valid = VALID[(source, table)]
    bad_values = [IMPOSSIBLE[kind], *UNREADABLE[kind]]
    rows = [{**valid, column: value} for value in [valid[column], *bad_values, "", None, "   "]]
    passed, quarantined = check(source, table, rows)
    assert sorted(q["row"][column] for q in quarantined if q["row"][column] in bad_values) == sorted(bad_values)
    assert all(column in " ".join(q["reasons"]) for q in quarantined), quarantined
    empty = ["", None, "   "]
    if optional:
        assert [row[column] for row in passed] == [valid[column], *empty]
        assert len(quarantined) == len(bad_values)
    else:
        assert [row[column] for row in passed] == [valid[column]]
        assert len(quarantined) == len(bad_values) + len(empty)


def test_an_optional_time_column_a_source_leaves_out_is_no_error():
    valid = {k: v for k, v in VALID[("sales", "survey_response_c")].items() if k != "responded_at_c"}
    passed, quarantined = check("sales", "survey_response_c", [valid, valid])
    assert len(passed) == 2 and quarantined == []


def test_the_reason_says_in_words_which_column_does_not_read_as_what():
    row = VALID[("logistics", "installations")]
    _, quarantined = check("logistics", "installations", [row, {**row, "promised_by_date": "2099-13-45"}])
    [reasons] = [q["reasons"] for q in quarantined]
    assert any("promised_by_date '2099-13-45' is not a date" in r for r in reasons), reasons


def test_times_given_as_database_types_are_checked_as_well():
    """A PostgreSQL CRM delivers dates and timestamps typed, not as text."""
    from datetime import date, datetime

    rows = [
        {**SALES_COMMON, "subject": "Call", "activity_date": date(2025, 12, 1)},
        {**SALES_COMMON, "subject": "Call", "activity_date": None},
    ]
    typed = batch_of(rows)
    typed = typed.set_column(
        typed.schema.get_field_index("system_modstamp"),
        "system_modstamp",
        pa.array([datetime(2025, 12, 1, 10), datetime(2025, 12, 2)], pa.timestamp("us")),
    )
    result = check_batch("sales", "task", typed, "table:Task")
    assert result.passed.num_rows == 2 and result.quarantined == []


# ---- the CDR's times, which the connector computes from the PBX's local times --------------


def cdr_rows() -> pa.Table:
    """Three calls: answered, unanswered, and one whose duration is no number (no end time)."""
    start = pa.array([pd.Timestamp("2026-01-05 02:00:00", tz="UTC")] * 3, pa.timestamp("us", "UTC"))
    end = pa.array([pd.Timestamp("2026-01-05 02:01:00", tz="UTC")] * 2 + [None], pa.timestamp("us", "UTC"))
    answer = pa.array(
        [pd.Timestamp("2026-01-05 02:00:10", tz="UTC"), None, None], pa.timestamp("us", "UTC")
    )  # the third: given, but not computable without a duration
    return pa.table(
        {
            "src": ["100", "101", "102"],
            "start": ["2026-01-05 10:00:00"] * 3,
            "answer": ["2026-01-05 10:00:10", "", "2026-01-05 10:00:10"],
            "duration": ["60", "60", "n/a"],
            "billsec": ["50", "0", "50"],
            "disposition": ["ANSWERED", "NO ANSWER", "ANSWERED"],
            "uniqueid": ["1.1", "1.2", "1.3"],
            "start_utc": start,
            "answer_utc": answer,
            "end_utc": end,
        }
    )


def test_a_call_without_an_end_or_answer_time_the_model_could_read_is_quarantined():
    result = check_batch("call_center", "cdr", cdr_rows(), "cdr/Master-20260105.csv")
    assert result.passed.column("uniqueid").to_pylist() == ["1.1", "1.2"]
    [bad] = result.quarantined
    assert bad["row"]["uniqueid"] == "1.3"
    assert any("_check_end" in r and "no end time" in r for r in bad["reasons"])
    assert any("_check_answer" in r and "no answer time" in r for r in bad["reasons"])


# ---- reading as the staging models read -----------------------------------------------------


def staging_macro(name: str, column: str) -> str:
    """The DuckDB body of one of the time macros (dbt_project/macros/time/<name>.sql), applied to `column`."""
    text = (Path(__file__).parents[2] / "dbt_project" / "macros" / "time" / f"{name}.sql").read_text(encoding="utf-8")
    body = re.search(rf"macro duckdb__{name}\(expr\) -%\}}(.*?)\{{%- endmacro", text, re.S).group(1)
    return body.replace("{{ expr }}", column).strip()


def random_stamps(n: int, seed: int) -> list[str | None]:
    import random

    rng = random.Random(seed)

    def stamp() -> str | None:
        day = f"{rng.choice([1999, 2024, 2030]):04d}-{rng.randint(1, 13):02d}-{rng.randint(1, 31):02d}"
        base = f"{day}T{rng.randint(0, 24):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 60):02d}"
        fraction = rng.choice(["", ".000", ".5", ".123456", ".123456789"])
        zone = rng.choice(["Z", "+0000", "+08:00", "-05:00", "+08", "", "+0530", " ", "z"])
        return rng.choice(
            [base + fraction + zone, day, "", None, " ", "n/a", base.replace("T", " ") + zone, day[:7], day[:4]]
        )

    return [stamp() for _ in range(n)]


def test_timestamps_are_read_exactly_as_the_staging_models_read_them():
    from data_quality.contract import read_timestamp

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    clean = [f"2024-07-{d:02d}T07:50:{s:02d}.000+0000" for d in range(1, 29) for s in range(0, 60, 7)]
    for values in (random_stamps(5000, 5), clean, clean + [""], clean + ["2024-07-01T07:50:40"], clean + ["2024"]):
        stamps = pa.table({"x": pa.array(values, pa.string())})
        con.register("stamps", stamps)
        theirs = con.execute(f"select epoch_us({staging_macro('to_utc', 'x')}) from stamps").fetchnumpy()
        theirs = pd.Series(theirs[next(iter(theirs))]).astype("float64") / 1e6
        for series in (pd.Series(values, dtype=object), stamps.to_pandas()["x"]):
            ours = read_timestamp(series)
            assert np.array_equal(ours.fillna(-1e18).to_numpy(), theirs.fillna(-1e18).to_numpy())
            assert ours.index.equals(series.index)


def test_dates_are_read_exactly_as_the_staging_models_read_them():
    from data_quality.contract import read_date

    con = duckdb.connect()
    values = [s if s is None else s[:10] for s in random_stamps(3000, 7)] + random_stamps(2000, 8)
    values += ["2025-12-01", " 2025-12-01 ", "2025-1-5", "2025-12-01 00:00:00", "2025-02-29", "2024-02-29"]
    con.register("stamps", pa.table({"x": pa.array(values, pa.string())}))
    theirs = con.execute("select epoch_us(cast(try_cast(x as date) as timestamp)) from stamps").fetchnumpy()
    theirs = pd.Series(theirs[next(iter(theirs))]).astype("float64") / 1e6
    ours = read_date(pd.Series(values, dtype=object))
    assert np.array_equal(ours.fillna(-1e18).to_numpy(), theirs.fillna(-1e18).to_numpy())
    clean = ["2025-12-01", "2024-02-29"] * 50
    assert read_date(pd.Series(clean)).tolist() == [1764547200.0, 1709164800.0] * 50


# ---- "not in the future" is the night's pinned moment -------------------------------------


@pytest.mark.parametrize(
    ("as_of", "kept", "quarantined"),
    [
        # pinned in the past of any wall clock running this test
        ("2020-06-01 00:00:00", ["2020-05-31T00:00:00Z", "2020-06-01T23:00:00Z"], ["2020-06-02T01:00:00Z"]),
        # pinned in its future
        ("2090-01-01 00:00:00", ["2089-12-31T00:00:00Z", "2090-01-01T23:00:00Z"], ["2090-01-02T01:00:00Z"]),
    ],
)
def test_the_future_is_after_the_pinned_as_of_and_a_day_of_tolerance(monkeypatch, as_of, kept, quarantined):
    monkeypatch.setenv("C360_AS_OF", as_of)
    row = VALID[("service", "tickets")]
    passed, bad = check("service", "tickets", [{**row, "created_at": t} for t in kept + quarantined])
    assert [r["created_at"] for r in passed] == kept
    assert [q["row"]["created_at"] for q in bad] == quarantined
    assert "max_value" in bad[0]["reasons"][0]


def test_each_batch_is_checked_against_the_as_of_pinned_when_it_is_checked(monkeypatch):
    row = {**VALID[("logistics", "tracking_events")], "event_time": "2030-01-01T00:00:00+00:00"}
    monkeypatch.setenv("C360_AS_OF", "2029-06-01 00:00:00")
    assert check("logistics", "tracking_events", [row])[1] != []
    monkeypatch.setenv("C360_AS_OF", "2030-06-01 00:00:00")
    assert check("logistics", "tracking_events", [row])[1] == []


# ---- a later load's bad value does not replace an earlier good one -------------------------


INSTALLATION_HEADER = (
    "work_order_id,order_number,site_name,site_address,contact_name,contact_phone,scheduled_date,"
    "promised_by_date,completed_at,status,technician,acceptance_signed_by,notes,updated_at"
)
SHIPMENT_HEADER = (
    "shipment_id,order_number,carrier,tracking_number,ship_date,promised_delivery_date,recipient_name,"
    "recipient_phone,ship_to_address,ship_to_city,ship_to_postal_code,status,updated_at"
)


def installation(scheduled: str, promised: str, updated: str) -> str:
    return f"W-T1,N-T1,Site,Street 1,Kim,13800000000,{scheduled},{promised},,scheduled,Tech,,,{updated}"


def shipment(ship_date: str, updated: str) -> str:
    return f"S-T1,N-T1,Carrier,TR-T1,{ship_date},2025-12-05,Kim,13800000000,Street 1,City,100000,shipped,{updated}"


def drop(root: Path, day: str, file: str, lines: list[str]) -> None:
    (root / day).mkdir(parents=True, exist_ok=True)
    (root / day / file).write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_logistics(root: Path, tmp_path: Path) -> None:
    from connectors.logistics import drops

    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        drops.load(con, root, "utf-8", "CN", work_db, tmp_path / "dlt", log=lambda *_: None)
    finally:
        con.close()


def test_an_impossible_date_in_a_later_delivery_leaves_the_earlier_good_dates_in_place(tmp_path):
    root = tmp_path / "landing"
    first, later = "2025-12-01T10:00:00+08:00", "2025-12-02T10:00:00+08:00"
    drop(
        root, "2025-12-01", "installations.csv", [INSTALLATION_HEADER, installation("2025-12-08", "2025-12-20", first)]
    )
    drop(root, "2025-12-01", "shipments.csv", [SHIPMENT_HEADER, shipment("2025-12-01", first)])
    load_logistics(root, tmp_path)
    drop(
        root, "2025-12-02", "installations.csv", [INSTALLATION_HEADER, installation("2099-13-45", "2099-13-45", later)]
    )
    drop(root, "2025-12-02", "shipments.csv", [SHIPMENT_HEADER, shipment("2099-13-45", later)])
    load_logistics(root, tmp_path)

    con = duckdb.connect(str(tmp_path / "work.duckdb"), read_only=True)
    try:
        # the newest version of each record, read as the staging models read it
        latest = """select {columns} from raw_logistics.{table}
                    qualify row_number() over (partition by {key} order by updated_at::timestamptz desc) = 1"""
        installations = con.execute(
            latest.format(
                columns="try_cast(scheduled_date as date)::text, try_cast(promised_by_date as date)::text",
                table="installations",
                key="work_order_id",
            )
        ).fetchall()
        shipments = con.execute(
            latest.format(columns="try_cast(ship_date as date)::text", table="shipments", key="shipment_id")
        ).fetchall()
        quarantined = con.execute("select table_name, origin from ops.quarantine order by 1").fetchall()
    finally:
        con.close()
    assert installations == [("2025-12-08", "2025-12-20")]
    assert shipments == [("2025-12-01",)]
    assert quarantined == [
        ("installations", "2025-12-02/installations.csv"),
        ("shipments", "2025-12-02/shipments.csv"),
    ]
