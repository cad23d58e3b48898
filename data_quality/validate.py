"""Validate one incoming batch against its contract with Great Expectations (pandas batches:
GX 1.x has no working DuckDB datasource). Returns the rows that pass, the rows to
quarantine with their reasons, and one result per expectation for `ops.quality_results`."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage statistics leave this machine

import great_expectations as gx  # noqa: E402 - after the analytics switch
from great_expectations.execution_engine import pandas_execution_engine  # noqa: E402

# GX fingerprints every in-memory batch under 1 GB by hashing all of it (about 1 s per million
# rows) only to label the batch; each batch here is validated once and labelled by its source
# and origin, so the fingerprint is skipped.
pandas_execution_engine.HASH_THRESHOLD = 0

from data_quality.contract import Contract  # noqa: E402
from data_quality.contracts import CONTRACTS  # noqa: E402

# More bad rows than this share means the batch itself is wrong (shifted columns, wrong file).
MAX_BAD_SHARE = 0.5


class ContractError(ValueError):
    """A batch that breaks its source contract as a whole; the message names source, origin and problem."""


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int


@dataclass
class CheckResult:
    contract: str
    rows_checked: int
    passed: pa.Table
    quarantined: list[dict] = field(default_factory=list)  # {row: raw values, reasons: [...]}
    outcomes: list[ExpectationOutcome] = field(default_factory=list)


_context = None
_batch_definitions: dict[str, object] = {}


def _validator(contract: Contract):
    """One GX ephemeral context per process; one asset, batch definition and suite per contract."""
    global _context
    if _context is None:
        _context = gx.get_context(mode="ephemeral")
        try:
            _context.variables.progress_bars = {"globally": False, "metric_calculations": False}
        except Exception:  # noqa: BLE001 - progress bars are cosmetic
            pass
        _context.data_sources.add_pandas("c360_batches")
    if contract.name not in _batch_definitions:
        asset = _context.data_sources.get("c360_batches").add_dataframe_asset(contract.name)
        _batch_definitions[contract.name] = asset.add_batch_definition_whole_dataframe(f"{contract.name}.batch")
    return _batch_definitions[contract.name]


def _suite(contract: Contract) -> gx.ExpectationSuite:
    # Built per batch: "not in the future" compares with the night's now (c360.clock.run_now).
    return gx.ExpectationSuite(name=contract.name, expectations=[make() for make in contract.rows])


def _columns_checked(suite: gx.ExpectationSuite) -> set[str]:
    """Every column an expectation of the suite names, its row condition included."""
    names: set[str] = set()
    for expectation in suite.expectations:
        for key in ("column", "column_A", "column_B"):
            if getattr(expectation, key, None):
                names.add(getattr(expectation, key))
        condition = getattr(expectation, "row_condition", None)
        column = getattr(getattr(condition, "column", None), "name", None)
        if column:
            names.add(column)
    return names


def _condition(condition) -> str:
    """A GX row condition as it reads: `survey_type_c == 'NPS'`, `a is not null and b != ''`."""
    if not isinstance(condition, dict):
        return str(condition)
    kind = condition.get("type")
    if kind == "comparison":
        return f"{condition['column']['name']} {condition['operator']} {condition['parameter']!r}"
    if kind == "nullity":
        return f"{condition['column']['name']} is {'' if condition['is_null'] else 'not '}null"
    if kind in ("and", "or"):
        return f" {kind} ".join(_condition(c) for c in condition["conditions"])
    return json.dumps(condition, default=str)


def _describe(result) -> tuple[str, str | None, str]:
    config = result.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or (
        f"{kwargs.get('column_A')} >= {kwargs.get('column_B')}" if "column_A" in kwargs else None
    )
    detail = {k: v for k, v in kwargs.items() if k in ("value_set", "min_value", "max_value")}
    if kwargs.get("row_condition"):
        detail["row_condition"] = _condition(kwargs["row_condition"])
    text = f"{config.type}({column}{', ' + json.dumps(detail, default=str) if detail else ''})"
    return config.type, column, text


def _plainly(result, frame: pd.DataFrame, index: int, derived: dict) -> str:
    """What a failed expectation says of one row in words a person reads first ("duration -5 is
    below 0"), naming the source's column rather than the contract's typed copy of it; '' for a
    kind of expectation without wording (its technical form then stands alone)."""
    config = result.expectation_config
    kwargs = config.kwargs

    def named(column: str) -> str:
        return derived[column][0] if column in derived else column

    column = kwargs.get("column")
    value = frame.at[index, column] if column in frame.columns else None
    shown = "" if value is None or (isinstance(value, float) and np.isnan(value)) else f" '{value}'"
    kind = config.type.lower()
    if kind == "expect_column_values_to_not_be_null":
        return f"{named(column)} is empty"
    if kind == "expect_column_values_to_be_in_set":
        return f"{named(column)}{shown} is none of {', '.join(map(str, kwargs['value_set']))}"
    if kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None and high is not None:
            return f"{named(column)}{shown} is not between {low} and {high}"
        return f"{named(column)}{shown} is " + (f"below {low}" if low is not None else f"past {high}")
    if kind == "expect_column_values_to_match_regex":
        return f"{named(column)}{shown} is not in the expected form"
    if kind == "expect_column_values_to_be_unique":
        return f"{named(column)}{shown} appears more than once"
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        relation = "is less than" if kwargs.get("or_equal") else "is not more than"
        return f"{named(kwargs['column_A'])} {relation} {named(kwargs['column_B'])}"
    return ""


def _in_words(meta: dict, frame: pd.DataFrame, index: int) -> str:
    """What a contract says of a failing row beside the expectation (contracts.Time, not_future)."""
    if meta.get("says"):
        return f": {meta['says']}"
    column = meta.get("column")
    if not column:
        return ""
    value = frame.at[index, column] if column in frame.columns else None
    if value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip():
        return f": {column} is empty"
    return f": {column} '{value}' is not a {meta.get('kind', 'value')}"


def check_batch(source: str, table: str, data: pa.Table, origin: str) -> CheckResult:
    """Validate `data` (one batch of `source.table`) against its contract."""
    contract = CONTRACTS.get(f"{source}.{table}")
    if contract is None or data.num_rows == 0:
        return CheckResult(f"{source}.{table}", data.num_rows, data)
    missing = [c for c in contract.required if c not in data.column_names]
    if missing:
        raise ContractError(f"{source}: {origin} ({table}) lacks required column(s) {', '.join(missing)}")
    suite = _suite(contract)
    # Only the columns the contract reads go to pandas and GX: a CDR has 25, its checks read 6.
    derived_from = {source for source, _ in contract.derived.values()}
    read = [c for c in data.column_names if c in derived_from or c in _columns_checked(suite)]
    frame = data.select(read).to_pandas()
    for name, (source, parse) in contract.derived.items():
        # an optional column the source does not deliver reads as empty everywhere
        raw = frame[source] if source in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        frame[name] = parse(raw)
    for column in frame.columns:  # GX compares with naive datetimes
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert(None)
    batch = _validator(contract).get_batch(batch_parameters={"dataframe": frame})
    validation = batch.validate(suite, result_format="COMPLETE")
    reasons: dict[int, list[str]] = {}
    outcomes = []
    for result in validation.results:
        kind, column, text = _describe(result)
        meta = result.expectation_config.meta or {}
        unexpected = result.result.get("unexpected_index_list") or []
        outcomes.append(ExpectationOutcome(kind, column, bool(result.success), len(unexpected)))
        for index in unexpected:
            technical = text + _in_words(meta, frame, int(index))
            plain = _plainly(result, frame, int(index), contract.derived)
            # the words first, for the person reading the quarantine; the check itself after, for the analyst
            reasons.setdefault(int(index), []).append(f"{plain} ({technical})" if plain else technical)
    if reasons and len(reasons) > MAX_BAD_SHARE * data.num_rows and data.num_rows >= 10:
        worst = max(outcomes, key=lambda o: o.unexpected_count)
        raise ContractError(
            f"{source}: {origin} ({table}): {len(reasons):,} of {data.num_rows:,} rows break the contract "
            f"(most often {worst.expectation} on {worst.column}); is this the right file and format?"
        )
    if not reasons:  # the common case: filtering would copy every column of a clean batch
        return CheckResult(contract.name, data.num_rows, data, [], outcomes)
    keep = np.ones(data.num_rows, dtype=bool)
    keep[list(reasons)] = False
    raw = data.take(pa.array(sorted(reasons))).to_pylist()
    quarantined = [{"row": row, "reasons": reasons[i]} for i, row in zip(sorted(reasons), raw, strict=True)]
    return CheckResult(contract.name, data.num_rows, data.filter(pa.array(keep)), quarantined, outcomes)
