"""Running dbt on a copy of a night's working database, as the dbt tests of the test suite do:
the copy keeps the night's tables (dbt reads their column types), the profile's DuckDB output
is pointed at it, and dbt is invoked in this process with the night's variables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult

from c360.config import load_config
from pipelines.dbt import DBT_PROJECT_DIR, dbt_vars


def copy_of_the_night(config_file: Path, folder: Path, monkeypatch) -> Path:
    """A copy of the night's working database in `folder`, which the dbt profile then uses."""
    work_db = folder / "c360.duckdb"
    shutil.copyfile(load_config(config_file).warehouse_dir / "work" / "c360.duckdb", work_db)
    monkeypatch.setenv("C360_WORK_DB", str(work_db))  # the profile's DuckDB output names it
    return work_db


def dbt_test(config_file: Path, selection: str, target: Path) -> dbtRunnerResult:
    """`dbt test --select <selection>` with the config's variables, its files under `target`."""
    return dbtRunner().invoke(
        ["test", "--select", selection, "--project-dir", str(DBT_PROJECT_DIR)]
        + ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)]
        + ["--vars", json.dumps(dbt_vars(load_config(config_file)))]
    )
