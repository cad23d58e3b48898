"""Personal data stays private on disk: everything a night writes under the warehouse is
readable by its own account only (0600 files, 0700 folders), except the analyst file and its
folder; the contacts file and its temporary files are private from the moment they exist; and
whatever a killed night left behind, the next one removes."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from c360.config import load_config
from c360.warehouse import CURRENT, WarehousePaths, contacts_of, current_file
from tests.conftest import c360, config_variant, kill_run_at

pytestmark = pytest.mark.integration

ANALYST_FOLDER = 0o755
ANALYST_FILE = 0o444
CONTACTS_FILE = 0o400
TEMPORARY = (".partial", ".partial.wal", ".partial.tmp")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def is_temporary(path: Path) -> bool:
    return path.name.endswith(TEMPORARY) or path.name.startswith(f".{CURRENT}.")


def is_analyst_file(path: Path, paths: WarehousePaths) -> bool:
    return (
        path.parent == paths.published_dir
        and path.name.startswith("c360-")
        and path.suffix == ".duckdb"
        and (not path.name.endswith(".contacts.duckdb"))
    )


def exposed(root: Path) -> list[str]:
    """Every path under the warehouse `root` another account could read or change, beyond the
    analyst files and their folder (which must be exactly as readable as they should)."""
    paths = WarehousePaths(root)
    found = []
    if mode(root) & 0o066:
        found.append(f"{root}: {mode(root):o}")
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            if path.is_symlink():
                continue  # a link's own mode means nothing; its target is checked
            if path.is_relative_to(root / "docs"):
                continue  # `c360 docs` writes the schema's documentation there, not a night
            if path == paths.published_dir:
                expected_exactly = ANALYST_FOLDER
            elif is_analyst_file(path, paths):
                expected_exactly = ANALYST_FILE
            elif path.parent == paths.published_dir and path.name.endswith(".contacts.duckdb"):
                expected_exactly = CONTACTS_FILE
            else:
                if mode(path) & 0o077:
                    found.append(f"{path}: {mode(path):o}")
                continue
            if mode(path) != expected_exactly:
                found.append(f"{path}: {mode(path):o}, not {expected_exactly:o}")
    return found


def temporaries(root: Path) -> list[str]:
    return [str(p) for p in WarehousePaths(root).published_dir.iterdir() if is_temporary(p)]


def test_after_a_night_only_the_analyst_file_and_its_folder_are_readable_by_others(published_company):
    config, _ = published_company
    root = load_config(config).warehouse_dir
    assert (root / "work" / "c360.duckdb").exists()
    assert exposed(root) == []
    assert temporaries(root) == []


@contextmanager
def umask(value: int):
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def work_copy(published_company, tmp_path) -> WarehousePaths:
    """A warehouse holding a copy of the company's working database and nothing published."""
    config, _ = published_company
    source = WarehousePaths(load_config(config).warehouse_dir)
    paths = WarehousePaths(tmp_path / "warehouse")
    paths.work_db.parent.mkdir(parents=True)
    shutil.copyfile(source.work_db, paths.work_db)
    return paths


class WatchedConnection:
    """A working-database connection that calls `before(sql)` ahead of every statement."""

    def __init__(self, con, before):
        self._con, self._before = con, before

    def execute(self, sql, *args, **kwargs):
        self._before(sql)
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_the_files_a_publish_writes_are_private_while_they_are_written(work_copy):
    """Even in a process whose umask lets everyone read what it creates (a Dagster daemon's)."""
    from c360.warehouse import connect_work, publish

    seen: dict[str, int] = {}

    def look(sql: str) -> None:
        if work_copy.published_dir.exists():
            for path in work_copy.published_dir.iterdir():
                if not path.is_symlink() and not is_analyst_file(path, work_copy):
                    seen[f"{path.name} at {sql.split(' as ')[0][:60]!r}"] = mode(path)

    with umask(0o022):
        con = connect_work(work_copy)
        try:
            target, _ = publish(WatchedConnection(con, look), work_copy, "run-a", {}, b"k" * 32)
        finally:
            con.close()
    assert any("contacts.duckdb.partial" in name for name in seen), seen
    assert {name: f"{m:o}" for name, m in seen.items() if m & 0o077} == {}
    assert mode(work_copy.published_dir) == ANALYST_FOLDER
    assert mode(target) == ANALYST_FILE and mode(contacts_of(target)) == CONTACTS_FILE
    assert temporaries(work_copy.root) == []


