"""What one nightly run materialises, and with which resources: shared by the Dagster
definitions (daemon, `dagster dev`) and `c360 run` (in-process), so the two cannot drift."""

from dagster_dlt import DagsterDltResource

from pipelines.assets.calendar import business_calendar
from pipelines.assets.identity import resolved_records
from pipelines.assets.publish import published_warehouse
from pipelines.assets.scoring import churn_scores
from pipelines.assets.sources import source_loads
from pipelines.dbt import c360_dbt_inputs, c360_dbt_marts, c360_dbt_scored, dbt_resource
from pipelines.resources import C360Config

NIGHTLY_ASSETS = [
    *source_loads,
    business_calendar,
    c360_dbt_inputs,
    resolved_records,
    c360_dbt_marts,
    churn_scores,
    c360_dbt_scored,
    published_warehouse,
]


def nightly_resources(config_path: str | None = None) -> dict:
    """The resources the assets need; `config_path` names the config (default: $C360_CONFIG or ./c360.yml)."""
    return {
        "c360": C360Config(config_path=config_path or ""),
        "dbt": dbt_resource(),
        "dlt_loader": DagsterDltResource(),
    }
