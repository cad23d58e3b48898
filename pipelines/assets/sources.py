"""One asset group per source system: each load writes the raw tables the dbt sources read,
under the same asset keys dagster-dbt gives those sources, so lineage runs end to end."""

import dagster as dg

from c360.warehouse import connect_work
from connectors.run_all import load_source
from pipelines.resources import C360Config

SOURCE_TABLES = {
    "sales": [
        "account",
        "contact",
        "lead",
        "opportunity",
        "opportunity_contact_role",
        "product2",
        "order",
        "order_item",
        "task",
        "user",
        "survey_response_c",
    ],
    "service": ["tickets", "users", "organizations", "ticket_events", "satisfaction_ratings"],
    "logistics": ["shipments", "packing_list", "tracking_events", "installations"],
    "call_center": ["cdr", "queue_log", "ivr_survey"],
}


def _load_asset(source: str):
    @dg.multi_asset(
        name=f"load_{source}",
        specs=[
            dg.AssetSpec([source, table], group_name="raw", kinds={"duckdb"}, description=f"raw_{source}.{table}")
            for table in SOURCE_TABLES[source]
        ],
        can_subset=False,
    )
    def _load(context: dg.AssetExecutionContext, c360: C360Config):
        config = c360.load()
        if config.source(source) is None:
            context.log.info(f"{source}: not configured, skipped")
            report_rows, quarantined = {}, {}
        else:
            con = connect_work(c360.paths())
            try:
                report = load_source(source, config, con, log=context.log.info)
            finally:
                con.close()
            report_rows, quarantined = report.rows, report.quarantined
        for table in SOURCE_TABLES[source]:
            yield dg.MaterializeResult(
                asset_key=[source, table],
                metadata={
                    "rows": dg.MetadataValue.int(report_rows.get(table, 0)),
                    "quarantined": dg.MetadataValue.int(quarantined.get(table, 0)),
                },
            )

    return _load


source_loads = [_load_asset(s) for s in SOURCE_TABLES]
