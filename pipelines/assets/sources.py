"""One dagster-dlt asset group per source system (connectors.registry). Each load writes the raw tables the dbt
sources read, under the same asset keys dagster-dlt's translator is told to give them
([source, table], as dagster-dbt names dbt sources), so lineage runs end to end."""

import tempfile
from pathlib import Path

import dagster as dg
import dlt
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from connectors.dlt_runs import cyclic_gc_paused, own_errors, pipeline_for
from connectors.registry import plan_source, source_systems
from pipelines.resources import C360Config

# Definitions are built before the config is read: these stand-ins only name the tables.
_DEFINITIONS_DIR = Path(tempfile.gettempdir()) / "c360-dagster-definitions"


class RawTableKeys(DagsterDltTranslator):
    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        source = data.pipeline.dataset_name.removeprefix("raw_")
        return (
            super()
            .get_asset_spec(data)
            .replace_attributes(
                key=dg.AssetKey([source, data.resource.table_name]),
                deps=[],
                group_name="raw",
                description=f"raw_{source}.{data.resource.table_name}",
            )
        )


def _tables_of(source: str):
    @dlt.source(name=f"{source}_tables")
    def tables():
        return [dlt.resource([], name=t, table_name=t) for t in source_systems()[source].tables]

    return tables()


def _load_asset(source: str):
    @dlt_assets(
        dlt_source=_tables_of(source),
        dlt_pipeline=pipeline_for(source, _DEFINITIONS_DIR / "unused.duckdb", _DEFINITIONS_DIR),
        name=f"load_{source}",
        dagster_dlt_translator=RawTableKeys(),
    )
    def _load(context: dg.AssetExecutionContext, dlt_loader: DagsterDltResource, c360: C360Config):
        config = c360.load()
        if config.source(source) is None:
            context.log.info(f"{source}: not configured, skipped")
            for key in context.selected_asset_keys:
                yield dg.MaterializeResult(
                    asset_key=key, metadata={"rows": 0, "quarantined": 0, "skipped": "not configured"}
                )
            return
        con = c360.connect_work()
        try:
            plan = plan_source(source, config, con, log=context.log.info)
            with own_errors(), cyclic_gc_paused():
                results = list(dlt_loader.run(context=context, dlt_source=plan.source, dlt_pipeline=plan.pipeline))
            report = plan.finish(*plan.written())
        finally:
            con.close()
        for result in results:
            table = result.asset_key.path[-1]
            yield dg.MaterializeResult(
                asset_key=result.asset_key,
                metadata={
                    **(result.metadata or {}),
                    "rows": dg.MetadataValue.int(report.rows.get(table, 0)),
                    "quarantined": dg.MetadataValue.int(report.quarantined.get(table, 0)),
                    # what the source holds but was not read, and why (a folder that is no date, ...)
                    "skipped": dg.MetadataValue.json(report.skipped),
                },
            )
        # A table this source does not deliver (a CRM object the config leaves out) is absent, not
        # failed: dbt stands in an empty table for it (macro source_or_empty) and the night goes on.
        loaded = {result.asset_key for result in results}
        for key in sorted(context.selected_asset_keys - loaded, key=lambda k: k.path):
            context.log.info(f"{source}: {key.path[-1]} is absent (not delivered by this source's config)")
            yield dg.MaterializeResult(asset_key=key, metadata={"rows": 0, "quarantined": 0, "absent": True})

    return _load


source_loads = [_load_asset(s) for s in source_systems()]
