"""The `c360` command: one module per group of subcommands, each adding its own."""

from __future__ import annotations

import argparse
import atexit
import os
import sys

import duckdb

from benchmarks import scale as bench_at_scale
from c360.cli import analyst, dashboard, evaluate, night
from c360.cli import demo as demo_commands
from c360.clock import AsOfError
from c360.config import ConfigError
from c360.eval_identity import TruthFileError
from c360.run import RunInProgressError
from c360.warehouse import NotPublishedError
from connectors.loader import SourceError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c360", description="The customer-360 warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    for commands in (demo_commands, night, dashboard, analyst):
        commands.add_commands(sub)
    p = sub.add_parser("bench", help="the nightly run at scale S, M or L: every step's time, rows/s and memory")
    bench_at_scale.add_arguments(p)
    p.set_defaults(func=bench_at_scale.run_from_args)

    evaluate.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, NotPublishedError, TruthFileError, AsOfError) as e:
        print(f"c360: {e}", file=sys.stderr)
        return 2
    except Exception as e:
        if isinstance(e, (SourceError, RunInProgressError, duckdb.Error)):
            print(f"c360: {e}", file=sys.stderr)
            return 2
        raise


def console_main() -> None:
    """The `c360` command: `main`, then the process ends without tearing its modules down one by
    one. Python's own teardown of what a night imports (Dagster, dbt, dlt, splink, scikit-learn)
    and holds took 2 s of a small company's 22 s night here; exit handlers still run and every
    stream is flushed first. An error that escapes `main` ends the process the usual way."""
    code = main() or 0
    atexit._run_exitfuncs()  # what libraries registered (dbt-duckdb closes its database there)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)
