"""Dagster definitions: `dagster dev -m pipelines.definitions` shows the assets and lineage."""

import dagster as dg

from pipelines.nightly import NIGHTLY_ASSETS, nightly_resources
from pipelines.schedule import nightly_job, nightly_schedule
from pipelines.sensors import notify_on_failure

defs = dg.Definitions(
    assets=NIGHTLY_ASSETS,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[notify_on_failure],
    resources=nightly_resources(),
)
