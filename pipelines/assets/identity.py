"""Identity resolution as an asset: after dbt prepared the records, before the marts."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from identity.resolve import IdentitySettings, resolve
from pipelines.dbt import c360_dbt_inputs
from pipelines.resources import C360Config

RECORDS = get_asset_key_for_model([c360_dbt_inputs], "int_identity__source_records")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["identity", table], deps=[RECORDS], group_name="identity", kinds={"python", "duckdb"})
        for table in ("resolved_records", "customer_id_history", "shared_identifiers")
    ]
)
def resolved_records(context: dg.AssetExecutionContext, c360: C360Config):
    """Every source record resolved to a stable customer_id and person_id (deterministic rules,
    then splink), with merges and splits recorded in identity.customer_id_history."""
    config = c360.load()
    con = c360.connect_work()
    try:
        summary = resolve(con, IdentitySettings.from_config(config.identity), context.run_id, context.log.info)
        con.execute("checkpoint")
    finally:
        con.close()
    for line in summary.lines():
        context.log.info(line)
    yield dg.MaterializeResult(
        asset_key=["identity", "customer_id_history"], metadata={"merges": summary.merges, "splits": summary.splits}
    )
    yield dg.MaterializeResult(
        asset_key=["identity", "shared_identifiers"], metadata={"shared_identifiers": summary.shared_identifiers}
    )
    yield dg.MaterializeResult(
        asset_key=["identity", "resolved_records"],
        metadata={
            "records": summary.records,
            "customers": summary.customers,
            "persons": summary.persons,
            "unidentified_customers": summary.unidentified_customers,
            "shared_identifiers": summary.shared_identifiers,
            "pairs_compared": sum(summary.pairs_compared.values()),
            "merges": summary.merges,
            "splits": summary.splits,
            "seconds": round(summary.seconds, 2),
        },
    )
