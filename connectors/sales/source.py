"""The sales source system: the CRM database (Salesforce object model), read with SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

from c360.config import Config, ConfigError, SourceSettings
from connectors.dlt_runs import LoadPlan
from connectors.loader import snake_case
from connectors.registry import PlanContext, SourceSystem
from connectors.sales import crm

SQLITE = "sqlite:///"


def database_url(config: Config, section: dict) -> str:
    """The section's SQLAlchemy URL; a relative SQLite path is taken relative to the config file."""
    url = section["url"]
    if url.startswith(SQLITE) and not url.startswith(SQLITE + "/") and ":memory:" not in url:
        return SQLITE + str(config.resolve(url[len(SQLITE) :]))
    return url


def _check(config: Config, section: dict, where: str) -> None:
    url = database_url(config, section)
    if url.startswith(SQLITE) and ":memory:" not in url and not Path(url[len(SQLITE) :]).is_file():
        raise ConfigError(f"{config.path}: '{where}.url' names a SQLite file that does not exist: {url[len(SQLITE) :]}")


def plan(context: PlanContext) -> LoadPlan:
    return crm.plan(
        context.con,
        database_url(context.config, context.section),
        context.section["tables"],
        context.phone_region,
        context.work_db,
        context.state_dir,
        context.log,
    )


SOURCE = SourceSystem(
    name="sales",
    tables=tuple(snake_case(t) for t in crm.TABLES),
    watermark=("order", "system_modstamp"),
    plan=plan,
    settings=SourceSettings({"url": (True, str), "tables": (True, list)}, _check),
)
