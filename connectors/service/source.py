"""The service source system: the service desk's incremental export API (Zendesk-shaped)."""

from __future__ import annotations

from c360.config import Config, ConfigError, SourceSettings
from connectors.dlt_runs import LoadPlan
from connectors.registry import PlanContext, SourceSystem
from connectors.service import api


def retry_seconds(section: dict) -> float:
    """How long one request to the desk is retried while it cannot be reached or fails
    (connection errors, timeouts, 5xx) before the load fails (`retry_seconds`, default 15 s)."""
    return section.get("retry_seconds", api.RETRY_S)


def _check(config: Config, section: dict, where: str) -> None:
    seconds = retry_seconds(section)
    if isinstance(seconds, bool) or not seconds > 0:
        raise ConfigError(
            f"{config.path}: '{where}.retry_seconds' must be a number of seconds above 0, got {seconds!r}"
        )


def plan(context: PlanContext) -> LoadPlan:
    section = context.section
    return api.plan(
        context.con,
        section["base_url"],
        context.env(section["token_env"]),
        section["token_env"],
        section.get("start_date"),
        context.phone_region,
        context.work_db,
        context.state_dir,
        context.log,
        retry_seconds=retry_seconds(section),
    )


SOURCE = SourceSystem(
    name="service",
    tables=tuple(api.ENDPOINTS),
    watermark=("tickets", "updated_at"),
    plan=plan,
    settings=SourceSettings(
        {
            "base_url": (True, str),
            "token_env": (True, str),
            "start_date": (False, str),
            "custom_fields": (False, {"order_number": (False, int), "category": (False, int)}),
            "retry_seconds": (False, (int, float)),
        },
        _check,
    ),
)
