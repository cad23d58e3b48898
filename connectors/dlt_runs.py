"""How every c360 source runs through dlt: shared settings, and the plan a connector hands
over (the dlt source, the pipeline into the working warehouse, and what to record once dlt
has said how many rows it wrote). `run_plan` runs it directly (tests, scripts); the Dagster
assets run the same plan through dagster-dlt."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Every raw row carries the dlt load id that wrote it (also for Arrow batches).
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
# Nothing leaves this machine: no usage telemetry.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
# dlt's own log lines at WARNING; c360 prints its own progress per table.
os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")

import dlt  # noqa: E402 - after the settings above
from dlt.pipeline.exceptions import PipelineStepFailed  # noqa: E402

from connectors.loader import SourceError  # noqa: E402

# a completed load's files are only a copy of rows now in the warehouse, and dlt keeps them
# by default: gigabytes a night at a million customers (5.4 GB after the first three loads)
dlt.config["load.delete_completed_jobs"] = True


def pipeline_for(source: str, work_db: Path, state_dir: Path) -> dlt.Pipeline:
    """One dlt pipeline per source system, writing `raw_<source>` of the working warehouse.
    Its state (cursors, files seen) is stored in the warehouse too, so it survives the loss
    of `state_dir`."""
    return dlt.pipeline(
        pipeline_name=f"c360_{source}",
        destination=dlt.destinations.duckdb(str(work_db)),
        dataset_name=f"raw_{source}",
        pipelines_dir=str(state_dir),
    )


@dataclass
class LoadPlan:
    source: object  # dlt.sources.DltSource
    pipeline: dlt.Pipeline
    finish: Callable[[dict[str, int], str], object]  # (rows written per table, load id) -> LoadReport

    def written(self) -> tuple[dict[str, int], str]:
        """Rows dlt wrote per table in its last run, and that load's id."""
        info = self.pipeline.last_trace.last_normalize_info if self.pipeline.last_trace else None
        if not info or not info.row_counts:
            return {}, "none"
        return dict(info.row_counts), (info.loads_ids or ["none"])[-1]


def unwrap(failure: BaseException) -> BaseException:
    """c360's own error (which names the source and the fix) inside dlt's wrapping, if any."""
    from data_quality.validate import ContractError  # GX is slow to import; only a failed load needs it

    error: BaseException | None = failure
    while error is not None:
        if isinstance(error, (SourceError, ContractError)):
            return error
        error = error.__cause__ or error.__context__
    return failure


@contextmanager
def cyclic_gc_paused():
    """Inside: Python's cycle collector does not run. A load makes millions of short-lived,
    acyclic objects (a service-desk page is a thousand dicts), reference counting frees them,
    and the collector, started every 700 of them, walks every object alive each time it
    reaches the oldest generation: at a million customers that was most of a page's cost
    (parsing a page 13.7 us a record with it, 3.1 without). Cycles made meanwhile are freed
    when it runs again after the load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def own_errors():
    """Inside: a dlt step failure caused by c360's own error is raised as that error."""
    try:
        yield
    except PipelineStepFailed as failure:
        cause = unwrap(failure)
        if cause is failure:
            raise
        raise cause from None


def run_plan(plan: LoadPlan):
    """Run the plan with dlt directly; returns the connector's LoadReport."""
    with own_errors(), cyclic_gc_paused():
        plan.pipeline.run(plan.source)
    return plan.finish(*plan.written())
