"""`c360 run`: one nightly integration, in this process (Dagster's in-process executor),
with progress per step and a summary at the end."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from c360.config import Config
from c360.notify import notify_failure
from c360.run_history import append_run
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
    failed_step: str | None = None
    log: str | None = None  # the night's full output: Dagster's events, dbt's, stack traces
    # source.table a source did not deliver (not in its config): stood in for by empty tables
    absent_tables: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What `c360 run` prints at the end. A failed night (or one that published nothing,
        which is no success) begins with its clear line: the step, the cause, what to do."""
        succeeded = self.success and self.published is not None
        if succeeded:
            out = [f"run succeeded in {self.seconds:.1f} s"]
        else:
            cause, where = self.failure or "nothing was published", ""
            if self.failed_step and cause.startswith(f"{self.failed_step}: "):
                cause, where = cause.removeprefix(f"{self.failed_step}: "), f" at step {self.failed_step}"
            out = [f"run FAILED in {self.seconds:.1f} s{where}: {cause}"]
        for source, rows in self.rows_by_source.items():
            bad = self.quarantined_by_source.get(source, 0)
            out.append(f"  loaded {source:<12} {rows:>12,} rows, {bad:,} quarantined")
        if self.absent_tables:
            absent = ", ".join(sorted(self.absent_tables))
            out.append(f"  absent       {absent} (not delivered: the models that need them are empty)")
        out.append(f"  checks       {self.checks_passed} passed, {self.checks_failed} failed")
        out.append(f"  published    {self.published or 'nothing (the previous publish stays current)'}")
        if self.log:
            out.append(f"  log          {self.log}" + ("" if succeeded else " (every step's output, the stack trace)"))
        if succeeded:  # where the time went; a failed night's steps are in its log
            for step, (began, ended) in sorted(self.steps.items(), key=lambda item: item[1][0]):
                out.append(f"  step         {step:<40} {ended - began:8.1f} s")
        return out


def night_outcome(
    dagster_success: bool,
    published: str | None,
    failure: str | None,
    skipped_steps: list[str],
    not_materialized: list[str],
) -> tuple[bool, str | None]:
    """Whether the night succeeded, and why not: only a night that published succeeded. Dagster
    calls a run whose steps were all skipped (an asset they need was not materialized) a success,
    and such a night published nothing."""
    if dagster_success and published is not None:
        return True, None
    if failure:
        return False, failure
    if not dagster_success:
        return False, "the run failed outside its steps (the log says where)"
    if not skipped_steps:
        return False, "nothing was published, though no step failed (the log says why)"
    steps = ", ".join(skipped_steps[:3]) + (f" and {len(skipped_steps) - 3} more" if len(skipped_steps) > 3 else "")
    missing = ", ".join(not_materialized[:5]) + (" and more" if len(not_materialized) > 5 else "")
    because = (
        f" because {missing} {'was' if len(not_materialized) == 1 else 'were'} not materialized"
        if not_materialized
        else ""
    )
    return False, (
        f"nothing was published: no step failed, but {steps} {'was' if len(skipped_steps) == 1 else 'were'}"
        f" skipped{because}; the log says why, fix that and run again"
    )


NIGHT_JOB = "c360_nightly_run"
KEEP_LOGS = 30


def run_nightly(config: Config, verbose: bool = False) -> RunSummary:
    """One night, in this process. Its files are private (umask 077, and whatever an older
    version or a library left readable is narrowed, before and after); its full output goes to
    `<warehouse>/logs/run-<run id>.log`, and the console gets one line a step (`verbose`: the
    whole log as well, as it is written)."""
    # Dagster, dbt, dlt, splink, scikit-learn: 5 s of imports, only when a night runs (c360.cli
    # imports this module for every command)
    import dagster as dg

    from pipelines.night_instance import night_instance
    from pipelines.nightly import NIGHTLY_ASSETS, night_loggers, nightly_resources

    paths = WarehousePaths(config.warehouse_dir)
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    run_id = str(uuid.uuid4())
    make_warehouse_dir(paths)
    with private_umask(), run_lock(config.warehouse_dir):
        make_private(paths)
        paths.logs_dir.mkdir(mode=0o700, exist_ok=True)
        log = paths.logs_dir / f"run-{run_id}.log"
        try:
            with _output_to(log) as (log_file, console), _shown_live(log, console, verbose):
                console.write(f"c360 run: every step's output goes to {log}\n")
                console.flush()
                defs = dg.Definitions(
                    assets=NIGHTLY_ASSETS,
                    jobs=[dg.define_asset_job(NIGHT_JOB)],
                    resources=nightly_resources(str(config.path)),
                    loggers=night_loggers(log_file, console),
                )
                job = defs.resolve_job_def(NIGHT_JOB)
                progress = {"steps": len(job.graph.node_defs)}  # one step an asset (a dbt build is one)
                with night_instance() as instance:
                    result = job.execute_in_process(
                        instance=instance,
                        run_config={"loggers": {"log_file": {}, "progress": {"config": progress}}},
                        raise_on_error=False,
                        run_id=run_id,
                    )
                    steps = {
                        stats.step_key: [stats.start_time, stats.end_time]
                        for stats in instance.get_run_step_stats(result.run_id)
                        if stats.start_time and stats.end_time
                    }
                summary = _summarise(result, NIGHTLY_ASSETS, steps, time.perf_counter() - started, config)
                summary.log = str(log)
                if not summary.success:
                    # in-process runs have no Dagster daemon to fire the run-failure sensor: notify here
                    notify_failure(config, result.run_id, summary.failure)
        finally:
            # whatever a library set itself, despite the umask
            make_private(paths)
            _prune_logs(paths)
        run = {"started_at": started_at.isoformat(timespec="seconds"), "run_id": result.run_id, **asdict(summary)}
        append_run(config.warehouse_dir, run)
    return summary


