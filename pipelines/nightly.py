"""What one nightly run materialises, and with which resources: shared by the Dagster
definitions (daemon, `dagster dev`) and `c360 run` (in-process), so the two cannot drift. And how
`c360 run` logs it: all of it to the night's log file, one line a step to the console."""

from __future__ import annotations

import logging
import time
from typing import TextIO

import dagster as dg
from dagster_dlt import DagsterDltResource

from pipelines.assets.calendar import business_calendar
from pipelines.assets.identity import resolved_records
from pipelines.assets.publish import published_warehouse
from pipelines.assets.scoring import churn_scores
from pipelines.assets.sources import source_loads
from pipelines.dbt import c360_dbt_inputs, c360_dbt_marts, c360_dbt_scored
from pipelines.resources import C360Config

NIGHTLY_ASSETS = [
    *source_loads,
    business_calendar,
    c360_dbt_inputs,
    resolved_records,
    c360_dbt_marts,
    churn_scores,
    c360_dbt_scored,
    published_warehouse,
]


def nightly_resources(config_path: str | None = None) -> dict:
    """The resources the assets need; `config_path` names the config (default: $C360_CONFIG or ./c360.yml)."""
    return {
        "c360": C360Config(config_path=config_path or ""),
        "dlt_loader": DagsterDltResource(),
    }


class Progress:
    """What the console shows of a night while it runs: one line a step, the first thing the step
    says it does, after a bar of the steps begun so far out of the night's (`total`). The step's
    other messages, Dagster's own events, dbt's output and stack traces go to the night's log file
    only, so that a failure's clear line is not lost among them."""

    # dagster-dbt's notes about itself, not about the night
    BOOKKEEPING = ("A dbt subsetted execution", "Copying `", "Logging an `AssetObservation`", "Finished dbt command")
    WIDTH = 120
    BAR = 12  # characters of the bar

    def __init__(self, total: int = 0) -> None:
        self.total = total
        self._started: dict[str, int] = {}  # step -> its place in the night (1 for the first begun)
        self._shown: set[str] = set()

    def start(self, step: str) -> None:
        """The step began (a step skipped or not executed never does, and shows nothing)."""
        self._started.setdefault(step, len(self._started) + 1)

    def bar(self, step: str) -> str:
        """`[██████······]  6/11`: where this step stands in the night (nothing without a total)."""
        if not self.total:
            return ""
        done = min(self._started[step], self.total)
        filled = round(self.BAR * done / self.total)
        return f"[{'█' * filled}{'·' * (self.BAR - filled)}] {done:>{len(str(self.total))}}/{self.total} "

    def line(self, step: str | None, message: str) -> str | None:
        if step not in self._started or step in self._shown or message.startswith(self.BOOKKEEPING):
            return None
        self._shown.add(step)
        first = message.strip().splitlines()[0] if message.strip() else ""
        line = f"  {self.bar(step)}{step} - {first}"
        return line if len(line) <= self.WIDTH else line[: self.WIDTH - 1] + "…"


def night_loggers(log_file: TextIO, console: TextIO) -> dict[str, dg.LoggerDefinition]:
    """Dagster loggers for `c360 run`: `log_file` gets every event and message (DEBUG and up, the
    stack traces of failures in them), `console` the night's progress (`Progress`)."""

    def to_file(_init_context) -> logging.Logger:
        logger = logging.Logger("c360.night", level=logging.DEBUG)
        handler = logging.StreamHandler(log_file)
        formatter = logging.Formatter("%(asctime)s UTC - %(levelname)s - %(message)s", "%Y-%m-%d %H:%M:%S")
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
        logger.addHandler(handler)
        return logger

    def to_console(init_context) -> logging.Logger:
        progress = Progress(init_context.logger_config["steps"])

        class ProgressHandler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                meta = getattr(record, "dagster_meta", None) or {}
                event = meta.get("dagster_event")
                if event is not None:  # Dagster's own events: the log file has them
                    if event.event_type_value == "STEP_START":
                        progress.start(event.step_key)
                    return
                if record.levelno < logging.INFO:
                    return
                line = progress.line(meta.get("step_key"), str(meta.get("orig_message") or record.getMessage()))
                if line:
                    console.write(line + "\n")
                    console.flush()

        logger = logging.Logger("c360.progress", level=logging.DEBUG)  # Dagster's events are DEBUG
        logger.addHandler(ProgressHandler())
        return logger

    return {
        "log_file": dg.LoggerDefinition(to_file),
        # steps: how many the night runs, for the progress bar (c360/run.py counts the job's)
        "progress": dg.LoggerDefinition(to_console, config_schema={"steps": dg.Field(int, default_value=0)}),
    }
