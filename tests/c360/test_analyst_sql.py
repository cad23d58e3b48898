"""`c360 sql` is a safe analyst query: it stops at its timeout and on Ctrl-C with one clear line,
runs within a memory limit with its temp files in a private folder outside `published/`, and
shows no setting, database list or error that reveals the warehouse's path or the account's home."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from c360 import analyst_sql
from c360.warehouse import WarehousePaths
from tests.conftest import TOKEN, TOKEN_ENV, c360

# 10^14 rows: hours on any machine, in constant memory
ENDLESS = "select sum(a.range * b.range) as s from range(10000000) a cross join range(10000000) b"


def endless(config: Path, *options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`c360 sql` of ENDLESS; the bound only keeps a command that does not stop from hanging the test."""
    return subprocess.run(
        [sys.executable, "-m", "c360.cli", "sql", "--config", str(config), *options, ENDLESS],
        capture_output=True,
        text=True,
        env={**os.environ, TOKEN_ENV: TOKEN, **(env or {})},
        timeout=120,
    )


def revealed(config: Path, output: str) -> list[str]:
    """The warehouse's absolute path or the account's home, where `output` shows them."""
    secrets = [str((config.parent / "warehouse").resolve()), str(config.parent.resolve()), os.path.expanduser("~")]
    return [secret for secret in secrets if secret in output]


@pytest.mark.integration
def test_a_cross_join_that_would_run_for_hours_stops_at_its_timeout_with_one_line(published_company):
    config, _ = published_company
    result = endless(config, "--timeout", "2")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert "query stopped after 2 s" in result.stderr and "--timeout" in result.stderr


@pytest.mark.integration
def test_the_timeout_can_come_from_the_environment(published_company):
    config, _ = published_company
    result = endless(config, env={"C360_SQL_TIMEOUT": "1"})
    assert result.returncode != 0
    assert "query stopped after 1 s" in result.stderr, result.stderr


def files_open(pid: int) -> list[str]:
    found = []
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:  # the process has ended
        return found
    for fd in fds:
        try:
            found.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:  # closed meanwhile
            pass
    return found


@pytest.mark.integration
@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see when the query has started")
def test_ctrl_c_stops_a_running_query_with_one_line_and_leaves_no_temp_files(published_company, tmp_path):
    config, _ = published_company
    published = str((config.parent / "warehouse" / "published").resolve())
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "c360.cli", "sql", "--config", str(config), ENDLESS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, TOKEN_ENV: TOKEN, "TMPDIR": str(temp)},
    )
    try:
        # the event to wait for is the warehouse being open (the query is then on its way); the
        # bound only keeps a broken command from hanging the test
        give_up = time.monotonic() + 120
        while process.poll() is None and not any(f.startswith(published) for f in files_open(process.pid)):
            assert time.monotonic() < give_up, "c360 sql never opened the warehouse"
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=60)  # the query alone would run for hours
        except subprocess.TimeoutExpired:
            pytest.fail("c360 sql ignored Ctrl-C")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130
    assert err.strip().splitlines() == ["c360: query stopped (Ctrl-C)"], err
    assert list(temp.iterdir()) == [], "the private temp folder is removed"


