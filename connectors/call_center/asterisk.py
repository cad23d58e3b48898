"""Read the Asterisk PBX's files: `cdr/Master-YYYYMMDD.csv` (cdr_csv, no header),
`queue_log/queue_log-YYYYMMDD` (pipe-separated events) and `ivr_survey/survey-YYYYMMDD.csv`.

PBX times are local wall-clock: they are converted to UTC with the configured zone and the
raw value is kept beside. Caller numbers get an E.164 column beside the raw `src`."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from connectors.loader import LoadReport, SourceError, replace_raw_table
from connectors.phones import e164_column

SCHEMA = "raw_call_center"
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


def local_to_utc(values: pa.Array | pa.ChunkedArray, zone: str) -> pa.Array:
    """`YYYY-MM-DD HH:MM:SS` in the PBX zone -> UTC timestamps; empty stays null.
    A wall-clock time that occurs twice at a DST change takes the first occurrence."""
    text = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    naive = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    local = pc.assume_timezone(naive, timezone=zone, ambiguous="earliest", nonexistent="earliest")
    return local.cast(pa.timestamp("s", "UTC"))


def _complete_text(path: Path, encoding: str) -> str:
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as e:
        raise SourceError(
            f"call_center: {path} does not decode as {encoding} (byte {e.start}): check sources.call_center.encoding"
        ) from None
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]  # the PBX is still writing the last line
    return text


def _read_csv(text: str, columns: list[str], header: bool) -> pa.Table:
    return pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=None if header else columns, skip_rows=0),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in columns}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def load(
    con, landing_dir: Path, pbx_zone: str, encoding: str, phone_region: str, load_id: str, log=print
) -> LoadReport:
    if not landing_dir.is_dir():
        raise SourceError(
            f"call_center: landing folder {landing_dir} does not exist (check sources.call_center.landing_dir)"
        )
    report = LoadReport("call_center")

    def gather(sub: str, pattern: str, read) -> tuple[pa.Table | None, pa.Array]:
        parts, origins = [], []
        for path in _files(landing_dir / sub, pattern):
            text = _complete_text(path, encoding)
            if not text:
                continue
            table = read(text, path)
            parts.append(table)
            origins.append(pa.array([f"{sub}/{path.name}"] * table.num_rows, pa.string()))
        if not parts:
            return None, pa.array([], pa.string())
        return pa.concat_tables(parts), pa.chunked_array(origins, pa.string()).combine_chunks()

    def read_cdr(text, path):
        table = _read_csv(text, CDR_COLUMNS, header=False)
        if table.num_columns != len(CDR_COLUMNS):
            raise SourceError(f"call_center: {path} has {table.num_columns} columns, cdr_csv has {len(CDR_COLUMNS)}")
        return table

    cdr, origin = gather("cdr", "Master-*.csv", read_cdr)
    if cdr is None:
        cdr = pa.table({c: pa.array([], pa.string()) for c in CDR_COLUMNS})
    for col in ("start", "answer", "end"):
        cdr = cdr.append_column(f"{col}_utc", local_to_utc(cdr[col], pbx_zone))
    cdr = cdr.append_column("src_e164", e164_column(cdr["src"], phone_region))
    replace_raw_table(con, SCHEMA, "cdr", cdr, load_id, origin, report=report)

    def read_queue_log(text, path):
        fields = [line.split("|") for line in text.splitlines() if line]
        padded = [(f + [""] * len(QUEUE_LOG_COLUMNS))[: len(QUEUE_LOG_COLUMNS)] for f in fields]
        return pa.table({c: pa.array([row[i] for row in padded], pa.string()) for i, c in enumerate(QUEUE_LOG_COLUMNS)})

    queue_log, origin = gather("queue_log", "queue_log-*", read_queue_log)
    if queue_log is None:
        queue_log = pa.table({c: pa.array([], pa.string()) for c in QUEUE_LOG_COLUMNS})
    replace_raw_table(con, SCHEMA, "queue_log", queue_log, load_id, origin, report=report)

    ivr, origin = gather("ivr_survey", "survey-*.csv", lambda text, path: _read_csv(text, IVR_COLUMNS, header=True))
    if ivr is None:
        ivr = pa.table({c: pa.array([], pa.string()) for c in IVR_COLUMNS})
    ivr = ivr.append_column("answered_at_utc", local_to_utc(ivr["answered_at"], pbx_zone))
    ivr = ivr.append_column("caller_number_e164", e164_column(ivr["caller_number"], phone_region))
    replace_raw_table(con, SCHEMA, "ivr_survey", ivr, load_id, origin, report=report)
    log(
        f"call_center: {report.rows['cdr']:,} calls, {report.rows['queue_log']:,} queue events, "
        f"{report.rows['ivr_survey']:,} survey answers"
    )
    return report
