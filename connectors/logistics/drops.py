"""Read the logistics day folders `<root>/YYYY-MM-DD/<file>.csv` in the configured encoding,
loaded with dlt (append: every delivered version of a record is kept, with the folder and
file it came in; staging keeps the newest by `updated_at`).

Only new files load: a folder or file delivered twice, or copied under a second date, loads
nothing twice (files.FileLedger, by content hash). A folder whose name is not a date, or a
file that is not one of the four, is skipped and reported with the reason. A file that does
not decode, decodes to text that cannot be the company's, or lacks a required column is
quarantined whole, line by line with the reason; a malformed line is quarantined alone, with
its line number, and every line after it loads; unknown extra columns are kept."""

from __future__ import annotations

import codecs
import csv
import re
from datetime import date
from pathlib import Path

import dlt
import pyarrow as pa

from connectors.batches import SourceTally, finisher, prepare_batch
from connectors.dlt_runs import LoadPlan, pipeline_for, run_plan
from connectors.files import (
    SCRIPTS,
    FileLedger,
    NewPart,
    Parsed,
    PendingParts,
    expected_script,
    read_csv_lines,
    read_text,
    undecodable,
    whole_part,
)
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
KNOWN_FILES = [f"{name}.csv" for name in FILES]
DAY_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BATCH_ROWS = 1_000_000  # rows checked and written at a time
ENCODING_KEY = "sources.logistics.encoding"


def parse_drop(part: NewPart, encoding: str, required: list[str], script: str = "none") -> Parsed:
    """One delivered file -> its rows as text columns, each with its line number, and the lines
    kept aside with the reason. Never loads garbled text: a file that does not decode, or whose
    text cannot be of a company writing `script`, is quarantined whole with its name."""
    data = part.data if part.starts_at_beginning else part.header + part.data
    # the first line of the body (after the header) is this line of the file
    first = (1 if part.starts_at_beginning else part.already_loaded_lines) + 1
    newline = data.find(b"\n")
    raw_body = b"" if newline < 0 else data[newline + 1 :]
    utf8, problem = read_text(data, encoding, script, ENCODING_KEY)
    if utf8 is None:
        return whole_part(raw_body, first, part.relative, encoding, problem)
    newline = utf8.find(b"\n")
    header_line = (utf8 if newline < 0 else utf8[:newline]).rstrip(b"\r")  # not split(): that copies the file
    body = b"" if newline < 0 else utf8[newline + 1 :]
    header = next(csv.reader([header_line.decode("utf-8", errors="replace")]), [])
    missing = [c for c in required if c not in header]
    if missing:
        return whole_part(
            raw_body, first, part.relative, encoding, f"file lacks required column(s) {', '.join(missing)}"
        )
    try:
        return read_csv_lines(body, first, part.relative, header, header=header_line)
    except pa.ArrowInvalid:  # Arrow says only "invalid UTF8"; the decoder says where, for the quarantine reason
        reason = undecodable(data, encoding, ENCODING_KEY)
        if reason is None:
            raise
        return whole_part(raw_body, first, part.relative, encoding, reason)


def day_folders(root: Path, log=print) -> tuple[list[Path], dict[str, str]]:
    """The day folders under `root`, oldest first, and what else is there with why it is
    skipped (relative path -> reason), each reported in the log."""
    days, skipped = [], {}
    for entry in sorted(root.iterdir()):
        if not entry.is_dir():
            skipped[entry.name] = "not a folder: day folders are named YYYY-MM-DD"
        elif not DAY_FOLDER.match(entry.name):
            skipped[entry.name] = "not a day folder: the name is not a date (YYYY-MM-DD)"
        else:
            try:
                date.fromisoformat(entry.name)
            except ValueError:
                skipped[entry.name] = f"not a day folder: {entry.name} is not a calendar date"
                continue
            days.append(entry)
            for file in sorted(entry.iterdir()):
                if file.name not in KNOWN_FILES:
                    skipped[f"{entry.name}/{file.name}"] = f"not one of the drop's files ({', '.join(KNOWN_FILES)})"
    for name, reason in skipped.items():
        log(f"logistics: skipped {name}: {reason}")
    return days, skipped


def _drops_resource(
    name: str, columns: list[str], days: list[Path], encoding: str, tally: SourceTally, region: str, script: str, log
):
    def batch_of(pending: PendingParts):
        tables, origin, lines = pending.take()
        batch = pa.concat_tables(tables, promote_options="permissive")
        return prepare_batch("logistics", name, batch, origin, tally, PHONE_COLUMNS.get(name, ()), region, lines=lines)

    @dlt.resource(name=name, table_name=name, write_disposition="append")
    def drops():
        ledger = FileLedger(dlt.current.resource_state())
        counts = tally.table(name)
        pending, parts = PendingParts(), []
        for day in days:
            path = day / f"{name}.csv"
            if not path.is_file():
                continue
            part = ledger.new_part(path, f"{day.name}/{path.name}", growing=False)
            if part is None:
                continue
            parts.append(part)
            if not part.data:  # this content was loaded before, or is in this load, under another name
                records = max(part.already_loaded_records - 1, 0)  # not the header
                counts.read += records
                counts.already_loaded += records
                tally.skipped[part.relative] = f"the same content as {part.same_as}: loaded once, not again"
                log(f"logistics: {part.relative} has the same content as {part.same_as}: loaded once, not again")
                continue
            pending.add("logistics", part.relative, parse_drop(part, encoding, columns, script), counts, log)
            if pending.rows >= BATCH_ROWS:  # bounded memory on big backlogs
                yield batch_of(pending)
        if pending.tables:
            yield batch_of(pending)
        for part in parts:
            ledger.remember(part)

    return drops


def plan(
    con,
    landing_dir: Path,
    encoding: str,
    phone_region: str,
    work_db: Path,
    state_dir: Path,
    log=print,
    script: str | None = None,
) -> LoadPlan:
    """The logistics load. The text of its files is expected in `script` (see files.SCRIPTS;
    where unset, the script of the company's country `phone_region`)."""
    if not landing_dir.is_dir():
        raise SourceError(
            f"logistics: landing folder {landing_dir} does not exist (check sources.logistics.landing_dir)"
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(f"logistics: unknown encoding {encoding!r} (check {ENCODING_KEY})") from None
    script = expected_script(phone_region, script)
    if script not in SCRIPTS:
        raise SourceError(
            f"logistics: unknown script {script!r} (known: {', '.join(SCRIPTS)}); check sources.logistics.script"
        )
    days, skipped = day_folders(landing_dir, log)
    log(f"logistics: {len(days)} day folders under {landing_dir}")
    tally = SourceTally("logistics")
    tally.skipped.update(skipped)

    @dlt.source(name="logistics_drops")
    def logistics_drops():
        return [_drops_resource(n, c, days, encoding, tally, phone_region, script, log) for n, c in FILES.items()]

    return LoadPlan(
        logistics_drops(), pipeline_for("logistics", work_db, state_dir), finisher(con, tally, list(FILES), log)
    )


def load(*args, **kwargs):
    """`plan(...)` run directly with dlt (without Dagster); returns the LoadReport."""
    return run_plan(plan(*args, **kwargs))
