"""What a source contract is: one Great Expectations suite per incoming table (SOURCES.md);
each source system's suites are in data_quality/contracts/<source>.py.

A contract has table-level expectations (required columns) that fail the whole batch, and
row-level ones (keys present, values in their set, numbers in their range, times readable
and not in the future) whose failing rows are quarantined with the reason. Raw values
arrive as text from files; `derived` adds typed `_check_*` columns so that a value that does
not parse fails its expectation instead of being silently dropped.

Every date or timestamp column a staging model reads is a `Time` of its table's contract,
read exactly as the model reads it (`{{ to_utc() }}`, `try_cast(... as date)`): a value the
model would read as NULL quarantines its row, so that it never replaces the good value of
the version loaded before. "Not in the future" is measured against the night's now
(`c360.clock.run_now`: `$C360_AS_OF` when pinned), so a rebuild checks as the night did.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Callable

import duckdb
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from great_expectations.expectations.row_conditions import Column

from c360.clock import run_now

# A timestamp up to a day ahead is clock skew, not the future.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Time:
    """A date or timestamp column the staging models read. A value given must read as the model
    reads it; a `required` one must be given too, and a `future` one may not be later than the
    night's now plus FUTURE_TOLERANCE."""

    column: str
    kind: str = "timestamp"  # or "date"
    required: bool = False
    future: bool = False
    check: str = ""  # the typed column the expectations read (default `_check_<column>`)
    given_by: str = ""  # the raw column whose value says one is given (default `column`)
    says: str = ""  # the reason in words, for a column the connector computes from others

    @property
    def checked(self) -> str:
        return self.check or f"_check_{self.column}"

    @property
    def given(self) -> str:
        return f"_given_{self.given_by or self.column}"


@dataclass
class Contract:
    source: str
    table: str
    required: list[str]
    rows: list[Callable[[], gxe.Expectation]] = field(default_factory=list)
    # name -> (raw column, parser): typed columns the row expectations check
    derived: dict[str, tuple[str, Callable[[pd.Series], pd.Series]]] = field(default_factory=dict)
    times: list[Time] = field(default_factory=list)

    def __post_init__(self):
        self.rows, self.derived = list(self.rows), dict(self.derived)
        for time in self.times:
            self.derived[time.checked] = (time.column, read_date if time.kind == "date" else read_timestamp)
            if not time.required:
                self.derived[time.given] = (time.given_by or time.column, given)
            self.rows.append(readable(time))
            if time.future:
                self.rows.append(not_future(time.checked))

    @property
    def name(self) -> str:
        return f"{self.source}.{self.table}"


# ---- reading times as the staging models read them ----------------------------------------

# Arrow's cast (C++, several times DuckDB's speed) reads a text as DuckDB does when it reads it
# at all, except a time of the hour alone ("2026-01-05T10Z", at most 19 characters), which DuckDB
# refuses; a date Arrow reads has 10. A batch with any other value, or one Arrow refuses, is
# read by DuckDB itself.
_ARROW_SHAPE = {"timestamptz": (20, None), "date": (10, 10)}  # (fewest, most) characters
_duckdb = threading.local()


def read_timestamp(values: pd.Series) -> pd.Series:
    """Each value as Unix seconds, read as the staging models read a timestamp (`to_utc`:
    DuckDB's try_cast to timestamptz of the trimmed text, naive times as UTC); NaN where empty
    or unreadable. Database timestamps (a PostgreSQL CRM) are taken as they are."""
    return _read(values, "timestamptz", pa.timestamp("us", "UTC"))


def read_date(values: pd.Series) -> pd.Series:
    """Each value as the Unix seconds of its midnight, read as the staging models read a date
    (DuckDB's `try_cast(... as date)`); NaN where empty or unreadable."""
    return _read(values, "date", pa.date32())


def given(values: pd.Series) -> pd.Series:
    """1 where a value is given (not null, not blank), else 0."""
    array = _arrow(values)
    if _is_text(array.type):
        present = pc.and_kleene(pc.is_valid(array), pc.not_equal(pc.utf8_trim_whitespace(array), ""))
    else:
        present = pc.is_valid(array)
    flags = pc.fill_null(present, False).to_numpy(zero_copy_only=False)
    return pd.Series(flags.astype("int8"), index=values.index)


def _arrow(values: pd.Series) -> pa.Array:
    array = pa.array(values, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)


def _read(values: pd.Series, sql_type: str, arrow_type: pa.DataType) -> pd.Series:
    array = _arrow(values)
    if pa.types.is_null(array.type):  # a column the source left out, or all empty
        return pd.Series(np.nan, index=values.index, dtype="float64")
    fast = None
    if _is_text(array.type):
        lengths = pc.binary_length(array)
        fewest, most = _ARROW_SHAPE[sql_type]
        odd = pc.and_(pc.greater(lengths, 0), pc.less(lengths, fewest))
        if most is not None:
            odd = pc.or_(odd, pc.greater(lengths, most))
        if not pc.any(odd).as_py():
            fast = _empty_as_null(array, lengths)
    elif pa.types.is_timestamp(array.type) or (pa.types.is_date(array.type) and sql_type == "date"):
        fast = array
    if fast is not None:
        try:
            return _arrow_seconds(pc.cast(fast, arrow_type), values.index)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # a value Arrow refuses: DuckDB decides
    return _read_with_duckdb(array, sql_type, values.index)


