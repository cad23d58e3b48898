"""Read the Asterisk PBX's files with dlt: `cdr/Master-YYYYMMDD.csv` (cdr_csv, no header),
`queue_log/queue_log-YYYYMMDD` (pipe-separated events) and `ivr_survey/survey-YYYYMMDD.csv`.

Files grow while the PBX writes them: each run loads only the complete lines added since
the last one (files.FileLedger); a partial last line waits for the next run. PBX times are
local wall-clock: they are converted to UTC with the configured zone and the raw value is
kept beside. Caller numbers get an E.164 column beside the raw `src`."""

from __future__ import annotations

import io
from pathlib import Path

import dlt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from connectors.batches import SourceTally, finisher, prepare_batch, repeated
from connectors.dlt_runs import LoadPlan, pipeline_for, run_plan
from connectors.files import FileLedger, NewPart
from connectors.loader import SourceError

SCHEMA = "raw_call_center"
BATCH_ROWS = 1_000_000  # rows checked and handed to dlt at a time

CDR_COLUMNS = [
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
]
QUEUE_LOG_COLUMNS = ["epoch", "uniqueid", "queuename", "agent", "event", "data1", "data2", "data3", "data4", "data5"]
IVR_COLUMNS = ["uniqueid", "caller_number", "question", "score", "answered_at"]


def local_to_utc(values: pa.Array | pa.ChunkedArray, zone: str, ambiguous: str = "earliest") -> pa.Array:
    """`YYYY-MM-DD HH:MM:SS` in the PBX zone -> UTC timestamps; empty stays null. A wall-clock
    time that does not exist (spring forward) is read as just after the gap."""
    text = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    naive = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    local = pc.assume_timezone(naive, timezone=zone, ambiguous=ambiguous, nonexistent="latest")
    return local.cast(pa.timestamp("us", "UTC"))


def _int_or_null(values) -> pa.Array:
    """Digits -> int64; anything else -> null (the contract then quarantines the row)."""
    digits = pc.match_substring_regex(values, r"^[0-9]+$")
    return pc.cast(pc.if_else(digits, values, pa.scalar(None, pa.string())), pa.int64())


def cdr_times_utc(cdr: pa.Table, zone: str) -> dict[str, pa.Array]:
    """start/answer/end of each call in UTC, exact across DST changes. A start time that the
    fall-back hour makes ambiguous is settled by the uniqueid, whose integer part is the
    Unix time Asterisk created the channel; end = start + duration and answer = end -
    billsec, so a call that spans the change keeps its true length."""
    earliest = local_to_utc(cdr["start"], zone, "earliest")
    latest = local_to_utc(cdr["start"], zone, "latest")
    created = pc.cast(
        pc.multiply(_int_or_null(pc.utf8_slice_codeunits(cdr["uniqueid"], 0, 10)), 1_000_000), pa.timestamp("us", "UTC")
    )
    latest_is_closer = pc.less(pc.abs(pc.subtract(latest, created)), pc.abs(pc.subtract(earliest, created)))
    start = pc.if_else(pc.fill_null(latest_is_closer, False), latest, earliest)
    duration = pc.cast(pc.multiply(_int_or_null(cdr["duration"]), 1_000_000), pa.duration("us"))
    billsec = pc.cast(pc.multiply(_int_or_null(cdr["billsec"]), 1_000_000), pa.duration("us"))
    end = pc.add(start, duration)
    answered = pc.not_equal(cdr["answer"], "")
    answer = pc.if_else(answered, pc.subtract(end, billsec), pa.scalar(None, pa.timestamp("us", "UTC")))
    return {"start_utc": start, "answer_utc": answer, "end_utc": end}


def _decode(part: NewPart, encoding: str, sub: str) -> tuple[str | None, list[dict]]:
    data = part.data
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError as e:
        lines = [line for line in data.split(b"\n") if line]
        reason = f"file does not decode as {encoding} (byte {e.start}); check sources.call_center.encoding"
        return None, [
            {"row": {"_c360_source": part.relative, "line": line.decode("latin-1")}, "reasons": [reason]}
            for line in lines
        ]


def _csv(text: str, columns: list[str], header: bool, relative: str, malformed: list[dict]) -> pa.Table:
    def keep_aside(row) -> str:
        malformed.append(
            {
                "row": {"_c360_source": relative, "line": row.text},
                "reasons": [f"malformed line: expected {row.expected_columns} fields, got {row.actual_columns}"],
            }
        )
        return "skip"

    return pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=None if header else columns),
        parse_options=pacsv.ParseOptions(invalid_row_handler=keep_aside),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in columns}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )


def parse_cdr(text: str, part: NewPart, malformed: list[dict]) -> pa.Table:
    return _csv(text, CDR_COLUMNS, False, part.relative, malformed)


