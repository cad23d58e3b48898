"""The run log beside the warehouse: one JSON line per night, failed ones too. A failed night
publishes nothing, so the published file cannot tell the Data health page that it happened;
`c360 run` writes this log and the dashboard reads it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

RUN_HISTORY = "run_history.jsonl"


def append_run(warehouse_dir: Path, run: dict) -> None:
    """One night's line; a full disk must not hide the night's own summary, which names the cause."""
    try:
        with open(warehouse_dir / RUN_HISTORY, "a", encoding="utf-8") as f:
            f.write(json.dumps(run) + "\n")
    except OSError as e:
        print(f"c360 run: could not record the run in {warehouse_dir / RUN_HISTORY}: {e}", file=sys.stderr)


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
