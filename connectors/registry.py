"""The source systems c360 loads, one declaration each (`connectors/<source>/source.py`):
its raw tables, the column that says how far a load reached (the publish's watermark), its
keys in the config file, and its `plan(context)`. The load assets, the publish, the night's
summary and the config check all loop over `source_systems()`; the contracts of its tables
are `data_quality/contracts/<source>.py`. A fifth source adds its package here, its contract
module and its dbt staging folder, and changes no existing file (README, "Adding a source
system")."""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import connectors
from c360.config import Config, SourceSettings, load_config
from c360.warehouse import WarehousePaths
from connectors.dlt_runs import LoadPlan, run_plan
from connectors.loader import LoadReport


@dataclass(frozen=True)
class PlanContext:
    """What a source's plan is given: the night's working-warehouse connection, the config and
    the source's own section of it, where dlt writes, and where progress goes."""

    con: object  # duckdb.DuckDBPyConnection
    config: Config
    section: dict
    work_db: Path
    state_dir: Path
    log: Callable[[str], None] = print

    @property
    def phone_region(self) -> str:
        return self.config.phone_region

    def env(self, name: str) -> str | None:
        return os.environ.get(name)


@dataclass(frozen=True)
class SourceSystem:
    name: str  # the config's key under `sources`, the raw schema's suffix (raw_<name>)
    tables: tuple[str, ...]  # the raw tables it writes (snake_case)
    watermark: tuple[str, str]  # (raw table, column) whose greatest value the publish records
    plan: Callable[[PlanContext], LoadPlan]
    settings: SourceSettings = field(default_factory=SourceSettings)


@cache
def source_systems() -> dict[str, SourceSystem]:
    """Every `connectors/<package>/source.py` with a SOURCE, by name, in package order."""
    systems: dict[str, SourceSystem] = {}
    for package in pkgutil.iter_modules(connectors.__path__):
        if not package.ispkg:
            continue
        try:
            module = importlib.import_module(f"connectors.{package.name}.source")
        except ModuleNotFoundError as e:
            if e.name != f"connectors.{package.name}.source":
                raise
            continue  # a package of shared parts, no source system
        systems[module.SOURCE.name] = module.SOURCE
    return systems


def load_night_config(explicit: str | os.PathLike | None = None) -> Config:
    """The config file, with each configured source's own section checked as its declaration
    says (keys, paths, encodings, time zones)."""
    return load_config(explicit, {name: s.settings for name, s in source_systems().items()})


def plan_source(name: str, config: Config, con, log=print) -> LoadPlan:
    paths = WarehousePaths(config.warehouse_dir)
    context = PlanContext(con, config, config.source(name), paths.work_db, paths.dlt_state_dir, log)
    return source_systems()[name].plan(context)


def load_source(name: str, config: Config, con, log=print) -> LoadReport:
    """Plan and run one source's load with dlt directly (without Dagster)."""
    return run_plan(plan_source(name, config, con, log))
