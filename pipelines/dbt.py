"""The dbt project as Dagster assets (dagster-dbt), built against the working warehouse."""

import os
import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject, dbt_assets
from dbt.cli.main import dbtRunner

from c360.config import Config
from pipelines.dbt_in_process import build
from pipelines.resources import C360Config

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """dbt from this environment, found even when the venv is not activated."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def dbt_vars(config: Config) -> dict:
    """What the SQL needs from the config file."""
    fields = (config.source("service") or {}).get("custom_fields") or {}
    # not the night's moment: vars that change every night make dbt parse the whole project again
    # (partial parsing is lost); the as_of() macro reads $C360_AS_OF, which the night pins
    values = {"company_time_zone": config.time_zone}
    segments = config.raw.get("segments") or {}
    if "value_tier_shares" in segments:
        values["value_tier_shares"] = segments["value_tier_shares"]
        values["value_tier_names"] = segments.get(
            "value_tier_names",
            ["platinum", "gold", "silver", "bronze", "standard"][: len(segments["value_tier_shares"]) + 1],
        )
    elif "value_tier_names" in segments:
        values["value_tier_names"] = segments["value_tier_names"]
    for key, value in config.service_levels.items():
        values[key] = value
    survivorship = (config.raw.get("identity") or {}).get("survivorship")
    if survivorship:
        values["survivorship"] = survivorship
    if "order_number" in fields:
        values["order_number_field_id"] = fields["order_number"]
    if "category" in fields:
        values["category_field_id"] = fields["category"]
    return values


def ensure_manifest() -> Path:
    """dagster-dbt needs target/manifest.json before definitions load; `dbt parse` writes it
    when it is missing or older than any file of the project."""
    manifest = dbt_project.manifest_path
    newest = max(
        p.stat().st_mtime
        for p in DBT_PROJECT_DIR.rglob("*")
        if p.suffix in {".sql", ".yml"} and "target" not in p.parts
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return manifest
    os.environ.setdefault("C360_WORK_DB", ":memory:")  # parse renders the profile, connects nowhere
    result = dbtRunner().invoke(
        ["parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return manifest


ensure_manifest()


def _build(context: dg.AssetExecutionContext, c360: C360Config):
    config = c360.load()
    os.environ["C360_WORK_DB"] = str(c360.paths().work_db)
    os.environ["C360_MEMORY_LIMIT"] = config.memory_limit
    os.environ["C360_BUILD_THREADS"] = str(config.build_threads)
    # One target folder per warehouse (runs on it are one at a time): dbt parses the project once
    # there and the next nights reuse that parse (partial parsing is lost when the vars change)
    target = config.warehouse_dir / "dbt_target"
    # unit tests check the SQL, not the night's data: they run in CI (tests/test_dbt_unit_tests.py),
    # as dbt advises, and not every night (they cost a small company's night a fifth of its time)
    args = ["build", "--exclude-resource-type", "unit_test"]
    yield from build(context, DBT_PROJECT_DIR, target, args, dbt_vars(config))


# Python steps sit between three dbt builds: identity resolution (splink) reads the records
# the first prepares and writes the `identity` source the second reads; churn scoring reads
# those marts and writes the `scoring` source the third (customer_360 and what uses it) reads.
AFTER_IDENTITY = "source:identity+"
AFTER_SCORING = "source:scoring+"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=f"{AFTER_IDENTITY} {AFTER_SCORING}",
    name="c360_dbt_inputs",
)
def c360_dbt_inputs(context: dg.AssetExecutionContext, c360: C360Config):
    """Build and test the staging views and the records identity resolution compares."""
    yield from _build(context, c360)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=AFTER_IDENTITY,
    exclude=AFTER_SCORING,
    name="c360_dbt_marts",
)
def c360_dbt_marts(context: dg.AssetExecutionContext, c360: C360Config):
    """Build and test the marts (the analyst contract) on top of resolved identities."""
    yield from _build(context, c360)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, select=AFTER_SCORING, name="c360_dbt_scored")
def c360_dbt_scored(context: dg.AssetExecutionContext, c360: C360Config):
    """Build and test what shows the churn scores: customer_360, next best actions, segments."""
    yield from _build(context, c360)
