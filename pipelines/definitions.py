"""Dagster definitions: `dagster dev -m pipelines.definitions` shows the assets and lineage."""

import dagster as dg
from dagster_dlt import DagsterDltResource

from pipelines.assets.calendar import business_calendar
from pipelines.assets.identity import resolved_records
from pipelines.assets.publish import published_warehouse
from pipelines.assets.scoring import churn_scores
from pipelines.assets.sources import source_loads
from pipelines.dbt import c360_dbt_inputs, c360_dbt_marts, c360_dbt_scored, dbt_resource
from pipelines.resources import C360Config
from pipelines.schedule import nightly_job, nightly_schedule
from pipelines.sensors import notify_on_failure

defs = dg.Definitions(
    assets=[
        *source_loads,
        business_calendar,
        c360_dbt_inputs,
        resolved_records,
        c360_dbt_marts,
        churn_scores,
        c360_dbt_scored,
        published_warehouse,
    ],
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[notify_on_failure],
    resources={"c360": C360Config(), "dbt": dbt_resource(), "dlt_loader": DagsterDltResource()},
)
