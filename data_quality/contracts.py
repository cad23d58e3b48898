"""The source contracts: one Great Expectations suite per incoming table (SOURCES.md).

A contract has table-level expectations (required columns) that fail the whole batch, and
row-level ones (keys present, values in their set, numbers in their range, timestamps
parseable and not in the future) whose failing rows are quarantined with the reason.
Raw values arrive as text from files; `derived` adds typed `_check_*` columns so that a
value that does not parse fails its expectation instead of being silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Callable

import great_expectations.expectations as gxe
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from great_expectations.expectations.row_conditions import Column

# A timestamp up to a day ahead is clock skew, not the future.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass
class Contract:
    source: str
    table: str
    required: list[str]
    rows: list[Callable[[], gxe.Expectation]] = field(default_factory=list)
    # name -> (raw column, parser): typed columns the row expectations check
    derived: dict[str, tuple[str, Callable[[pd.Series], pd.Series]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.source}.{self.table}"


def _now_epoch() -> float:
    return datetime.now(UTC).timestamp()


def _epoch_seconds(times: pd.Series) -> pd.Series:
    """Datetimes -> Unix seconds (NaN where missing): GX compares numbers in bulk, but calls
    Python once per row for datetimes."""
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert(None)
    times = pd.to_datetime(times, errors="coerce")
    seconds = (times - pd.Timestamp(0)) / pd.Timedelta(seconds=1)
    return seconds.astype("float64")


def _parse_time_pandas(values: pd.Series) -> pd.Series:
    """ISO 8601 text with an offset or Z -> Unix seconds; unparseable or empty -> NaN."""
    text = values.mask(values == "")
    return _epoch_seconds(pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601"))


# the shape nearly every source writes (`2026-03-01T08:15:00Z`, `...00.000+0000`, `...+08:00`)
_ISO_WITH_ZONE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)$"


def _parse_time(values: pd.Series) -> pd.Series:
    """The same, Arrow casting the text in C++ (pandas parsed it for a fifth of a CRM load's
    time at a million customers). Arrow either reads a stamp as pandas does or refuses the
    batch; then the common shape is cast alone and the rest goes through pandas, so the result
    is always pandas' own."""
    text = pa.array(values.astype("string[pyarrow]"), type=pa.string())
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    try:
        return _epoch_of(_utc_micros(text), values.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    common = pc.fill_null(pc.match_substring_regex(text, _ISO_WITH_ZONE), False)
    try:
        seconds = _epoch_of(_utc_micros(pc.if_else(common, text, None)), values.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _parse_time_pandas(values)
    rest = ~pd.Series(common.to_numpy(zero_copy_only=False), index=values.index)
    if rest.any():
        seconds[rest] = _parse_time_pandas(values[rest])
    return seconds


def _utc_micros(text: pa.Array) -> pa.Array:
    # microseconds: as int64 they are exact in a float64 until the year 2255
    return pc.cast(text, pa.timestamp("us", "UTC"))


def _epoch_of(times: pa.Array, index: pd.Index) -> pd.Series:
    micros = pc.cast(pc.cast(times, pa.int64()), pa.float64())
    return pd.Series(pc.divide(micros, 1e6).to_numpy(zero_copy_only=False), index=index, dtype="float64")


_NUMBER = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"


def _numbers(values: pd.Series) -> pd.Series:
    """Text -> float (NaN where not a number), in Arrow: pandas' to_numeric walks the strings
    in Python and took a quarter of a call-center batch's check."""
    text = pa.array(values.astype("string[pyarrow]"), type=pa.string())
    valid = pc.match_substring_regex(text, _NUMBER)
    numbers = pc.cast(pc.utf8_trim_whitespace(pc.if_else(valid, text, None)), pa.float64())
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")


def _seconds(values: pd.Series) -> pd.Series:
    """Unix seconds given as text -> float seconds (NaN when not a number)."""
    return _numbers(values).astype("float64")


def _day(values: pd.Series) -> pd.Series:
    """`YYYY-MM-DD` -> Unix seconds of its midnight (NaN when not a date)."""
    return _epoch_seconds(pd.to_datetime(values.mask(values == ""), errors="coerce", format="%Y-%m-%d"))


def not_null(column: str):
    return lambda: gxe.ExpectColumnValuesToNotBeNull(column=column)


def in_set(column: str, values: list, **kw):
    return lambda: gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values, **kw)


def between(column: str, low=None, high=None, **kw):
    return lambda: gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, **kw)


def not_future(column: str):
    """A time (Unix seconds) not in the future, against the clock at validation."""
    return lambda: gxe.ExpectColumnValuesToBeBetween(
        column=column, max_value=_now_epoch() + FUTURE_TOLERANCE.total_seconds()
    )


def _with(**derived: tuple[str, Callable[[pd.Series], pd.Series]]) -> dict:
    """Typed `_check_*` columns, each computed from one raw column."""
    return derived


SF_COMMON = ["id", "created_date", "last_modified_date", "system_modstamp", "is_deleted"]


def _sales(table: str, extra_required: list[str], rows=None) -> Contract:
    return Contract(
        "sales",
        table,
        SF_COMMON + extra_required,
        [not_null("id"), not_null("_check_modstamp"), not_future("_check_modstamp"), *(rows or [])],
        _with(_check_modstamp=("system_modstamp", _parse_time)),
    )


