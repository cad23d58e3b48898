"""The call_center source system: the PBX's Asterisk CDR, queue_log and IVR survey files."""

from __future__ import annotations

from c360.config import Config, SourceSettings, check_zone
from connectors.call_center import asterisk
from connectors.dlt_runs import LoadPlan
from connectors.files import check_landing_section
from connectors.registry import PlanContext, SourceSystem


def _check(config: Config, section: dict, where: str) -> None:
    check_zone(section["pbx_time_zone"], f"{where}.pbx_time_zone", config.path)
    check_landing_section(config, section, where)


def plan(context: PlanContext) -> LoadPlan:
    return asterisk.plan(
        context.con,
        context.config.resolve(context.section["landing_dir"]),
        context.section["pbx_time_zone"],
        context.section.get("encoding", "utf-8"),
        context.phone_region,
        context.work_db,
        context.state_dir,
        context.log,
    )


SOURCE = SourceSystem(
    name="call_center",
    tables=tuple(asterisk.STREAMS),
    watermark=("cdr", "start_utc"),  # the UTC time the load computes: the PBX writes its local clock
    plan=plan,
    settings=SourceSettings(
        {"landing_dir": (True, str), "pbx_time_zone": (True, str), "encoding": (False, str)}, _check
    ),
)
