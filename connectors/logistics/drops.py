"""Read the logistics day folders `<root>/YYYY-MM-DD/<file>.csv` in the configured encoding,
loaded with dlt (append: every delivered version of a record is kept, with the folder and
file it came in; staging keeps the newest by `updated_at`).

Only new files load: a folder or file delivered twice loads nothing twice (files.FileLedger).
A file that does not decode, or lacks a required column, is quarantined whole, line by line
with the reason; a malformed row is quarantined alone; unknown extra columns are kept."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import dlt
import pyarrow as pa
import pyarrow.csv as pacsv

from connectors.batches import SourceTally, finisher, prepare_batch, repeated
from connectors.dlt_runs import LoadPlan, pipeline_for, run_plan
from connectors.files import FileLedger, NewPart
from connectors.loader import SourceError

SCHEMA = "raw_logistics"

FILES = {
    "shipments": [
        "shipment_id",
        "order_number",
        "carrier",
        "tracking_number",
        "ship_date",
        "promised_delivery_date",
        "recipient_name",
        "recipient_phone",
        "ship_to_address",
        "ship_to_city",
        "ship_to_postal_code",
        "status",
        "updated_at",
    ],
    "packing_list": ["shipment_id", "line_no", "sku", "description", "quantity", "serial_numbers"],
    "tracking_events": ["tracking_number", "event_time", "event_code", "location", "signed_by", "remark"],
    "installations": [
        "work_order_id",
        "order_number",
        "site_name",
        "site_address",
        "contact_name",
        "contact_phone",
        "scheduled_date",
        "promised_by_date",
        "completed_at",
        "status",
        "technician",
        "acceptance_signed_by",
        "notes",
        "updated_at",
    ],
}
PHONE_COLUMNS = {"shipments": ("recipient_phone",), "installations": ("contact_phone",)}
DAY_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BATCH_ROWS = 1_000_000  # rows checked and written at a time


def _quarantine_lines(data: bytes, relative: str, encoding: str, reason: str, skip_header: bool) -> list[dict]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if skip_header and lines:
        lines = lines[1:]
    return [
        {
            "row": {"_c360_source": relative, "line": line.decode(encoding, errors="backslashreplace")},
            "reasons": [reason],
        }
        for line in lines
    ]


def _utf8_of(data: bytes, encoding: str) -> bytes:
    """The file as UTF-8 without a byte-order mark. UTF-8 as delivered is not decoded here:
    Arrow's CSV reader checks it as it parses (a second check costs ~0.2 s a million rows).
    Raises UnicodeDecodeError for text that is not in `encoding`."""
    if encoding.lower().replace("-", "").replace("_", "") == "utf8":
        return data.removeprefix(b"\xef\xbb\xbf")
    return data.decode(encoding).lstrip("\ufeff").encode("utf-8")


def _undecodable(data: bytes, relative: str, encoding: str, error: UnicodeDecodeError) -> list[dict]:
    return _quarantine_lines(
        data,
        relative,
        "latin-1",
        f"file does not decode as {encoding} (byte {error.start}); check sources.logistics.encoding",
        skip_header=True,
    )


def parse_drop(part: NewPart, encoding: str, required: list[str]) -> tuple[pa.Table | None, list[dict], int]:
    """One delivered file -> (text columns, quarantined rows, rows read). Never loads
    garbled text: a file that does not decode is quarantined whole with its name."""
    data = part.data if part.starts_at_beginning else part.header + part.data
    try:
        utf8 = _utf8_of(data, encoding)
    except UnicodeDecodeError as e:
        bad = _undecodable(data, part.relative, encoding, e)
        return None, bad, len(bad)
    newline = utf8.find(b"\n")
    first_line = utf8 if newline < 0 else utf8[:newline]  # not split(): that copies the whole file
    header = next(csv.reader([first_line.decode("utf-8", errors="replace")]), [])
    missing = [c for c in required if c not in header]
    if missing:
        bad = _quarantine_lines(
            data, part.relative, encoding, f"file lacks required column(s) {', '.join(missing)}", skip_header=True
        )
        return None, bad, len(bad)
    malformed: list[dict] = []

    def keep_aside(row) -> str:
        malformed.append(
            {
                "row": {"_c360_source": part.relative, "line": row.text},
                "reasons": [f"malformed CSV row: expected {row.expected_columns} fields, got {row.actual_columns}"],
            }
        )
        return "skip"

    # a file without a quote cannot hold a newline inside a value, so Arrow may split it and
    # parse in parallel
    try:
        table = pacsv.read_csv(
            io.BytesIO(utf8),
            parse_options=pacsv.ParseOptions(invalid_row_handler=keep_aside, newlines_in_values=b'"' in utf8),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        try:  # Arrow says only "invalid UTF8"; the decoder says where, for the quarantine reason
            data.decode(encoding)
        except UnicodeDecodeError as e:
            bad = _undecodable(data, part.relative, encoding, e)
            return None, bad, len(bad)
        raise
    return table, malformed, table.num_rows + len(malformed)


def _drops_resource(
    name: str, columns: list[str], days: list[Path], root: Path, encoding: str, tally: SourceTally, region: str
):
    def batch_of(tables, origins):
        batch = pa.concat_tables(tables, promote_options="permissive")
        return prepare_batch(
            "logistics", name, batch, pa.concat_arrays(origins), tally, PHONE_COLUMNS.get(name, ()), region
        )

    @dlt.resource(name=name, table_name=name, write_disposition="append")
    def drops():
        ledger = FileLedger(dlt.current.resource_state())
        counts = tally.table(name)
        tables, origins, parts = [], [], []
        for day in days:
            path = day / f"{name}.csv"
            if not path.is_file():
                continue
            part = ledger.new_part(path, f"{day.name}/{path.name}", growing=False)
            if part is None:
                continue
            parts.append(part)
            if not part.data:  # this content was loaded before under another name
                counts.read += max(part.already_loaded_lines - 1, 0)
                counts.already_loaded += max(part.already_loaded_lines - 1, 0)
                continue
            table, quarantined, rows = parse_drop(part, encoding, columns)
            counts.read += rows
            counts.quarantined += quarantined
            if table is not None and table.num_rows:
                tables.append(table)
                origins.append(repeated(part.relative, table.num_rows))
            if sum(t.num_rows for t in tables) >= BATCH_ROWS:  # bounded memory on big backlogs
                yield batch_of(tables, origins)
                tables, origins = [], []
        if tables:
            yield batch_of(tables, origins)
        for part in parts:
            ledger.remember(part)

    return drops


def plan(
    con, landing_dir: Path, encoding: str, phone_region: str, work_db: Path, state_dir: Path, log=print
) -> LoadPlan:
    if not landing_dir.is_dir():
        raise SourceError(
            f"logistics: landing folder {landing_dir} does not exist (check sources.logistics.landing_dir)"
        )
    days = sorted(p for p in landing_dir.iterdir() if p.is_dir() and DAY_FOLDER.match(p.name))
    log(f"logistics: {len(days)} day folders under {landing_dir}")
    tally = SourceTally("logistics")

    @dlt.source(name="logistics_drops")
    def logistics_drops():
        return [_drops_resource(n, c, days, landing_dir, encoding, tally, phone_region) for n, c in FILES.items()]

    return LoadPlan(
        logistics_drops(), pipeline_for("logistics", work_db, state_dir), finisher(con, tally, list(FILES), log)
    )


def load(*args, **kwargs):
    """`plan(...)` run directly with dlt (without Dagster); returns the LoadReport."""
    return run_plan(plan(*args, **kwargs))
