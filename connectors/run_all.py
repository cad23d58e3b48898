"""The load plan of each configured source (the Dagster assets run them through dagster-dlt)."""

from __future__ import annotations

import os

from c360.config import Config
from c360.warehouse import WarehousePaths
from connectors.call_center import asterisk
from connectors.dlt_runs import LoadPlan, run_plan
from connectors.loader import LoadReport
from connectors.logistics import drops
from connectors.sales import crm
from connectors.service import api


def plan_source(name: str, config: Config, con, log=print) -> LoadPlan:
    src = config.source(name)
    region = config.phone_region
    paths = WarehousePaths(config.warehouse_dir)
    if name == "sales":
        return crm.plan(con, config.sales_url, src["tables"], region, paths.work_db, paths.dlt_state_dir, log)
    if name == "service":
        return api.plan(
            con,
            src["base_url"],
            os.environ.get(src["token_env"]),
            src["token_env"],
            src.get("start_date"),
            region,
            paths.work_db,
            paths.dlt_state_dir,
            log,
            retry_seconds=config.service_retry_seconds,
        )
    if name == "logistics":
        return drops.plan(
            con,
            config.resolve(src["landing_dir"]),
            src.get("encoding", "utf-8"),
            region,
            paths.work_db,
            paths.dlt_state_dir,
            log,
        )
    if name == "call_center":
        return asterisk.plan(
            con,
            config.resolve(src["landing_dir"]),
            src["pbx_time_zone"],
            src.get("encoding", "utf-8"),
            region,
            paths.work_db,
            paths.dlt_state_dir,
            log,
        )
    raise ValueError(f"unknown source {name!r}")


def load_source(name: str, config: Config, con, log=print) -> LoadReport:
    """Plan and run one source's load with dlt directly (without Dagster)."""
    return run_plan(plan_source(name, config, con, log))