def a_dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_publish_removes_every_temporary_file_a_killed_one_left(work_copy):
    from c360.warehouse import connect_work, publish

    published = work_copy.published_dir
    published.mkdir(parents=True)
    left = [
        published / "c360-killed.duckdb.partial",
        published / "c360-killed.duckdb.partial.wal",
        published / "c360-killed.contacts.duckdb.partial",
        published / "c360-killed.contacts.duckdb.partial.wal",
    ]
    for path in left:
        path.write_bytes(b"someone@example.com")
        os.chmod(path, 0o644)  # as an older version created them
    os.symlink("c360-killed.duckdb.partial", published / f".{CURRENT}.{a_dead_pid()}")
    con = connect_work(work_copy)
    try:
        publish(con, work_copy, "run-b", {}, b"k" * 32)
    finally:
        con.close()
    assert temporaries(work_copy.root) == []
    assert sorted(p.name for p in published.iterdir()) == sorted(
        ["c360-run-b.duckdb", "c360-run-b.contacts.duckdb", CURRENT]
    )


def test_a_warehouse_an_older_version_wrote_is_made_private(tmp_path):
    from c360.warehouse import make_private

    root = tmp_path / "warehouse"
    paths = WarehousePaths(root)
    for folder in (paths.dlt_state_dir / "c360_x" / "load", root / "dbt_target", paths.published_dir):
        folder.mkdir(parents=True)
    files = [paths.work_db, paths.dlt_state_dir / "c360_x" / "load" / "a.parquet", root / "dbt_target" / "dbt.log"]
    files += [root / "run_history.jsonl", paths.published_dir / "c360-old.duckdb"]
    files += [paths.published_dir / "c360-old.contacts.duckdb"]
    for path in files:
        path.write_text("x")
        os.chmod(path, 0o644)
    os.chmod(paths.published_file("old"), 0o444)
    os.chmod(contacts_of(paths.published_file("old")), 0o400)
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        os.chmod(folder, 0o755)
    make_private(paths)
    assert exposed(root) == []


# ------------------------------------------------------------------ killed nights (slow)

# where a night is killed: a line of its console that shows it is inside that step
KILL_POINTS = {
    "during a load": "load_sales - sales: ",
    "during the dbt build": "c360_dbt_marts - Running dbt command",
    "during identity resolution": "resolved_records - identity: ",
    "as publish begins": "published_warehouse - publishing: recording",
}
# where a publish is killed: before the second table of that file (the first one is written)
PUBLISH_KILL_POINTS = {
    "while the analyst file is written": "create table published.",
    "while the contacts file is written": "create table contacts.",
}


KILLING_PUBLISH = textwrap.dedent(
    """
    import os, signal, sys
    from c360.config import load_config
    from c360.privacy import pseudonym_key
    from c360.warehouse import WarehousePaths, connect_work, publish

    config = load_config(sys.argv[1])
    paths = WarehousePaths(config.warehouse_dir)
    seen = []

    class Killing:
        def __init__(self, con):
            self._con = con

        def execute(self, sql, *args, **kwargs):
            if sql.startswith(sys.argv[2]):
                seen.append(sql)
                if len(seen) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
            return self._con.execute(sql, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._con, name)

    publish(Killing(connect_work(paths)), paths, "killed", {}, pseudonym_key(config.warehouse_dir))
    """
)


def kill_publish_at(config: Path, statement: str) -> None:
    process = subprocess.run(
        [sys.executable, "-c", KILLING_PUBLISH, str(config), statement], capture_output=True, text=True, timeout=300
    )
    assert process.returncode == -signal.SIGKILL, process.stderr[-3000:]


@pytest.fixture
def older_warehouse(published_company, tmp_path) -> Path:
    """A copy of the company's warehouse as an older version left it (readable by everyone but
    the published files); returns its config."""
    config, _ = published_company
    settings = load_config(config)
    root = tmp_path / "warehouse"
    shutil.copytree(settings.warehouse_dir, root, symlinks=True)
    paths = WarehousePaths(root)
    for path in [root, *root.rglob("*")]:
        if path.is_symlink() or path.parent == paths.published_dir:
            continue
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return config_variant(config, f"c360-{tmp_path.name}.yml", warehouse={"dir": str(root), "keep_publishes": 3})


@pytest.mark.slow
@pytest.mark.parametrize("moment", [*KILL_POINTS, *PUBLISH_KILL_POINTS])
def test_after_a_night_killed_at_any_step_the_next_leaves_no_temporary_file_and_nothing_exposed(
    older_warehouse, moment
):
    root = load_config(older_warehouse).warehouse_dir
    before = current_file(WarehousePaths(root))
    if moment in KILL_POINTS:
        kill_run_at(older_warehouse, KILL_POINTS[moment])
        assert exposed(root) == [], "a killed night leaves nothing readable by others"
    else:
        kill_publish_at(older_warehouse, PUBLISH_KILL_POINTS[moment])
        left = [p for p in WarehousePaths(root).published_dir.iterdir() if is_temporary(p) and not p.is_symlink()]
        assert left, "the publish was killed while it wrote"
        assert {p.name: f"{mode(p):o}" for p in left if mode(p) & 0o077} == {}, "its files were private"
    assert current_file(WarehousePaths(root)) == before, "a killed night switches nothing"
    c360("run", "--config", str(older_warehouse))
    assert current_file(WarehousePaths(root)) != before
    assert temporaries(root) == []
    assert exposed(root) == []
