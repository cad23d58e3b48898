"""The identity stages' SQL, one statement a file in identity/sql/<stage>/<what>.sql, read by
name: a stage's Python says what it does with the rows, its .sql files how they are selected.

A statement's `{names}` are the tables and columns the code chooses (the working tables of
identity.working, a column looped over); values from the data never go in them, they are
bound parameters."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def _text(name: str) -> str:
    return (files("identity") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def sql(name: str, **names: str) -> str:
    """The statement identity/sql/`name`.sql with its `{names}` filled in (a literal brace is
    written twice)."""
    return _text(name).format(**names)
