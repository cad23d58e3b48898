"""Read the logistics day folders `<root>/YYYY-MM-DD/<file>.csv` in the configured encoding.

Every delivered version of a record is kept in raw with the folder and file it came in;
staging keeps the newest by `updated_at`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from connectors.loader import LoadReport, SourceError, replace_raw_table
from connectors.phones import e164_column

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
PHONE_COLUMNS = {"shipments": "recipient_phone", "installations": "contact_phone"}
DAY_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_drop(path: Path, encoding: str, required: list[str]) -> pa.Table:
    """One file as text columns; raises SourceError naming the file when it does not decode
    or lacks a required column (never loads garbled text)."""
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise SourceError(
            f"logistics: {path} does not decode as {encoding} (byte {e.start}): "
            f"check sources.logistics.encoding or the file"
        ) from None
    text = text.lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(f"logistics: {path} lacks required column(s) {', '.join(missing)}")
    return pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )


def load(con, landing_dir: Path, encoding: str, phone_region: str, load_id: str, log=print) -> LoadReport:
    if not landing_dir.is_dir():
        raise SourceError(
            f"logistics: landing folder {landing_dir} does not exist (check sources.logistics.landing_dir)"
        )
    days = sorted(p for p in landing_dir.iterdir() if p.is_dir() and DAY_FOLDER.match(p.name))
    report = LoadReport("logistics")
    for name, columns in FILES.items():
        parts, origins = [], []
        for day in days:
            path = day / f"{name}.csv"
            if path.is_file():
                table = read_drop(path, encoding, columns)
                parts.append(table)
                origins.append(pa.array([f"{day.name}/{path.name}"] * table.num_rows, pa.string()))
        if parts:
            data = pa.concat_tables(parts, promote_options="permissive")
            origin = pa.chunked_array(origins, pa.string()).combine_chunks()
        else:
            data = pa.table({c: pa.array([], pa.string()) for c in columns})
            origin = pa.array([], pa.string())
        if name in PHONE_COLUMNS:
            data = data.append_column(
                f"{PHONE_COLUMNS[name]}_e164", e164_column(data[PHONE_COLUMNS[name]], phone_region)
            )
        replace_raw_table(con, SCHEMA, name, data, load_id, origin, report=report)
        log(f"logistics: {name}: {report.rows[name]:,} rows from {len(parts)} day folders")
    return report