@pytest.mark.integration
@pytest.mark.parametrize(
    "statement",
    [
        "select * from duckdb_settings()",
        "SELECT name, value FROM DuckDB_Settings ( ) WHERE value LIKE '%/%'",
        'select * from "duckdb_settings"()',
        "select * from system . main . duckdb_settings/**/()",
        "select current_setting('temp_directory')",
        "select Current_Setting('home_directory')",
        "select current_setting('allowed_paths')",
        "select path from duckdb_databases()",
        "select * from duckdb_databases",
        "pragma database_list",
        "select * from pragma_database_list",
        "select * from pg_catalog.pg_settings",
        "select * from duckdb_extensions()",
        "select * from duckdb_secrets()",
        "select * from duckdb_temporary_files()",
        "select * from query('select * from duck' || 'db_settings()')",
        "select * from histogram_values('duckdb_' || 'databases', path)",
        "select 1; select * from duckdb_settings()",
    ],
)
def test_no_setting_database_list_or_error_reveals_the_warehouse_path_or_home(published_company, statement):
    config, _ = published_company
    result = c360("sql", "--config", str(config), statement, check=False)
    assert revealed(config, result.stdout + result.stderr) == []
    assert result.returncode != 0, f"{statement!r} was allowed"
    assert result.stderr.startswith("c360: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.integration
def test_memory_limit_is_the_configured_one(published_company):
    config, _ = published_company
    asked = "select memory_limit from pragma_database_size()"
    given = c360("sql", "--config", str(config), "--csv", "--memory-limit", "512MiB", asked).stdout
    assert given.splitlines()[1] == "512.0 MiB"
    from_env = c360("sql", "--config", str(config), "--csv", asked, env={"C360_SQL_MEMORY_LIMIT": "300MiB"}).stdout
    assert from_env.splitlines()[1] == "300.0 MiB"


@pytest.mark.integration
def test_by_default_memory_is_a_quarter_of_the_machine_at_most_4_gib(published_company):
    config, _ = published_company
    shown = c360("sql", "--config", str(config), "--csv", "select memory_limit from pragma_database_size()").stdout
    value, unit = shown.splitlines()[1].split()
    gib = float(value) * {"MiB": 2**-10, "GiB": 1}[unit]
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    assert gib <= 4.0 and gib <= ram / 4 + 0.1


@pytest.mark.integration
def test_a_query_that_spills_leaves_nothing_in_published_nor_in_the_temp_folder(published_company, tmp_path):
    config, _ = published_company
    published = config.parent / "warehouse" / "published"
    before = sorted(p.name for p in published.iterdir())
    temp = tmp_path / "tmp"
    temp.mkdir()
    sorted_hashes = "select count(*) as n from (select hash(range) as h from range(3000000) order by h)"
    result = c360(
        "sql", "--config", str(config), "--memory-limit", "48MiB", "--threads", "1", "--csv", sorted_hashes,
        env={"TMPDIR": str(temp)},
    )  # fmt: skip
    assert result.stdout.splitlines() == ["n", "3000000"]
    assert sorted(p.name for p in published.iterdir()) == before
    assert list(temp.iterdir()) == []


@pytest.mark.integration
@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/c360-analyst-copied.csv'",
        "attach '/tmp/c360-analyst-attached.duckdb' as other",
        "set memory_limit = '64GB'",
        "create table marts.mine as select 1",
    ],
)
def test_the_query_still_can_neither_touch_files_nor_change_anything(published_company, statement):
    config, _ = published_company
    result = c360("sql", "--config", str(config), statement, check=False)
    assert result.returncode != 0, f"{statement!r} was allowed"
    assert not Path("/tmp/c360-analyst-copied.csv").exists() and not Path("/tmp/c360-analyst-attached.duckdb").exists()
    assert revealed(config, result.stderr) == []


@pytest.mark.integration
def test_an_ordinary_query_prints_its_rows(published_company):
    config, _ = published_company
    touchpoints = "select count(*) as n from marts.fct_touchpoints where summary not ilike '%query (%'"
    assert c360("sql", "--config", str(config), "--csv", touchpoints).stdout.splitlines()[0] == "n"
    assert "│" in c360("sql", "--config", str(config), "select 1 as query").stdout


# The rules themselves, without a night: a publish of one small table is enough.


@pytest.fixture
def small_publish(tmp_path, monkeypatch) -> tuple[WarehousePaths, Path]:
    """A warehouse with one publish, and the folder Python's tempfile uses while the test runs."""
    paths = WarehousePaths(tmp_path / "warehouse")
    paths.published_dir.mkdir(parents=True)
    file = paths.published_file("test")
    con = duckdb.connect(str(file))
    con.execute("create schema marts; create table marts.fct_touchpoints as select range as n from range(1000)")
    con.close()
    paths.current.symlink_to(file.name)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return paths, temp


