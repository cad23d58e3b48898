"""dlt settings every c360 load shares, set before any pipeline runs."""

import os

# Every raw row carries the dlt load id that wrote it (also for Arrow batches).
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
# Nothing leaves this machine: no usage telemetry.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
# dlt's own log lines at WARNING; c360 prints its own progress per table.
os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")


def run_pipeline(pipeline, data) -> None:
    """`pipeline.run(data)`, with c360's own errors (which name the source and the fix)
    raised as they are instead of wrapped in dlt's step-failure exceptions."""
    from dlt.pipeline.exceptions import PipelineStepFailed

    from connectors.loader import SourceError
    from data_quality.validate import ContractError

    try:
        pipeline.run(data)
    except PipelineStepFailed as failure:
        error: BaseException | None = failure
        while error is not None:
            if isinstance(error, (SourceError, ContractError)):
                raise error from None
            error = error.__cause__ or error.__context__
        raise
