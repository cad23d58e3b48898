"""The logistics source system: day folders of CSV files dropped by the logistics system."""

from __future__ import annotations

from c360.config import Config, SourceSettings
from connectors.dlt_runs import LoadPlan
from connectors.files import check_landing_section
from connectors.logistics import drops
from connectors.registry import PlanContext, SourceSystem


def _check(config: Config, section: dict, where: str) -> None:
    check_landing_section(config, section, where)


def plan(context: PlanContext) -> LoadPlan:
    return drops.plan(
        context.con,
        context.config.resolve(context.section["landing_dir"]),
        context.section.get("encoding", "utf-8"),
        context.phone_region,
        context.work_db,
        context.state_dir,
        context.log,
    )


SOURCE = SourceSystem(
    name="logistics",
    tables=tuple(drops.FILES),
    watermark=("shipments", "updated_at"),
    plan=plan,
    settings=SourceSettings({"landing_dir": (True, str), "encoding": (False, str)}, _check),
)
