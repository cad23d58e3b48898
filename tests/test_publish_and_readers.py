"""Write, audit, publish: readers never see half a night, a long-lived reader moves to a new
publish by itself, and a rollback restores the previous publish exactly as it was published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest

from c360.config import load_config
from c360.privacy import pseudonym_key
from c360.warehouse import (
    WarehousePaths,
    connect_work,
    current_file,
    kept_publishes,
    open_published,
    publish,
    verify_publish,
)
from tests.conftest import TOKEN, TOKEN_ENV, c360

pytestmark = pytest.mark.integration


def one_consistent_read(paths: WarehousePaths) -> str:
    """Open the current publish as a reader does, and check that every mart holds the rows the
    publish recorded for it: the read sees one complete publish. Returns its run id."""
    con = open_published(paths)
    try:
        run_id, counts = con.execute(
            "select run_id, row_counts from ops.publish_log order by published_at desc limit 1"
        ).fetchall()[0]
        for table, rows in json.loads(counts).items():
            found = con.execute(f'select count(*) from marts."{table}"').fetchall()[0][0]
            assert found == rows, f"{table}: {found} rows, the publish of {run_id} recorded {rows}"
        return run_id
    finally:
        con.close()


@pytest.mark.slow  # two more nights of the small company (113 s on a fresh clone): make test-slow
def test_readers_see_whole_publishes_while_a_run_publishes_twice(monkeypatch, published_company):
    config, _ = published_company
    paths = WarehousePaths(load_config(config).warehouse_dir)
    first_run = one_consistent_read(paths)
    monkeypatch.setenv("C360_CONFIG", str(config))
    from dashboards import data

    errors: list[str] = []
    seen: dict[str, set] = {"short-lived": set(), "c360 sql": set(), "dashboard": set()}
    stop = threading.Event()

    def short_lived_readers():
        while not stop.is_set():
            try:
                seen["short-lived"].add(one_consistent_read(paths))
            except Exception as e:  # noqa: BLE001 - every failure is the finding
                errors.append(f"reader: {e!r}")
            time.sleep(0.02)  # busy, yet leaving the run a core of this two-core machine

    def sql_readers():
        query = "select run_id from ops.publish_log order by published_at desc limit 1"
        while not stop.is_set():
            result = subprocess.run(
                [sys.executable, "-m", "c360.cli", "sql", "--config", str(config), "--csv", query],
                capture_output=True,
                text=True,
                env={**os.environ, TOKEN_ENV: TOKEN},
            )
            if result.returncode != 0:
                errors.append(f"c360 sql: {result.stderr.strip()}")
            else:
                seen["c360 sql"].add(result.stdout.splitlines()[1])
            time.sleep(0.3)  # each `c360 sql` is a whole Python start: pace them

    def dashboard_reader():
        # the dashboard's cached connection: keyed to the publish, so it moves on by itself
        while not stop.is_set():
            try:
                version = data.publish_version()
                frame = data.query(version, "select run_id from ops.publish_log order by published_at desc limit 1")
                seen["dashboard"].add(frame["run_id"].iloc[0])
            except Exception as e:  # noqa: BLE001
                errors.append(f"dashboard: {e!r}")
            time.sleep(0.05)

    threads = [threading.Thread(target=f) for f in (short_lived_readers, sql_readers, dashboard_reader)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(2):
            c360("run", "--config", str(config))
    finally:
        time.sleep(1.5)  # let every reader read the last publish
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors[:5]
    last_run = one_consistent_read(paths)
    assert last_run != first_run
    for reader, runs in seen.items():
        assert last_run in runs, f"the {reader} reader never saw the last publish ({runs})"
    assert len(seen["short-lived"]) >= 2, "readers read across the switch"
    version = data.publish_version()
    assert data.query(version, "select max(published_at) as at from ops.publish_log")["at"].iloc[0] is not None
    assert version == str(current_file(paths)), "the dashboard now reads the current publish"


def publish_the_working_database_again(config) -> None:
    """A second publish of the night's working database, as the night's last step makes it (a
    whole second night would cost make test about a minute for the same files)."""
    settings = load_config(config)
    paths = WarehousePaths(settings.warehouse_dir)
    con = connect_work(paths)
    try:
        publish(
            con, paths, f"republish-{uuid.uuid4()}", {}, pseudonym_key(settings.warehouse_dir), settings.keep_publishes
        )
    finally:
        con.close()


def test_rollback_restores_the_previous_publish_with_the_checksums_recorded_at_publish(published_company):
    config, _ = published_company
    paths = WarehousePaths(load_config(config).warehouse_dir)
    if len(kept_publishes(paths)) < 2:  # the run of readers during two publishes is in make test-slow
        publish_the_working_database_again(config)
    kept = kept_publishes(paths)
    assert len(kept) >= 2, "the previous publishes are kept"
    current = current_file(paths)
    assert verify_publish(current) == []

    result = c360("rollback", "--config", str(config))
    restored = current_file(paths)
    assert restored == kept[1] and restored != current
    assert "matches the checksums recorded when it was published" in result.stdout
    assert verify_publish(restored) == []
    assert one_consistent_read(paths)


def test_rollback_with_nothing_older_kept_says_so(tmp_path):
    paths = WarehousePaths(tmp_path)
    paths.published_dir.mkdir(parents=True)
    only = paths.published_dir / "c360-only.duckdb"
    import duckdb

    duckdb.connect(str(only)).close()
    os.symlink(only.name, paths.current)
    from c360.warehouse import NotPublishedError, rollback

    with pytest.raises(NotPublishedError, match="keep_publishes"):
        rollback(paths)


def test_the_marts_readers_look_up_by_key_are_published_stored_in_that_order(published_company):
    import duckdb

    from c360.warehouse import PUBLISHED_ORDER

    config, _ = published_company
    con = duckdb.connect(str(current_file(WarehousePaths(load_config(config).warehouse_dir))), read_only=True)
    try:
        for (schema, table), order in PUBLISHED_ORDER.items():
            rows, out_of_place = con.execute(
                f"""select count(*), count(*) filter (where rowid <> position) from (
                        select rowid, row_number() over (order by {order}, rowid) - 1 as position
                        from {schema}."{table}")"""
            ).fetchall()[0]
            assert rows > 0 and out_of_place == 0, (
                f"{schema}.{table}: {out_of_place} of {rows} rows out of {order} order"
            )
    finally:
        con.close()