@pytest.mark.parametrize(
    "statement",
    [
        "select * from duckdb_settings()",
        "SELECT * FROM DUCKDB_SETTINGS()",
        "select * from DuckDB_Settings\n\t(\n)",
        'select * from "duckdb_settings"()',
        'select * from "DuckDB_Settings"()',
        "select * from system.main.duckdb_settings()",
        "select * from duckdb_settings/* a comment */()",
        "select * from duckdb_settings\u200b()",
        "select current_setting('temp_directory')",
        "select pg_catalog.current_setting('home_directory')",
        "select path from duckdb_databases()",
        "select * from duckdb_databases",
        "PRAGMA database_list",
        "select * from pragma_database_list",
        "select * from pg_catalog.pg_settings",
        "select * from duckdb_profiling_settings()",
        "select * from duckdb_extensions()",
        "select * from duckdb_temporary_files()",
        "select * from query('select 1')",
        "select * from QUERY ('select 1')",
        "select * from \"query\"/**/('select 1')",
        "select * from query_table('marts.fct_touchpoints')",
        "select * from histogram_values('marts.fct_touchpoints', n)",
        "select * from json_execute_serialized_sql(json_serialize_sql('select 1'))",
        "select 1; select * from duckdb_settings()",
        "create temp macro settings() as table select * from duckdb_settings()",
        "select 'duckdb_databases' as name",
    ],
)
def test_a_query_naming_what_shows_paths_or_runs_text_is_refused(statement):
    assert analyst_sql.refusal(statement) is not None


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) as query from marts.fct_touchpoints",
        "select summary from marts.fct_touchpoints where summary ilike '%query (billing)%'",
        "-- not duckdb_settings() but a comment\nselect 1",
        "select customer_id, current_date from marts.customer_360",
        "select * from marts.dim_customer where display_name = 'Query Ltd'",
    ],
)
def test_an_ordinary_query_is_not_refused(statement):
    assert analyst_sql.refusal(statement) is None


def test_limits_come_from_the_options_else_the_environment_else_the_defaults():
    defaults = analyst_sql.limits(environ={})
    assert defaults.timeout_s == 300
    assert defaults.memory_limit == analyst_sql.default_memory_limit()
    assert 1 <= defaults.threads <= 4
    environment = {"C360_SQL_TIMEOUT": "60", "C360_SQL_MEMORY_LIMIT": "1GB", "C360_SQL_THREADS": "2"}
    assert analyst_sql.limits(environ=environment) == analyst_sql.Limits(60, "1GB", 2)
    assert analyst_sql.limits(5, "512MiB", 1, environ=environment) == analyst_sql.Limits(5, "512MiB", 1)
    assert analyst_sql.limits(0, environ={}).timeout_s is None, "0 is no timeout"


def test_the_default_memory_is_a_quarter_of_the_machine_and_at_most_4_gib():
    assert analyst_sql.default_memory_limit(8 * 2**30) == "2048MiB"
    assert analyst_sql.default_memory_limit(64 * 2**30) == "4096MiB"


@pytest.mark.parametrize(
    ("options", "environ", "named"),
    [
        ({"timeout": -1}, {}, "timeout"),
        ({}, {"C360_SQL_TIMEOUT": "five minutes"}, "C360_SQL_TIMEOUT"),
        ({"memory_limit": "lots"}, {}, "memory limit"),
        ({}, {"C360_SQL_MEMORY_LIMIT": "80%"}, "memory limit"),
        ({"threads": 0}, {}, "threads"),
        ({}, {"C360_SQL_THREADS": "many"}, "C360_SQL_THREADS"),
    ],
)
def test_a_bad_limit_is_one_line_naming_it(options, environ, named):
    with pytest.raises(analyst_sql.AnalystQueryError, match=named) as error:
        analyst_sql.limits(**options, environ=environ)
    assert "\n" not in str(error.value)


