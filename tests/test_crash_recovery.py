"""A run killed outright (SIGKILL: no cleanup, no finally) during a load, during the dbt build
or during publish leaves the last publish intact, and the next run publishes exactly what an
uninterrupted run does (table for table, by checksum)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from c360.config import load_config
from c360.warehouse import WarehousePaths, current_file, table_checksums, verify_publish
from tests.conftest import TOKEN, TOKEN_ENV, c360

pytestmark = pytest.mark.integration

# "now" pinned for every run here, and to the real now: later tests of the shared company
# compare its publish with what its systems hold today
AS_OF = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
ENV = {"C360_AS_OF": AS_OF}

# where to kill: a line of the run's log that shows it is inside that step
KILL_POINTS = {
    "during a load": "load_sales - sales: ",  # its first table is in, the others are coming
    "during the dbt build": "c360_dbt_marts - Running dbt command",
    "during publish": "published_warehouse - publishing: recording",
}


def checksums(config) -> dict:
    import duckdb

    con = duckdb.connect(str(current_file(WarehousePaths(load_config(config).warehouse_dir))), read_only=True)
    try:
        return table_checksums(con)
    finally:
        con.close()


def kill_run_at(config, marker: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "c360.cli", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, TOKEN_ENV: TOKEN, **ENV},
        start_new_session=True,
    )
    try:
        for line in process.stdout:
            if marker in line:
                os.killpg(process.pid, signal.SIGKILL)
                break
        else:
            raise AssertionError(f"the run ended before {marker!r}")
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def uninterrupted(published_company):
    config, _ = published_company
    c360("run", "--config", str(config), env=ENV)
    return checksums(config)


@pytest.mark.parametrize("moment", list(KILL_POINTS))
def test_a_run_killed_then_rerun_publishes_what_an_uninterrupted_run_does(published_company, uninterrupted, moment):
    config, _ = published_company
    paths = WarehousePaths(load_config(config).warehouse_dir)
    before = current_file(paths)
    kill_run_at(config, KILL_POINTS[moment])
    assert current_file(paths) == before, "a killed run switches nothing"
    assert verify_publish(before) == [], "and the publish readers see is intact"
    c360("run", "--config", str(config), env=ENV)  # the lock of the killed run died with it
    assert checksums(config) == uninterrupted
