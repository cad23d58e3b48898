"""What `c360 run` says: a night that published nothing never says it succeeded and exits
non-zero; a failed night fits on one screen, its clear line (the step, the cause, the fix) first,
and leaves every step's output and the stack trace in a private log file whose path it prints."""

from __future__ import annotations

import re
import stat
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.conftest import c360


def test_a_summary_that_published_nothing_never_says_succeeded():
    from c360.run import RunSummary

    summary = RunSummary(success=True, seconds=1.0, published=None)
    assert not any("succeeded" in line for line in summary.lines())


def test_a_night_whose_steps_were_skipped_is_a_failure_that_names_them():
    from c360.run import night_outcome

    success, failure = night_outcome(
        dagster_success=True,
        published=None,
        failure=None,
        skipped_steps=["build_b", "publish_c"],
        not_materialized=["raw/table_x"],
    )
    assert success is False
    assert "nothing was published" in failure and "build_b" in failure and "raw/table_x" in failure


def test_a_night_that_published_is_a_success():
    from c360.run import night_outcome

    assert night_outcome(True, "/w/published/c360-1.duckdb", None, [], []) == (True, None)


def test_a_failed_summary_begins_with_its_clear_line_and_points_to_the_log():
    from c360.run import RunSummary

    summary = RunSummary(
        success=False,
        seconds=3.0,
        rows_by_source={"src_a": 10},
        quarantined_by_source={"src_a": 0},
        failure="load_src_b: src_b: the table 'T' is missing; name it in sources.src_b.tables",
        failed_step="load_src_b",
        log="/w/logs/run-1.log",
        steps={"load_src_a": [0.0, 1.0], "load_src_b": [1.0, 2.0]},
    )
    lines = summary.lines()
    assert lines[0].startswith("run FAILED") and "load_src_b" in lines[0] and "sources.src_b.tables" in lines[0]
    assert not any("succeeded" in line for line in lines)
    assert any("/w/logs/run-1.log" in line for line in lines)
    assert len(lines) <= 8, lines


def test_the_console_shows_one_line_a_step_and_no_bookkeeping():
    from pipelines.nightly import Progress

    progress = Progress()
    progress.start("load_a")
    progress.start("build")
    shown = [
        progress.line(step, message)
        for step, message in [
            ("load_a", "a: t1: read 3, loaded 3"),
            ("load_a", "a: t2: read 4, loaded 4"),
            ("build", "A dbt subsetted execution is not being performed. Using the default"),
            ("build", "Copying `x/partial_parse.msgpack` to `y`"),
            ("build", "Running dbt command: `dbt build " + "--vars {} " * 40 + "`."),
            ("build", "Finished dbt command: `dbt build`."),
            (None, "a message of no step"),
            ("publish", "Dependencies for step publish were not executed"),  # a step that never started
        ]
    ]
    assert shown[0] == "  load_a - a: t1: read 3, loaded 3"
    assert [i for i, line in enumerate(shown) if line is not None] == [0, 4]
    assert shown[4].startswith("  build - Running dbt command") and len(shown[4]) <= 120


def test_each_steps_line_has_a_bar_of_the_steps_begun_out_of_the_nights():
    from pipelines.nightly import Progress

    progress = Progress(total=3)
    progress.start("load_a")
    first = progress.line("load_a", "a: t1: read 3, loaded 3")
    progress.start("build")
    progress.start("load_a")  # a step's start is counted once
    second = progress.line("build", "building the marts")
    assert first == "  [████········] 1/3 load_a - a: t1: read 3, loaded 3"
    assert second == "  [████████····] 2/3 build - building the marts"


@pytest.fixture
def nothing_published(monkeypatch, tmp_path):
    """The night's assets replaced by two: a load that leaves one of its tables unmaterialized,
    and a publish that needs that table (so Dagster skips it and calls the run a success)."""
    import dagster as dg

    import pipelines.nightly

    @dg.multi_asset(
        specs=[dg.AssetSpec(["raw_x", "table_a"], skippable=True), dg.AssetSpec(["raw_x", "table_b"], skippable=True)],
        name="load_x",
    )
    def load_x(context):
        context.log.info("x: table_a loaded, table_b not configured")
        yield dg.MaterializeResult(asset_key=["raw_x", "table_a"])

    @dg.asset(deps=[dg.AssetKey(["raw_x", "table_b"])], name="published_warehouse")
    def published_warehouse(context):
        return dg.MaterializeResult(metadata={"path": "never"})

    monkeypatch.setattr(pipelines.nightly, "NIGHTLY_ASSETS", [load_x, published_warehouse])
    return company_without_sources(tmp_path)


