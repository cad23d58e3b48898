"""The run's "now": the real time, or the moment `$C360_AS_OF` pins ("YYYY-MM-DD HH:MM:SS",
UTC), so that a rebuild of the same data gives the same marts at any hour (rolling windows in
dbt, the churn model's end of data)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

AS_OF_ENV = "C360_AS_OF"


def pinned_as_of() -> str | None:
    """The pinned moment as given, checked; None when the real time counts."""
    as_of = os.environ.get(AS_OF_ENV)
    if not as_of:
        return None
    try:
        datetime.strptime(as_of, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ValueError(f"${AS_OF_ENV} must be a UTC time 'YYYY-MM-DD HH:MM:SS', not {as_of!r}") from None
    return as_of


def run_now() -> datetime:
    """Naive UTC, as the warehouse stores times."""
    as_of = pinned_as_of()
    if as_of:
        return datetime.strptime(as_of, "%Y-%m-%d %H:%M:%S")
    return datetime.now(UTC).replace(tzinfo=None)
