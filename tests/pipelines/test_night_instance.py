"""The instance a night runs in (pipelines.night_instance) stores and returns what Dagster's own
ephemeral instance does: the run, its step stats (the night's summary reads them), materializations
and check results."""

import dagster as dg

from pipelines.night_instance import night_instance


@dg.asset
def orders() -> int:
    return 3


@dg.asset
def big_orders(orders: int) -> int:
    return orders * 2


@dg.asset_check(asset=big_orders)
def big_orders_are_even(big_orders: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=big_orders % 2 == 0)


def test_a_run_its_steps_materializations_and_checks_are_stored_and_read_back():
    with night_instance() as instance:
        first = dg.materialize([orders, big_orders, big_orders_are_even], instance=instance)
        second = dg.materialize([orders, big_orders, big_orders_are_even], instance=instance)
        assert first.success and second.success
        steps = {s.step_key for s in instance.get_run_step_stats(second.run_id) if s.end_time}
        assert steps == {"orders", "big_orders", "big_orders_big_orders_are_even"}
        latest = instance.get_latest_materialization_event(dg.AssetKey("big_orders"))
        assert latest is not None and latest.run_id == second.run_id
        checks = instance.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey("big_orders"), "big_orders_are_even"), limit=10
        )
        assert len(checks) == 2 and {c.run_id for c in checks} == {first.run_id, second.run_id}
        assert instance.get_run_by_id(second.run_id).is_success
