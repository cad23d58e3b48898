"""The Dagster definitions load: assets, lineage from raw loads to the publish, the nightly job."""

import dagster as dg


def test_definitions_load_with_the_nightly_job_and_schedule():
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    assert repo.get_job("nightly") is not None
    schedule = repo.get_schedule_def("nightly")
    assert schedule.cron_schedule == "0 2 * * *"
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {
        "sales/account",
        "call_center/cdr",
        "marts/customer_360",
        "marts/dim_customer",
        "published_warehouse",
    } <= keys


def test_lineage_runs_from_raw_tables_through_dbt_to_the_publish():
    from pipelines.definitions import defs

    graph = defs.get_repository_def().asset_graph
    upstream_of_publish = graph.get(dg.AssetKey("published_warehouse")).parent_keys
    assert dg.AssetKey(["marts", "customer_360"]) in upstream_of_publish
    staging = graph.get(dg.AssetKey(["staging", "stg_sales__accounts"]))
    assert dg.AssetKey(["sales", "account"]) in staging.parent_keys
