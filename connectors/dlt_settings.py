"""dlt settings every c360 load shares, set before any pipeline runs."""

import os

# Every raw row carries the dlt load id that wrote it (also for Arrow batches).
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
# Nothing leaves this machine: no usage telemetry.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
# dlt's own log lines at WARNING; c360 prints its own progress per table.
os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
