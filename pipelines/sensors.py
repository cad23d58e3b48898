"""Under Dagster's daemon: a failed run of the nightly job notifies (c360/notify.py)."""

import dagster as dg

from c360.notify import notify_failure
from pipelines.resources import C360Config
from pipelines.schedule import nightly_job


@dg.run_failure_sensor(monitored_jobs=[nightly_job], name="notify_on_failure")
def notify_on_failure(context: dg.RunFailureSensorContext, c360: C360Config) -> None:
    delivered = notify_failure(c360.load(), context.dagster_run.run_id, context.failure_event.message)
    context.log.info(f"failure of run {context.dagster_run.run_id} sent to: {', '.join(delivered)}")
