"""A run killed outright (SIGKILL: no cleanup, no finally) during a load, during the dbt build
or during publish leaves the last publish intact, and the next run publishes exactly what an
uninterrupted run does (table for table, by checksum)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest

from c360.config import load_config
from c360.warehouse import WarehousePaths, current_file, verify_publish
from tests.conftest import SESSION_AS_OF, c360, config_variant, kill_run_at, published_checksums, start_run

# each kill point reruns a whole night (about 4 minutes in all on a fresh clone): make test-slow
pytestmark = [pytest.mark.integration, pytest.mark.slow]

# "now" pinned for every run here, and to the real now: later tests of the shared company
# compare its publish with what its systems hold today
AS_OF = SESSION_AS_OF
ENV = {"C360_AS_OF": AS_OF}

# where to kill: a line of the run's log that shows it is inside that step
KILL_POINTS = {
    "during a load": "load_sales - sales: ",  # its first table is in, the others are coming
    "during the dbt build": "c360_dbt_marts - Running dbt command",
    "during publish": "published_warehouse - publishing: recording",
}


@dataclass
class UninterruptedRun:
    checksums: dict
    output: str  # from the marker line on
    second_run: subprocess.CompletedProcess  # started on the same warehouse while this one loaded


@pytest.fixture(scope="module")
def uninterrupted(published_company) -> UninterruptedRun:
    """One run left to finish; while it loads, a second run is started on the same warehouse."""
    config, _ = published_company
    first = start_run(config, ENV)
    for line in first.stdout:
        if KILL_POINTS["during a load"] in line:
            break
    second = c360("run", "--config", str(config), env=ENV, check=False)
    rest = first.stdout.read()
    assert first.wait(timeout=600) == 0, rest
    return UninterruptedRun(published_checksums(config), rest, second)


def test_a_second_run_started_while_one_runs_refuses_and_the_first_publishes(published_company, uninterrupted):
    config, _ = published_company
    assert uninterrupted.second_run.returncode == 2
    message = uninterrupted.second_run.stderr
    assert "another c360 run is in progress" in message and "wait for it to finish" in message, message
    assert verify_publish(current_file(WarehousePaths(load_config(config).warehouse_dir))) == []


def test_the_same_night_loaded_again_adds_no_row(uninterrupted):
    """The session's first run loaded these systems; this run of the same night finds nothing new."""
    for source in ("sales", "service", "logistics", "call_center"):
        assert re.search(rf"loaded {source}\s+0 rows, 0 quarantined", uninterrupted.output), source


@pytest.mark.parametrize("moment", list(KILL_POINTS))
def test_a_run_killed_then_rerun_publishes_what_an_uninterrupted_run_does(published_company, uninterrupted, moment):
    config, _ = published_company
    paths = WarehousePaths(load_config(config).warehouse_dir)
    before = current_file(paths)
    kill_run_at(config, KILL_POINTS[moment], ENV)
    assert current_file(paths) == before, "a killed run switches nothing"
    assert verify_publish(before) == [], "and the publish readers see is intact"
    c360("run", "--config", str(config), env=ENV)  # the lock of the killed run died with it
    assert published_checksums(config) == uninterrupted.checksums


@pytest.fixture
def small_disk(tmp_path):
    """A 256 MB tmpfs, unmounted afterwards; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_a_run_that_fills_the_disk_fails_loudly_keeps_the_publish_and_a_rerun_recovers(
    published_company, uninterrupted, small_disk
):
    import shutil

    config, _ = published_company
    # the company's warehouse, moved onto the small disk
    warehouse = small_disk / "warehouse"
    shutil.copytree(load_config(config).warehouse_dir, warehouse, symlinks=True)
    settings = load_config(config)
    on_small_disk = config_variant(
        config, "c360-small-disk.yml", warehouse={"dir": str(warehouse), "keep_publishes": settings.keep_publishes}
    )
    paths = WarehousePaths(warehouse)
    before = current_file(paths)

    free = shutil.disk_usage(small_disk).free
    ballast = small_disk / "ballast"
    with open(ballast, "wb") as f:  # leave 2 MB: the run's first writes fill it
        left = free - 2 * 1024 * 1024
        while left > 0:
            left -= f.write(b"\0" * min(left, 16 * 1024 * 1024))
    full = c360("run", "--config", str(on_small_disk), env=ENV, check=False)
    assert full.returncode == 1, full.stdout[-2000:]
    assert "No space left on device" in full.stdout, "the summary names the cause and the file"
    assert "nothing (the previous publish stays current)" in full.stdout
    assert current_file(paths) == before and verify_publish(before) == []

    ballast.unlink()  # space freed
    c360("run", "--config", str(on_small_disk), env=ENV)
    assert current_file(paths) != before
    assert published_checksums(on_small_disk) == uninterrupted.checksums
