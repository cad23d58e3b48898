"""`c360 run`: one nightly integration, in this process (Dagster's in-process executor),
with progress per step and a summary at the end."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from c360.config import Config
from c360.warehouse import WarehousePaths, make_private, make_warehouse_dir, private_umask


class RunInProgressError(RuntimeError):
    pass


@contextmanager
def run_lock(warehouse_dir: Path):
    """Only one run at a time per warehouse: a second one refuses at once."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / ".c360-run.lock"
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise RunInProgressError(
                f"another c360 run is in progress on {warehouse_dir} ({holder}); wait for it to finish"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@dataclass
class RunSummary:
    success: bool
    seconds: float
    rows_by_source: dict[str, int] = field(default_factory=dict)
    quarantined_by_source: dict[str, int] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: int = 0
    published: str | None = None
    failure: str | None = None
    # Dagster step -> [started, ended] (Unix seconds): where the night's time went
    steps: dict[str, list[float]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"run {'succeeded' if self.success else 'FAILED'} in {self.seconds:.1f} s"]
        for source, rows in self.rows_by_source.items():
            bad = self.quarantined_by_source.get(source, 0)
            out.append(f"  loaded {source:<12} {rows:>12,} rows, {bad:,} quarantined")
        out.append(f"  checks       {self.checks_passed} passed, {self.checks_failed} failed")
        out.append(f"  published    {self.published or 'nothing (the previous publish stays current)'}")
        if self.failure:
            out.append(f"  failure      {self.failure}")
        for step, (began, ended) in sorted(self.steps.items(), key=lambda item: item[1][0]):
            out.append(f"  step         {step:<40} {ended - began:8.1f} s")
        return out


def run_nightly(config: Config) -> RunSummary:
    import dagster as dg

    from pipelines.nightly import NIGHTLY_ASSETS, nightly_resources

    paths = WarehousePaths(config.warehouse_dir)
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    make_warehouse_dir(paths)
    # the night's files are its account's alone from the moment they exist (umask 077); what an
    # older version or a library that sets modes itself left readable is narrowed before and after
    with private_umask(), run_lock(config.warehouse_dir), dg.DagsterInstance.ephemeral() as instance:
        make_private(paths)
        try:
            result = dg.materialize(
                NIGHTLY_ASSETS,
                instance=instance,
                resources=nightly_resources(str(config.path)),
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
                raise_on_error=False,
            )
        finally:
            make_private(paths)  # dagster-dbt copies dbt's parse cache with its own mode
        steps = {
            stats.step_key: [stats.start_time, stats.end_time]
            for stats in instance.get_run_step_stats(result.run_id)
            if stats.start_time and stats.end_time
        }
    summary = RunSummary(success=result.success, seconds=time.perf_counter() - started, steps=steps)
    for event in result.all_events:
        if event.is_step_materialization:
            mat = event.step_materialization_data.materialization
            key = mat.asset_key.path
            if key[0] in ("sales", "service", "logistics", "call_center") and len(key) == 2:
                for name, tally in (("rows", summary.rows_by_source), ("quarantined", summary.quarantined_by_source)):
                    tally[key[0]] = tally.get(key[0], 0) + mat.metadata[name].value
            if key == ["published_warehouse"]:
                summary.published = mat.metadata["path"].value
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            if event.event_specific_data.passed:
                summary.checks_passed += 1
            else:
                summary.checks_failed += 1
        elif event.is_step_failure and summary.failure is None:
            error = event.step_failure_data.error
            summary.failure = with_remedy(f"{event.step_key}: {_root_message(error)}", config.warehouse_dir)
    with private_umask():
        _append_run_history(config.warehouse_dir, started_at, result.run_id, summary)
    if not summary.success:
        # in-process runs have no Dagster daemon to fire the run-failure sensor: notify here
        from c360.notify import notify_failure

        notify_failure(config, result.run_id, summary.failure)
    return summary


RUN_HISTORY = "run_history.jsonl"


def _append_run_history(warehouse_dir: Path, started_at: datetime, run_id: str, summary: RunSummary) -> None:
    """Every run, failed ones too, in a log beside the warehouse: a failed run publishes nothing,
    so the published file cannot tell the Data health page that it happened."""
    line = {"started_at": started_at.isoformat(timespec="seconds"), "run_id": run_id, **asdict(summary)}
    with open(warehouse_dir / RUN_HISTORY, "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def read_run_history(warehouse_dir: Path, limit: int = 20) -> list[dict]:
    """The newest `limit` runs, newest first; a line cut short by a crash is skipped."""
    path = warehouse_dir / RUN_HISTORY
    if not path.exists():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            runs.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return runs[::-1][:limit]


def with_remedy(failure: str, warehouse_dir: Path) -> str:
    """The failure, with what to do where the error alone does not say it. A full disk is the
    one seen at scale: the L night's marts need room for their tables and DuckDB's spill files
    beside a working database of 22 GB."""
    if "No space left on device" in failure:
        free = shutil.disk_usage(warehouse_dir).free / 2**30
        work = sum(f.stat().st_size for f in (warehouse_dir / "work").glob("*.duckdb*") if f.is_file()) / 2**30
        failure += (
            f" (the disk under {warehouse_dir} has {free:.1f} GiB free now, the working database takes"
            f" {work:.1f} GiB; a night needs room for the tables it builds and DuckDB's spill files beside"
            " it: free space there, or move warehouse.dir to a larger disk, and run again)"
        )
    return failure


def _root_message(error) -> str:
    """The innermost error message: the one that names the source and the fix."""
    while error.cause is not None:
        error = error.cause
    if not error.message:
        return "unknown error"
    lines = [line.strip() for line in error.message.strip().splitlines() if line.strip()]
    # a database error ends with the SQL and a caret; the line naming the error says more
    named = [line for line in lines if "Error" in line and not line.startswith("File ")]
    return named[-1] if named else lines[-1]
