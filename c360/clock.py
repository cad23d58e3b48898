"""The run's "now": the real time, or the moment `$C360_AS_OF` (or `--as-of`) pins
("YYYY-MM-DD HH:MM:SS", UTC), so that a rebuild of the same data gives the same marts at any
hour (rolling windows in dbt, the contracts' future check, identity, the churn model's end of
data). A night pins its own start when nothing else does, so all of its steps share one "now"."""

from __future__ import annotations

import os
from datetime import UTC, datetime

AS_OF_ENV = "C360_AS_OF"


class AsOfError(ValueError):
    """A pinned moment that is not one."""


def parse_as_of(text: str, named: str = f"${AS_OF_ENV}") -> datetime:
    """'YYYY-MM-DD HH:MM:SS' (or with a 'T') in UTC, naive; a clear error naming `named` else."""
    try:
        return datetime.strptime(text.strip().replace("T", " "), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise AsOfError(f"{named} must be a UTC time 'YYYY-MM-DD HH:MM:SS', not {text!r}") from None


def pinned_as_of() -> str | None:
    """The pinned moment, checked and in its one spelling; None when the real time counts."""
    as_of = os.environ.get(AS_OF_ENV)
    if not as_of:
        return None
    return parse_as_of(as_of).strftime("%Y-%m-%d %H:%M:%S")


def pin_as_of(text: str | None = None) -> str:
    """Pin this process's (and its children's) clock: to `text` when given (`--as-of`), else to
    what `$C360_AS_OF` pins, else to now. Returns the pinned moment."""
    moment = parse_as_of(text, "--as-of") if text else run_now().replace(microsecond=0)
    os.environ[AS_OF_ENV] = moment.strftime("%Y-%m-%d %H:%M:%S")
    return os.environ[AS_OF_ENV]


def run_now() -> datetime:
    """Naive UTC, as the warehouse stores times."""
    as_of = pinned_as_of()
    if as_of:
        return parse_as_of(as_of)
    return datetime.now(UTC).replace(tzinfo=None)