def _empty_as_null(text: pa.Array, lengths: pa.Array) -> pa.Array:
    """`text` with its empty strings null, as the models' nullif() has them (Arrow's cast refuses
    ""). Only the validity bitmap changes: if_else would copy every string."""
    keep = pc.and_kleene(pc.is_valid(text), pc.not_equal(lengths, 0))  # never null itself
    if not pc.any(pc.invert(keep)).as_py():
        return text
    if text.offset == 0 and keep.offset == 0:
        return pa.Array.from_buffers(text.type, len(text), [keep.buffers()[1], *text.buffers()[1:]])
    return pc.if_else(keep, text, pa.scalar(None, text.type))


def _read_with_duckdb(array: pa.Array, sql_type: str, index: pd.Index) -> pd.Series:
    if _is_text(array.type):
        value = "nullif(trim(v), '')"
    elif pa.types.is_temporal(array.type):
        value = "v"
    else:  # numbers or anything else: read as their text, as a cast of them would
        value = "nullif(trim(cast(v as varchar)), '')"
    con = getattr(_duckdb, "con", None)
    if con is None:  # one per thread: a DuckDB connection is not for two threads at once
        con = _duckdb.con = duckdb.connect()
        con.execute("set TimeZone = 'UTC'")
    con.register("_c360_values", pa.table({"v": array}))
    try:
        result = con.sql(
            f"select epoch_us(cast(try_cast({value} as {sql_type}) as timestamp)) as us from _c360_values"
        ).to_arrow_table()
    finally:
        con.unregister("_c360_values")
    return _micros_to_seconds(result.column("us").combine_chunks(), index)


def _arrow_seconds(times: pa.Array, index: pd.Index) -> pd.Series:
    if pa.types.is_date(times.type):
        times = pc.cast(times, pa.timestamp("us"))
    # microseconds: as int64 they are exact in a float64 until the year 2255
    return _micros_to_seconds(pc.cast(pc.cast(times, pa.timestamp("us", times.type.tz)), pa.int64()), index)


def _micros_to_seconds(micros: pa.Array, index: pd.Index) -> pd.Series:
    seconds = pc.divide(pc.cast(micros, pa.float64()), 1e6)
    return pd.Series(seconds.to_numpy(zero_copy_only=False), index=index, dtype="float64")


_NUMBER = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"


def numbers(values: pd.Series) -> pd.Series:
    """Text -> float (NaN where not a number), in Arrow: pandas' to_numeric walks the strings
    in Python and took a quarter of a call-center batch's check."""
    text = pa.array(values.astype("string[pyarrow]"), type=pa.string())
    valid = pc.match_substring_regex(text, _NUMBER)
    parsed = pc.cast(pc.utf8_trim_whitespace(pc.if_else(valid, text, None)), pa.float64())
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")


def epoch_seconds(values: pd.Series) -> pd.Series:
    """Unix seconds given as text -> float seconds (NaN when not a number)."""
    return numbers(values).astype("float64")


def not_null(column: str):
    return lambda: gxe.ExpectColumnValuesToNotBeNull(column=column)


def in_set(column: str, values: list, **kw):
    return lambda: gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values, **kw)


def between(column: str, low=None, high=None, **kw):
    return lambda: gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, **kw)


def not_future(column: str):
    """A time (Unix seconds) not later than the night's now (`run_now`: `$C360_AS_OF` when
    pinned, else the clock when the batch is checked) plus FUTURE_TOLERANCE."""

    def expectation():
        now = run_now()
        return gxe.ExpectColumnValuesToBeBetween(
            column=column,
            max_value=now.replace(tzinfo=UTC).timestamp() + FUTURE_TOLERANCE.total_seconds(),
            meta={"says": f"later than a day after the night's now ({now:%Y-%m-%d %H:%M:%S} UTC)"},
        )

    return expectation


def readable(time: Time):
    """The typed column of `time` holds a value wherever one is given (everywhere, if required)."""
    meta = {"says": time.says} if time.says else {"column": time.column, "kind": time.kind}
    if time.required:
        return lambda: gxe.ExpectColumnValuesToNotBeNull(column=time.checked, meta=meta)
    return lambda: gxe.ExpectColumnValuesToNotBeNull(
        column=time.checked, row_condition=Column(time.given) == 1, meta=meta
    )


def typed(**derived: tuple[str, Callable[[pd.Series], pd.Series]]) -> dict:
    """Typed `_check_*` columns, each computed from one raw column."""
    return derived
