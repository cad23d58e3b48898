"""The `nightly` job (everything, in one process: DuckDB has one writer) and its 02:00 schedule
in the company's time zone."""

import dagster as dg

from c360.config import ConfigError, load_config

nightly_job = dg.define_asset_job("nightly", selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor)


def _company_time_zone() -> str:
    try:
        return load_config().time_zone
    except ConfigError:
        return "UTC"  # no config yet: the schedule still loads; `c360 run` will name the problem


nightly_schedule = dg.ScheduleDefinition(
    name="nightly", job=nightly_job, cron_schedule="0 2 * * *", execution_timezone=_company_time_zone()
)