def company_without_sources(folder: Path) -> Path:
    from demo.generate import demo_config

    settings = demo_config(date(2026, 1, 1), 9)
    settings["sources"] = {}
    config = folder / "c360.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return config


def test_a_night_that_publishes_nothing_fails_and_the_command_exits_non_zero(nothing_published, capsys):
    from c360.cli import main

    assert main(["run", "--config", str(nothing_published)]) != 0
    out = capsys.readouterr().out
    assert "succeeded" not in out and "FAILED" in out
    assert "table_b" in out, "the failure names what was not materialized"


def failing_company(folder: Path) -> Path:
    """A company whose night fails at once, in its CRM load: the CRM database holds none of the
    tables the config names. No service desk (its retries would only add time)."""
    from demo.generate import demo_config

    for name in ("logistics", "call_center", "crm"):
        (folder / name).mkdir()
    (folder / "crm" / "crm.sqlite").write_bytes(b"")
    settings = demo_config(date(2026, 1, 1), 9)
    settings["sources"].pop("service")
    config = folder / "c360.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return config


@pytest.mark.integration
def test_a_failed_night_fits_on_one_screen_and_its_log_holds_the_stack_trace(tmp_path):
    config = failing_company(tmp_path)
    result = c360("run", "--config", str(config), check=False)
    assert result.returncode == 1
    screen = (result.stdout + result.stderr).splitlines()
    assert len(screen) <= 15, "\n".join(screen)
    assert not any("Traceback" in line or "Stack Trace" in line or "dagster - ERROR" in line for line in screen)
    failed = next(i for i, line in enumerate(screen) if "FAILED" in line)
    clear = screen[failed]
    assert "load_sales" in clear and "sources.sales.tables" in clear, clear
    assert failed < next(i for i, line in enumerate(screen) if line.strip().startswith("published")), screen
    paths = [Path(m.group(1)) for line in screen if (m := re.search(r"(/\S+\.log)\b", line))]
    assert paths, "the log file is named"
    log = paths[0]
    assert log.is_file() and log.is_relative_to(tmp_path / "warehouse")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text or "Stack Trace" in text
    assert "sources.sales.tables" in text


def test_the_summary_lists_the_tables_a_source_did_not_deliver():
    from c360.run import RunSummary

    summary = RunSummary(success=True, seconds=1.0, published="/w/published/c360-1.duckdb")
    summary.absent_tables = ["sales.survey_response_c", "sales.opportunity_contact_role"]
    lines = summary.lines()
    assert lines[0].startswith("run succeeded")
    assert any(
        line.startswith("  absent       sales.opportunity_contact_role, sales.survey_response_c") for line in lines
    )


def test_the_failure_line_names_what_the_system_refused_below_dbts_own_message():
    """dbt reports a full disk as "Unhandled error while executing <file>" with the errno on the
    lines below: the summary's line carries the errno, and so the remedy for a full disk."""
    from types import SimpleNamespace

    from c360.run import _root_message

    error = SimpleNamespace(
        cause=None,
        cls_name="DbtBuildError",
        message="pipelines.dbt_in_process.DbtBuildError: dbt build failed: Unhandled error while executing "
        "/w/dbt_target/run/c360/models/x.sql\n[Errno 28] No space left on device | Unhandled error while executing\n"
        "[Errno 28] No space left on device (the night's log has dbt's output)",
    )
    assert _root_message(error) == (
        "dbt build failed: Unhandled error while executing /w/dbt_target/run/c360/models/x.sql: "
        "[Errno 28] No space left on device"
    )
    plain = SimpleNamespace(cause=None, cls_name="SourceError", message="SourceError: crm: the table Account is empty")
    assert _root_message(plain) == "crm: the table Account is empty"
