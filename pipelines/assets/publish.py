"""Publish: after the loads and the dbt build (with its tests) succeeded, hand readers a
consistent read-only copy in one atomic step (c360.warehouse)."""

import dagster as dg

from c360.privacy import pseudonym_key
from c360.warehouse import publish
from connectors.registry import source_systems
from pipelines.dbt import c360_dbt_inputs, c360_dbt_marts, c360_dbt_scored
from pipelines.resources import C360Config


@dg.asset(deps=[c360_dbt_inputs, c360_dbt_marts, c360_dbt_scored], group_name="publish", kinds={"duckdb"})
def published_warehouse(context: dg.AssetExecutionContext, c360: C360Config) -> dg.MaterializeResult:
    """The read-only warehouse analysts and dashboards open (`published/current.duckdb`)."""
    config = c360.load()
    paths = c360.paths()
    context.log.info("publishing: recording row counts and checksums, writing the analyst and contacts files")
    con = c360.connect_work()
    try:
        watermarks = {}
        for system in source_systems().values():
            schema, (table, column) = f"raw_{system.name}", system.watermark
            try:
                watermarks[schema] = con.execute(f'select max("{column}") from {schema}."{table}"').fetchall()[0][0]
            except Exception:  # noqa: BLE001 - an unconfigured source has no table
                watermarks[schema] = None
        target, counts = publish(
            con,
            paths,
            context.run_id,
            watermarks,
            pseudonym_key(config.warehouse_dir),
            config.keep_publishes,
            config.contacts_owner,
            log=context.log.info,
        )
        con.execute("checkpoint")
    finally:
        con.close()
    context.log.info(f"published {target}")
    return dg.MaterializeResult(metadata={"path": str(target), **{f"rows.{k}": v for k, v in counts.items()}})
