"""Read the Asterisk PBX's files with dlt: `cdr/Master-YYYYMMDD.csv` (cdr_csv, no header),
`queue_log/queue_log-YYYYMMDD` (pipe-separated events) and `ivr_survey/survey-YYYYMMDD.csv`.

Files grow while the PBX writes them: each run loads only the complete lines added since
the last one (files.FileLedger); a partial last line waits for the next run. Every line is
one record: a malformed line (an unclosed quote too) is quarantined alone with its line
number, and the lines after it load; a file whose text cannot be the company's (the wrong
encoding configured) is quarantined whole. PBX times are local wall-clock: they are
converted to UTC with the configured zone and the raw value is kept beside. Caller numbers
get an E.164 column beside the raw `src`. Files in the three folders that are not the PBX's
daily files are skipped and reported."""

from __future__ import annotations

import codecs
from pathlib import Path

import dlt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.batches import SourceTally, finisher, prepare_batch
from connectors.dlt_runs import LoadPlan, pipeline_for, run_plan
from connectors.files import (
    SCRIPTS,
    FileLedger,
    Lines,
    NewPart,
    Parsed,
    PendingParts,
    expected_script,
    kept_aside,
    read_csv_lines,
    read_text,
    to_utf8,
    undecodable,
    whole_part,
)
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


ENCODING_KEY = "sources.call_center.encoding"


def parse_cdr(utf8: bytes, part: NewPart) -> Parsed:
    return read_csv_lines(utf8, part.already_loaded_lines + 1, part.relative, CDR_COLUMNS)


def parse_queue_log(utf8: bytes, part: NewPart) -> Parsed:
    """Pipe-separated; trailing fields may be missing (kept empty); extra ones are an error.

    By hand because no CSV reader pads short lines and names the long ones (pyarrow's drops
    both kinds, DuckDB's `null_padding` pads but cannot quarantine), but with Arrow's string
    kernels, not a Python loop: at a million customers queue_log holds 15 M lines, and a loop
    over them was two thirds of the call-center load. Raises pyarrow.ArrowInvalid for text
    that is not UTF-8."""
    width = len(QUEUE_LOG_COLUMNS)
    source = Lines(utf8, part.already_loaded_lines + 1)
    at = np.flatnonzero(~source.blank)  # the lines that are records
    lines = (source.text.take(at) if len(at) < source.count else source.text).cast(pa.large_string())
    # each line and 9 more empty fields: a line of 5 to 10 fields has its columns first
    pipes, nothing = pa.scalar("|" * (width - 1), pa.large_string()), pa.scalar("", pa.large_string())
    padded = pc.split_pattern(pc.binary_join_element_wise(lines, pipes, nothing), "|")
    counts = pc.subtract(pc.list_value_length(padded), width - 1)
    fits = np.asarray(pc.and_(pc.greater_equal(counts, 5), pc.less_equal(counts, width)))
    bad = np.flatnonzero(~fits)
    quarantined = [
        kept_aside(
            part.relative, line, f"malformed queue_log line: {count} fields (5 to {width} expected)", source.first + n
        )
        for line, count, n in zip(
            lines.take(bad).to_pylist(), counts.take(bad).to_pylist(), at[bad].tolist(), strict=True
        )
    ]
    padded = padded.filter(pa.array(fits))
    table = pa.table({c: pc.list_element(padded, i).cast(pa.string()) for i, c in enumerate(QUEUE_LOG_COLUMNS)})
    return Parsed(table, pa.array(at[fits] + source.first, pa.int64()), quarantined, source.records)


def parse_ivr(utf8: bytes, part: NewPart, encoding: str = "utf-8") -> Parsed:
    if part.starts_at_beginning:
        newline = utf8.find(b"\n")
        header = utf8 if newline < 0 else utf8[:newline]
        body, first = (b"" if newline < 0 else utf8[newline + 1 :]), 2
    else:
        header, body, first = to_utf8(part.header, encoding), utf8, part.already_loaded_lines + 1
    return read_csv_lines(body, first, part.relative, IVR_COLUMNS, header=header.rstrip(b"\r\n"))


def read_part(name: str, part: NewPart, encoding: str, script: str) -> Parsed:
    """One new part of a PBX file, read; never garbled: a part that does not decode, or whose
    text cannot be the company's, is quarantined whole."""
    first, records = part.already_loaded_lines + 1, part.data
    if name == "ivr_survey" and part.starts_at_beginning:  # its header is no record
        newline = part.data.find(b"\n")
        first, records = 2, b"" if newline < 0 else part.data[newline + 1 :]
    utf8, problem = read_text(part.data, encoding, script, ENCODING_KEY)
    if utf8 is None:
        return whole_part(records, first, part.relative, encoding, problem)
    try:
        if name == "cdr":
            return parse_cdr(utf8, part)
        if name == "queue_log":
            return parse_queue_log(utf8, part)
        return parse_ivr(utf8, part, encoding)
    except pa.ArrowInvalid:  # Arrow says only "invalid UTF8"; the decoder says where
        reason = undecodable(part.data, encoding, ENCODING_KEY)
        if reason is None:
            raise
        return whole_part(records, first, part.relative, encoding, reason)


