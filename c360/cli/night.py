"""`c360 run` and `c360 rollback`: one night, and going back to the publish before it."""

from __future__ import annotations

import sys

from c360.cli.options import with_config
from c360.clock import pin_as_of
from c360.config import load_config
from c360.run import run_nightly
from c360.warehouse import WarehousePaths, rollback, verify_publish


def cmd_run(args) -> int:
    # the connectors bring dlt and SQLAlchemy (0.8 s): only `c360 run` needs them, not every command
    from connectors.registry import load_night_config

    config = load_night_config(args.config)
    as_of = pin_as_of(args.as_of)  # one "now" for every step of the night, and its children
    print(f"c360 run: as of {as_of} UTC", flush=True)
    summary = run_nightly(config, verbose=args.verbose)
    print("\n".join(summary.lines()), flush=True)
    return 0 if summary.success else 1


def cmd_rollback(args) -> int:
    config = load_config(args.config)
    restored = rollback(WarehousePaths(config.warehouse_dir))
    print(f"c360: {restored.name} is current again")
    problems = verify_publish(restored)
    if problems:
        print("c360: it does NOT match what was recorded when it was published:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("c360: every mart matches the checksums recorded when it was published")
    return 0


def add_commands(sub) -> None:
    p = with_config(sub.add_parser("run", help="one nightly integration: load, build, check, publish"))
    p.add_argument(
        "--as-of",
        help="the night's 'now', UTC 'YYYY-MM-DD HH:MM:SS': the same sources and as-of give the same marts "
        "(default: $C360_AS_OF, else the night's start)",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        help="show the night's whole log (every step's messages, dbt's output) as it is written, not one line a step",
    )
    p.set_defaults(func=cmd_run)

    p = with_config(sub.add_parser("rollback", help="make the previous publish current again, and verify it"))
    p.set_defaults(func=cmd_rollback)