CONTRACTS: dict[str, Contract] = {
    c.name: c
    for c in [
        _sales("account", ["name"]),
        _sales("contact", ["account_id", "last_name"]),
        _sales("lead", ["last_name", "is_converted"]),
        _sales("opportunity", ["account_id", "stage_name"]),
        _sales("opportunity_contact_role", ["opportunity_id", "contact_id"]),
        _sales("product2", ["product_code"]),
        _sales("order", ["account_id", "order_number", "total_amount"], [between("total_amount", 0)]),
        _sales("order_item", ["order_id", "product2_id", "quantity"], [between("quantity", 0)]),
        _sales("task", ["subject"]),
        _sales("user", ["name"]),
        _sales(
            "survey_response_c",
            ["survey_type_c", "score_c"],
            [
                in_set("survey_type_c", ["NPS", "CES"]),
                between("score_c", 0, 10, row_condition=Column("survey_type_c") == "NPS"),
                between("score_c", 1, 7, row_condition=Column("survey_type_c") == "CES"),
            ],
        ),
        Contract(
            "service",
            "tickets",
            ["id", "created_at", "updated_at", "status", "requester_id"],
            [
                not_null("id"),
                in_set("status", ["new", "open", "pending", "hold", "solved", "closed", "deleted"]),
                not_null("_check_created"),
                not_future("_check_created"),
            ],
            _with(_check_created=("created_at", _parse_time)),
        ),
        Contract(
            "service",
            "users",
            ["id", "name", "role"],
            [not_null("id"), in_set("role", ["end-user", "agent", "admin"])],
        ),
        Contract("service", "organizations", ["id", "name"], [not_null("id")]),
        Contract(
            "service",
            "ticket_events",
            ["id", "ticket_id", "created_at", "child_events"],
            [not_null("id"), not_null("ticket_id"), not_null("_check_created"), not_future("_check_created")],
            _with(_check_created=("created_at", _parse_time)),
        ),
        Contract(
            "service",
            "satisfaction_ratings",
            ["id", "ticket_id", "score", "created_at"],
            [not_null("id"), in_set("score", ["good", "bad", "offered", "unoffered"])],
        ),
        Contract(
            "logistics",
            "shipments",
            ["shipment_id", "order_number", "promised_delivery_date", "status", "updated_at"],
            [
                not_null("shipment_id"),
                not_null("_check_updated"),
                not_future("_check_updated"),
                not_null("_check_promised"),
            ],
            _with(
                _check_updated=("updated_at", _parse_time),
                _check_promised=("promised_delivery_date", _day),
            ),
        ),
        Contract(
            "logistics",
            "packing_list",
            ["shipment_id", "line_no", "sku", "quantity"],
            [not_null("shipment_id"), not_null("sku"), between("_check_quantity", 0, strict_min=True)],
            _with(_check_quantity=("quantity", _numbers)),
        ),
        Contract(
            "logistics",
            "tracking_events",
            ["tracking_number", "event_time", "event_code"],
            [
                not_null("tracking_number"),
                in_set("event_code", ["PU", "IT", "OD", "DL", "EX", "RT"]),
                not_null("_check_time"),
                not_future("_check_time"),
            ],
            _with(_check_time=("event_time", _parse_time)),
        ),
        Contract(
            "logistics",
            "installations",
            ["work_order_id", "order_number", "promised_by_date", "status", "updated_at"],
            [
                not_null("work_order_id"),
                in_set("status", ["scheduled", "in_progress", "completed", "cancelled"]),
                not_null("_check_updated"),
                not_future("_check_updated"),
            ],
            _with(_check_updated=("updated_at", _parse_time)),
        ),
        Contract(
            "call_center",
            "cdr",
            ["src", "start", "duration", "billsec", "disposition", "uniqueid"],
            [
                not_null("uniqueid"),
                in_set("disposition", ["ANSWERED", "NO ANSWER", "BUSY", "FAILED"]),
                between("_check_duration", 0),
                between("_check_billsec", 0),
                lambda: gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="_check_duration", column_B="_check_billsec", or_equal=True
                ),
                not_null("_check_start"),
                not_future("_check_start"),
            ],
            _with(
                _check_duration=("duration", _numbers),
                _check_start=("start_utc", _epoch_seconds),
                _check_billsec=("billsec", _numbers),
            ),
        ),
        Contract(
            "call_center",
            "queue_log",
            ["epoch", "uniqueid", "queuename", "agent", "event"],
            [not_null("_check_time"), not_future("_check_time"), not_null("event")],
            _with(_check_time=("epoch", _seconds)),
        ),
        Contract(
            "call_center",
            "ivr_survey",
            ["uniqueid", "caller_number", "question", "score", "answered_at"],
            [
                not_null("uniqueid"),
                in_set("question", ["csat", "fcr"]),
                between("_check_score", 1, 5, row_condition=Column("question") == "csat"),
                between("_check_score", 0, 1, row_condition=Column("question") == "fcr"),
                not_null("_check_answered"),
                not_future("_check_answered"),
            ],
            _with(
                _check_score=("score", _numbers),
                _check_answered=("answered_at_utc", _epoch_seconds),
            ),
        ),
    ]
}
