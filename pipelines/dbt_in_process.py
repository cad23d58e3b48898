"""dbt built inside the night's own process, its results turned into Dagster events.

Why not dagster-dbt's `DbtCliResource.cli()`: it starts a dbt process for every build, and each
one imports dbt, reads the profile and loads the parsed project again: about 3.5 s of start-up
per build, measured here, three builds a night, a third of a small company's night. Run here,
the project is parsed once per process (`dbt parse`, partial parsing) and each build reuses the
parsed manifest (`dbtRunner(manifest=...)`, dbt's documented programmatic invocation). The
selection of a subset and the conversion of dbt's results into Dagster outputs and asset checks
stay dagster-dbt's own (`get_updated_cli_invocation_params_for_context`,
`DbtCoreCliEventMessage.to_default_asset_events`), so that they cannot drift from it."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt_common.events.functions import msg_to_dict

# what dagster-dbt turns into Dagster events (the rest is dbt's log, which goes to the log file)
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
_DONE = object()
_manifests: dict[tuple, object] = {}  # (project, target, vars) -> dbt's parsed Manifest


class DbtBuildError(Exception):
    """A dbt build that failed: dbt's own error lines (the model or test, and why)."""


def _common_args(project_dir: Path, target: Path) -> list[str]:
    return [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target),
        "--log-path",
        str(target),
        "--no-use-colors",
        "--no-send-anonymous-usage-stats",
    ]


def parsed_manifest(project_dir: Path, target: Path, dbt_vars: dict):
    """dbt's parse of the project with these vars, once per process (partial parsing from
    `target` makes even the first one quick when the project did not change)."""
    key = (str(project_dir), str(target), json.dumps(dbt_vars, sort_keys=True))
    if key not in _manifests:
        result = dbtRunner().invoke(["parse", "--vars", json.dumps(dbt_vars), *_common_args(project_dir, target)])
        if not result.success:
            raise DbtBuildError(f"dbt could not parse the project {project_dir}: {result.exception}")
        _manifests[key] = result.result
    return _manifests[key]


def release_warehouse() -> None:
    """Close the connection dbt-duckdb keeps open after a build (until the process exits,
    otherwise): the night's Python steps open the same file with settings of their own, and DuckDB
    refuses a second configuration of an open file."""
    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if environment is not None:
        environment.close()


def _interrupt_warehouse() -> None:
    """Stop the query dbt is running (Ctrl-C of the night): dbt then fails the build."""
    environment = DuckDBConnectionManager._ENV
    connection = getattr(environment, "conn", None)
    if connection is not None:
        connection.interrupt()


def build(
    context: dg.AssetExecutionContext, project_dir: Path, target: Path, args: list[str], dbt_vars: dict
) -> Iterator:
    """`dbt <args>` of the step's selection, in this process; yields the Dagster outputs and
    check results of dbt's results as they come, and raises `DbtBuildError` when dbt failed."""
    params = get_updated_cli_invocation_params_for_context(
        context=context, manifest={}, dagster_dbt_translator=DagsterDbtTranslator()
    )
    if params.dbt_project is not None and Path(params.dbt_project.project_dir).resolve() != project_dir.resolve():
        # dagster-dbt wrote a selectors file into a copy of the project (a subset too long for
        # the command line); the manifest parsed here is not that copy's
        project_dir = Path(params.dbt_project.project_dir)
    selection = list(params.selection_args)
    if params.indirect_selection:
        selection += ["--indirect-selection", params.indirect_selection]
    manifest = parsed_manifest(project_dir, target, dbt_vars)
    command = [*args, "--vars", json.dumps(dbt_vars), *selection, *_common_args(project_dir, target)]
    context.log.info(f"Running dbt command: `dbt {' '.join([*args, *selection])}` in this process")

    results: queue.Queue = queue.Queue()
    errors: list[str] = []

    def on_event(message) -> None:
        if message.info.name in RESULT_EVENTS:
            results.put(msg_to_dict(message))
        elif message.info.level == "error" and message.info.msg.strip():  # what failed, and why
            errors.append(message.info.msg.strip())

    outcome: dict = {}

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(manifest=manifest, callbacks=[on_event]).invoke(command)
        except BaseException as error:  # noqa: BLE001 - handed to the step's thread below
            outcome["error"] = error
        finally:
            results.put(_DONE)

    worker = threading.Thread(target=invoke, name="dbt", daemon=True)
    worker.start()
    try:
        while (raw := results.get()) is not _DONE:
            event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
            yield from event.to_default_asset_events(
                manifest=params.manifest,
                dagster_dbt_translator=params.dagster_dbt_translator,
                context=context,
                target_path=target,
                project=params.dbt_project,
            )
    except BaseException:
        _interrupt_warehouse()
        raise
    finally:
        worker.join()
        release_warehouse()
    if "error" in outcome:
        raise outcome["error"]
    result = outcome["result"]
    if not result.success:
        reasons = errors or [str(result.exception or "no reason given")]
        raise DbtBuildError("dbt build failed: " + " | ".join(reasons[:3]) + " (the night's log has dbt's output)")
