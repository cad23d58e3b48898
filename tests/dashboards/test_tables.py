"""Tables are shown for a person: words for true and false, nothing for a missing value,
fractions rounded, columns named in words; the CSV download keeps the warehouse's own."""

from __future__ import annotations

import pandas as pd

from dashboards.ui import column_label, column_labels, presentable


def test_a_table_shows_words_and_rounded_numbers_under_named_columns():
    frame = pd.DataFrame(
        {
            "is_contactable": [True, False, None],
            "csat_pct_90d": [70.4918, None, 12.04],
            "first_reply_business_minutes": [1200, 35, 7],
            "churn_risk": [0.8734, 0.2341, None],
            "next_best_action": ["Chase the late delivery", None, "Cross-sell"],
        }
    )
    shown = presentable(frame)
    assert shown["is_contactable"].tolist() == ["yes", "no", ""]
    assert shown["csat_pct_90d"].iloc[0] == 70.5 and pd.isna(shown["csat_pct_90d"].iloc[1])
    assert shown["churn_risk"].iloc[0] == 0.873 and shown["churn_risk"].iloc[1] == 0.234, "a ranking stays readable"
    assert shown["next_best_action"].tolist() == ["Chase the late delivery", "", "Cross-sell"]
    assert frame["is_contactable"].tolist() == [True, False, None], "the download keeps the values"
    # a column the catalogue names, and one it does not, in words
    assert column_label("csat_pct_90d") == "CSAT, 90 days"
    assert column_label("first_reply_business_minutes") == "First reply business minutes"
    config = column_labels(frame)
    assert config["first_reply_business_minutes"]["label"] == "First reply business minutes"
    assert config["first_reply_business_minutes"]["type_config"]["format"] == "localized"
    assert config["is_contactable"] == "Contactable"


def test_a_times_column_names_the_zone_its_times_are_in(monkeypatch):
    from zoneinfo import ZoneInfo

    from dashboards import data

    monkeypatch.setattr(data, "company_zone", lambda: ZoneInfo("America/Sao_Paulo"))
    frame = pd.DataFrame({"due_at": pd.to_datetime(["2026-11-30 23:59:59"]), "due_date": ["2026-11-30"]})
    config = column_labels(frame)
    assert config["due_at"] == f"{column_label('due_at')} (America/Sao_Paulo)"
    assert config["due_date"] == column_label("due_date"), "a day has no time of day to place in a zone"


def test_the_run_history_says_how_each_night_ended_in_words_without_the_servers_paths():
    from dashboards.queries.data_health import describe_runs

    runs = [
        {"started_at": "2026-12-06T02:00:00", "run_id": "r3", "success": True, "seconds": 95.0,
         "checks_passed": 126, "checks_failed": 6, "rows_by_source": {"sales": 10, "service": 5},
         "quarantined_by_source": {"sales": 1}, "published": "/srv/c360/warehouse/published/c360-r3.duckdb"},
        {"started_at": "2026-12-05T02:00:00", "run_id": "r2", "success": False, "seconds": 12.0,
         "failure": "load_service: the service desk did not answer", "published": None},
        {"started_at": "2026-12-04T02:00:00", "run_id": "r1", "success": True, "seconds": 90.0,
         "checks_passed": 132, "checks_failed": 0, "published": "/srv/c360/warehouse/published/c360-r1.duckdb"},
    ]  # fmt: skip
    shown = describe_runs(runs)
    assert shown["outcome"].tolist() == [
        "succeeded, 6 check(s) warned",
        "failed: load_service: the service desk did not answer",
        "succeeded",
    ]
    assert shown["published"].tolist() == ["c360-r3.duckdb", "", "c360-r1.duckdb"]
    assert shown["rows_loaded"].tolist() == [15, 0, 0] and shown["rows_quarantined"].tolist() == [1, 0, 0]
    assert not shown.astype(str).apply(lambda column: column.str.contains("/srv/")).any().any()


def test_a_field_value_list_shows_words_not_python():
    from datetime import datetime

    from dashboards.ui import as_text

    assert [as_text(v) for v in (None, float("nan"), True, False, 0.8734, 681568400.0, 12345, "gold")] == [
        "", "", "yes", "no", "0.873", "681,568,400.0", "12,345", "gold",
    ]  # fmt: skip
    assert as_text(datetime(2026, 11, 30, 7, 43)) == "2026-11-30 07:43:00"