def parse_queue_log(text: str, part: NewPart, malformed: list[dict]) -> pa.Table:
    """Pipe-separated; trailing fields may be missing (kept empty); extra ones are an error.

    By hand because no CSV reader pads short lines and names the long ones (pyarrow's drops
    both kinds, DuckDB's `null_padding` pads but cannot quarantine), but with Arrow's string
    kernels, not a Python loop: at a million customers queue_log holds 15 M lines, and a loop
    over them was two thirds of the call-center load."""
    width = len(QUEUE_LOG_COLUMNS)
    # (Arrow takes encoded bytes several times faster than a Python str)
    whole = pa.array([text.encode("utf-8")], pa.large_binary()).cast(pa.large_string())
    lines = pc.split_pattern(whole, "\n").flatten()
    lines = pc.utf8_rtrim(lines, "\r")  # CRLF files
    lines = lines.filter(pc.not_equal(lines, ""))
    # each line and 9 more empty fields: a line of 5 to 10 fields has its columns first
    pipes, nothing = pa.scalar("|" * (width - 1), pa.large_string()), pa.scalar("", pa.large_string())
    padded = pc.split_pattern(pc.binary_join_element_wise(lines, pipes, nothing), "|")
    counts = pc.subtract(pc.list_value_length(padded), width - 1)
    fits = pc.and_(pc.greater_equal(counts, 5), pc.less_equal(counts, width))
    for line, count in zip(
        lines.filter(pc.invert(fits)).to_pylist(), counts.filter(pc.invert(fits)).to_pylist(), strict=True
    ):
        malformed.append(
            {
                "row": {"_c360_source": part.relative, "line": line},
                "reasons": [f"malformed queue_log line: {count} fields (5 to {width} expected)"],
            }
        )
    padded = padded.filter(fits)
    return pa.table({c: pc.list_element(padded, i).cast(pa.string()) for i, c in enumerate(QUEUE_LOG_COLUMNS)})


def parse_ivr(text: str, part: NewPart, malformed: list[dict]) -> pa.Table:
    if not part.starts_at_beginning:
        text = part.header.decode("utf-8", errors="replace") + text
    return _csv(text, IVR_COLUMNS, True, part.relative, malformed)


# stream -> (folder, file pattern, parser, columns, phone column, local-time columns)
STREAMS = {
    "cdr": ("cdr", "Master-*.csv", parse_cdr, CDR_COLUMNS, "src", ()),
    "queue_log": ("queue_log", "queue_log-*", parse_queue_log, QUEUE_LOG_COLUMNS, None, ()),
    "ivr_survey": ("ivr_survey", "survey-*.csv", parse_ivr, IVR_COLUMNS, "caller_number", ("answered_at",)),
}


def _stream_resource(name: str, root: Path, pbx_zone: str, encoding: str, tally: SourceTally, region: str):
    sub, pattern, parse, columns, phone, local_times = STREAMS[name]

    @dlt.resource(name=name, table_name=name, write_disposition="append")
    def stream():
        ledger = FileLedger(dlt.current.resource_state())
        counts = tally.table(name)
        tables, origins, parts = [], [], []

        def batch_of_pending():
            batch = pa.concat_tables(tables)
            for column in local_times:
                batch = batch.append_column(f"{column}_utc", local_to_utc(batch[column], pbx_zone))
            if name == "cdr":
                for column, values in cdr_times_utc(batch, pbx_zone).items():
                    batch = batch.append_column(column, values)
            return prepare_batch(
                "call_center", name, batch, pa.concat_arrays(origins), tally, (phone,) if phone else (), region
            )

        folder = root / sub
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            part = ledger.new_part(path, f"{sub}/{path.name}", growing=True)
            if part is None or not part.data:
                continue
            parts.append(part)
            text, bad = _decode(part, encoding, sub)
            malformed: list[dict] = []
            table = parse(text, part, malformed) if text is not None else None
            bad += malformed
            counts.quarantined += bad
            counts.read += len(bad) + (table.num_rows if table is not None else 0)
            if table is not None and table.num_rows:
                tables.append(table)
                origins.append(repeated(part.relative, table.num_rows))
            if sum(t.num_rows for t in tables) >= BATCH_ROWS:  # bounded memory on big backlogs
                yield batch_of_pending()
                tables, origins = [], []
        if tables:
            yield batch_of_pending()
        for part in parts:
            ledger.remember(part)

    return stream


def plan(
    con, landing_dir: Path, pbx_zone: str, encoding: str, phone_region: str, work_db: Path, state_dir: Path, log=print
) -> LoadPlan:
    if not landing_dir.is_dir():
        raise SourceError(
            f"call_center: landing folder {landing_dir} does not exist (check sources.call_center.landing_dir)"
        )
    tally = SourceTally("call_center")

    @dlt.source(name="asterisk")
    def asterisk():
        return [_stream_resource(n, landing_dir, pbx_zone, encoding, tally, phone_region) for n in STREAMS]

    return LoadPlan(
        asterisk(), pipeline_for("call_center", work_db, state_dir), finisher(con, tally, list(STREAMS), log)
    )


def load(*args, **kwargs):
    """`plan(...)` run directly with dlt (without Dagster); returns the LoadReport."""
    return run_plan(plan(*args, **kwargs))
