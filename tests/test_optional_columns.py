"""A source column that a table may lack (an optional CRM field, or one a newer c360 loads that a
table loaded before it has not got) stands in as null instead of failing the build
(dbt_project/macros/optional_column.sql), on a copy of a night's working database."""

from __future__ import annotations

import json
import subprocess

import duckdb
import pytest

from c360.config import load_config
from pipelines.dbt import DBT_PROJECT_DIR, dbt_executable, dbt_vars
from tests.dbt_runs import copy_of_the_night

pytestmark = pytest.mark.integration


def test_a_cdr_table_loaded_before_c360_read_the_dialled_number_still_builds(published_company, tmp_path, monkeypatch):
    config_file, _ = published_company
    work_db = copy_of_the_night(config_file, tmp_path, monkeypatch)
    with duckdb.connect(str(work_db)) as con:
        con.execute("alter table raw_call_center.cdr drop column dst_e164")
        calls = con.execute("select count(*) from raw_call_center.cdr").fetchone()[0]
    # in a process of its own: dbt's DuckDB connection would stay open in this one
    result = subprocess.run(
        [dbt_executable(), "run", "--select", "stg_call_center__calls", "--project-dir", str(DBT_PROJECT_DIR)]
        + ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target")]
        + ["--vars", json.dumps(dbt_vars(load_config(config_file)))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(work_db), read_only=True) as con:
        directions = dict(
            con.execute("select direction, count(*) from staging.stg_call_center__calls group by 1").fetchall()
        )
    # without the number dialled no call can be told to be the company's: every one reads as inbound
    assert directions == {"inbound": directions.get("inbound")} and 0 < directions["inbound"] <= calls