def _summarise(result, assets, steps: dict, seconds: float, config: Config) -> RunSummary:
    """The night's figures and outcome from its Dagster events."""
    # the connectors bring dlt and SQLAlchemy (0.8 s): only a night needs them, not every command
    from connectors.registry import source_systems

    summary = RunSummary(success=result.success, seconds=seconds, steps=steps)
    materialized, succeeded, skipped = set(), set(), []
    for event in result.all_events:
        if event.is_step_materialization:
            mat = event.step_materialization_data.materialization
            key = mat.asset_key.path
            materialized.add(mat.asset_key)
            if key[0] in source_systems() and len(key) == 2:
                for name, tally in (("rows", summary.rows_by_source), ("quarantined", summary.quarantined_by_source)):
                    tally[key[0]] = tally.get(key[0], 0) + mat.metadata[name].value
                if "absent" in mat.metadata and mat.metadata["absent"].value:
                    summary.absent_tables.append(".".join(key))
            if key == ["published_warehouse"]:
                summary.published = mat.metadata["path"].value
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            if event.event_specific_data.passed:
                summary.checks_passed += 1
            else:
                summary.checks_failed += 1
        elif event.event_type_value == "STEP_SUCCESS":
            succeeded.add(event.step_key)
        elif event.event_type_value == "STEP_SKIPPED":
            skipped.append(event.step_key)
        elif event.is_step_failure and summary.failure is None:
            error = event.step_failure_data.error
            summary.failed_step = event.step_key
            summary.failure = with_remedy(f"{event.step_key}: {_root_message(error)}", config.warehouse_dir)
    # what a step that succeeded did not materialize: the reason the steps after it were skipped
    not_materialized = [
        "/".join(key.path)
        for definition in assets
        if definition.node_def.name in succeeded
        for key in definition.keys
        if key not in materialized
    ]
    summary.success, summary.failure = night_outcome(
        result.success, summary.published, summary.failure, skipped, not_materialized
    )
    return summary


@contextmanager
def _output_to(log: Path):
    """Everything this process and its children write to stdout and stderr goes to `log`
    (private) meanwhile; yields the log file for Dagster's logger and a stream to the console."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    saved = os.dup(1), os.dup(2)
    console = os.fdopen(os.dup(saved[0]), "w", encoding="utf-8", errors="replace")
    log_file = open(log, "a", encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
    try:
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        yield log_file, console
    finally:
        for stream in (sys.stdout, sys.stderr, log_file, console):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for handle in (fd, *saved):
            os.close(handle)
        for stream in (log_file, console):
            try:
                stream.close()
            except OSError:  # a full disk: what the log could not take is lost, the summary is not
                pass


@contextmanager
def _shown_live(log: Path, console, verbose: bool):
    """With `verbose`, the night's log on the console too as it grows (a thread follows the file,
    as `tail -f` would: dbt's and every library's output reach the log through the process's own
    stdout and stderr, which no logger sees)."""
    if not verbose:
        yield
        return
    stop = threading.Event()

    def follow() -> None:
        # whole lines only: a step's progress line, written meanwhile, never splits one
        with open(log, encoding="utf-8", errors="replace") as grown:
            partial = ""
            while True:
                partial += grown.readline()
                if partial.endswith("\n"):
                    console.write(partial)
                    console.flush()
                    partial = ""
                elif stop.is_set():
                    console.write(partial)
                    return
                else:
                    stop.wait(0.2)

    follower = threading.Thread(target=follow, name="c360-verbose", daemon=True)
    follower.start()
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):  # what this process still holds in its buffers
            stream.flush()
        stop.set()
        follower.join(timeout=10)


def _prune_logs(paths: WarehousePaths) -> None:
    """Keep the newest `KEEP_LOGS` nights' logs."""
    logs = sorted(paths.logs_dir.glob("run-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in logs[KEEP_LOGS:]:
        old.unlink(missing_ok=True)


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


OWN_ERRORS = ("SourceError", "ConfigError", "DbtBuildError")


def _root_message(error) -> str:
    """The innermost error message: the one that names the source and the fix."""
    while error.cause is not None:
        error = error.cause
    if not error.message:
        return "unknown error"
    lines = [line.strip() for line in error.message.strip().splitlines() if line.strip()]
    # a database error ends with the SQL and a caret; the line naming the error says more
    named = [line for line in lines if "Error" in line and not line.startswith("File ")]
    message = named[-1] if named else lines[-1]
    # c360's own errors are written for the reader: their class and module say nothing more
    if error.cls_name in OWN_ERRORS:
        message = re.sub(rf"^[\w.]*{error.cls_name}: ", "", message)
    # what the system refused (a full disk, a file not allowed), which dbt reports lines below
    # its own "Unhandled error while executing <file>"
    refused = [match.group(0) for line in lines if (match := re.search(r"\[Errno \d+\][^|(]*", line))]
    if refused and refused[-1].strip() not in message:
        message += f": {refused[-1].strip()}"
    return message