def test_the_connection_spills_to_a_private_folder_outside_published_within_its_memory_limit(small_publish):
    paths, temp = small_publish
    folder = analyst_sql.private_temp_dir(paths.root)
    assert folder.parent == temp and stat.S_IMODE(folder.stat().st_mode) == 0o700
    con = analyst_sql.connect(paths.current.resolve(), analyst_sql.Limits(None, "256MiB", 1), folder)
    try:
        setting = dict(con.execute("select name, value from duckdb_settings()").fetchall())
    finally:
        con.close()
    assert setting["memory_limit"] == "256.0 MiB" and setting["threads"] == "1"
    assert Path(setting["temp_directory"]).parent == folder
    assert setting["lock_configuration"] == "true" and setting["enable_external_access"] == "false"
    home = os.path.expanduser("~")
    # only the allowed paths name the publish; a query can reach no setting (test above)
    shown = {name: value for name, value in setting.items() if name not in ("allowed_paths",)}
    assert [name for name, value in shown.items() if str(paths.root) in str(value) or home in str(value)] == []


def test_a_query_past_its_timeout_is_stopped_and_its_temp_folder_removed(small_publish):
    paths, temp = small_publish
    with pytest.raises(analyst_sql.QueryStopped, match=r"query stopped after 0.5 s; raise --timeout") as error:
        analyst_sql.run(paths, ENDLESS, analyst_sql.Limits(0.5, "256MiB", 1), lambda relation: relation.fetchall())
    assert error.value.exit_code != 0
    assert list(temp.iterdir()) == []


def test_a_query_gives_its_rows_and_an_error_names_no_path(small_publish):
    paths, temp = small_publish
    rows = []
    analyst_sql.run(paths, "select count(*) from marts.fct_touchpoints", analyst_sql.Limits(None, "256MiB", 1),
                    lambda relation: rows.extend(relation.fetchall()))  # fmt: skip
    assert rows == [(1000,)]
    with pytest.raises(analyst_sql.AnalystQueryError) as error:
        analyst_sql.run(paths, "select * from read_csv('~/x.csv')", analyst_sql.Limits(None, "256MiB", 1), print)
    assert "disabled" in str(error.value) and os.path.expanduser("~") not in str(error.value)
    assert list(temp.iterdir()) == []


def test_no_function_the_check_lets_through_shows_a_path(small_publish):
    """Every table function, and every function taking no argument, that the check lets through
    shows neither the warehouse's path nor the home folder, in its rows or its error: a function
    a newer DuckDB adds that does fails here."""
    paths, _ = small_publish
    folder = analyst_sql.private_temp_dir(paths.root)
    con = analyst_sql.connect(paths.current.resolve(), analyst_sql.Limits(None, "256MiB", 1), folder)
    secrets = [str(paths.root), str(paths.root.resolve()), os.path.expanduser("~")]
    try:
        functions = con.execute(
            "select distinct function_name, function_type from duckdb_functions() "
            "where function_type in ('table', 'table_macro') "
            "or (function_type in ('scalar', 'macro') and len(parameters) = 0)"
        ).fetchall()
        shown = {}
        for name, kind in functions:
            statement = f'select * from "{name}"()' if kind.startswith("table") else f'select "{name}"()'
            if analyst_sql.refusal(statement):
                continue
            try:
                shown[statement] = str(con.execute(statement).fetchall())
            except duckdb.Error as e:
                shown[statement] = analyst_sql.scrub(str(e), paths)
    finally:
        con.close()
    assert len(shown) > 100
    assert {statement: text for statement, text in shown.items() if any(s in text for s in secrets)} == {}