# stream -> (folder, file pattern, columns, phone columns, local-time columns); a CDR's `dst` is
# the outside number an agent dialled on a call the company placed
STREAMS = {
    "cdr": ("cdr", "Master-*.csv", CDR_COLUMNS, ("src", "dst"), ()),
    "queue_log": ("queue_log", "queue_log-*", QUEUE_LOG_COLUMNS, (), ()),
    "ivr_survey": ("ivr_survey", "survey-*.csv", IVR_COLUMNS, ("caller_number",), ("answered_at",)),
}


def stream_files(root: Path, name: str, log=print) -> tuple[list[Path], dict[str, str]]:
    """The files of one stream, oldest first, and what else is in its folder with why it is
    skipped (relative path -> reason), each reported in the log."""
    sub, pattern = STREAMS[name][:2]
    folder = root / sub
    if not folder.is_dir():
        return [], {}
    files = sorted(p for p in folder.glob(pattern) if p.is_file())
    skipped = {
        f"{sub}/{p.name}": f"not a file of the PBX's {name} (named {pattern})"
        for p in sorted(folder.iterdir())
        if p not in files
    }
    for path, reason in skipped.items():
        log(f"call_center: skipped {path}: {reason}")
    return files, skipped


def _stream_resource(
    name: str, files: list[Path], pbx_zone: str, encoding: str, tally: SourceTally, region: str, script: str, log
):
    sub, _, _, phones, local_times = STREAMS[name]

    @dlt.resource(name=name, table_name=name, write_disposition="append")
    def stream():
        ledger = FileLedger(dlt.current.resource_state())
        counts = tally.table(name)
        pending, parts = PendingParts(), []

        def batch_of_pending():
            tables, origin, lines = pending.take()
            batch = pa.concat_tables(tables)
            for column in local_times:
                batch = batch.append_column(f"{column}_utc", local_to_utc(batch[column], pbx_zone))
            if name == "cdr":
                for column, values in cdr_times_utc(batch, pbx_zone).items():
                    batch = batch.append_column(column, values)
            return prepare_batch("call_center", name, batch, origin, tally, phones, region, lines=lines)

        for path in files:
            part = ledger.new_part(path, f"{sub}/{path.name}", growing=True)
            if part is None or not part.data:
                continue
            parts.append(part)
            pending.add("call_center", part.relative, read_part(name, part, encoding, script), counts, log)
            if pending.rows >= BATCH_ROWS:  # bounded memory on big backlogs
                yield batch_of_pending()
        if pending.tables:
            yield batch_of_pending()
        for part in parts:
            ledger.remember(part)

    return stream


def plan(
    con,
    landing_dir: Path,
    pbx_zone: str,
    encoding: str,
    phone_region: str,
    work_db: Path,
    state_dir: Path,
    log=print,
    script: str | None = None,
) -> LoadPlan:
    """The call-center load. The text of its files is expected in `script` (see files.SCRIPTS;
    where unset, the script of the company's country `phone_region`)."""
    if not landing_dir.is_dir():
        raise SourceError(
            f"call_center: landing folder {landing_dir} does not exist (check sources.call_center.landing_dir)"
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(f"call_center: unknown encoding {encoding!r} (check {ENCODING_KEY})") from None
    script = expected_script(phone_region, script)
    if script not in SCRIPTS:
        known = ", ".join(SCRIPTS)
        raise SourceError(f"call_center: unknown script {script!r} (known: {known}); check sources.call_center.script")
    tally = SourceTally("call_center")
    files = {}
    for name in STREAMS:
        files[name], skipped = stream_files(landing_dir, name, log)
        tally.skipped.update(skipped)

    @dlt.source(name="asterisk")
    def asterisk():
        return [_stream_resource(n, files[n], pbx_zone, encoding, tally, phone_region, script, log) for n in STREAMS]

    return LoadPlan(
        asterisk(), pipeline_for("call_center", work_db, state_dir), finisher(con, tally, list(STREAMS), log)
    )


def load(*args, **kwargs):
    """`plan(...)` run directly with dlt (without Dagster); returns the LoadReport."""
    return run_plan(plan(*args, **kwargs))
