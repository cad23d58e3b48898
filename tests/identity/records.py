"""Hand-made identity records, shaped like intermediate.int_identity__source_records."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

COLUMNS = {
    "source_system": "varchar",
    "source_table": "varchar",
    "source_record_id": "varchar",
    "record_kind": "varchar",
    "full_name": "varchar",
    "email": "varchar",
    "phone_e164": "varchar",
    "phone2_e164": "varchar",
    "crm_account_id": "varchar",
    "crm_contact_id": "varchar",
    "service_organization_id": "bigint",
    "domain": "varchar",
    "organization_name": "varchar",
    "city": "varchar",
    "registration_number": "varchar",
    "address": "varchar",
    "seen_at": "timestamp",
    "first_seen_at": "timestamp",
}
TABLE_SYSTEM = {
    "Account": ("sales", "organization"),
    "Contact": ("sales", "person"),
    "Lead": ("sales", "person"),
    "organizations": ("service", "organization"),
    "users": ("service", "person"),
    "shipments": ("logistics", "person"),
    "installations": ("logistics", "person"),
    "cdr": ("call_center", "person"),
}


def record(table: str, record_id: str, **values) -> dict:
    system, kind = TABLE_SYSTEM[table]
    row = {column: None for column in COLUMNS}
    row.update(
        source_system=system,
        source_table=table,
        source_record_id=record_id,
        record_kind=kind,
        seen_at=datetime(2026, 1, 1),
        first_seen_at=datetime(2026, 1, 1),
    )
    row.update(values)
    return row


def account(record_id: str, name: str, **values) -> dict:
    return record("Account", record_id, full_name=name, organization_name=name, crm_account_id=record_id, **values)


def contact(record_id: str, account_id: str, name: str, **values) -> dict:
    return record("Contact", record_id, full_name=name, crm_account_id=account_id, crm_contact_id=record_id, **values)


def call(record_id: str, phone: str) -> dict:
    return record("cdr", record_id, phone_e164=phone)


def warehouse(rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding just these records where resolution reads them."""
    con = duckdb.connect()
    con.execute("create schema intermediate")
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    con.register("rows_frame", frame)
    casts = ", ".join(f"cast({c} as {t}) as {c}" for c, t in COLUMNS.items())
    con.execute(f"create table intermediate.int_identity__source_records as select {casts} from rows_frame")
    con.unregister("rows_frame")
    return con


def replace_records(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Tomorrow's records: the same warehouse, identity tables kept."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    con.register("rows_frame", frame)
    casts = ", ".join(f"cast({c} as {t}) as {c}" for c, t in COLUMNS.items())
    con.execute(f"create or replace table intermediate.int_identity__source_records as select {casts} from rows_frame")
    con.unregister("rows_frame")


def resolved(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """source_record_id -> the resolved row."""
    rows = con.sql("select * from identity.resolved_records").df()
    return {r["source_record_id"]: r for r in rows.to_dict("records")}
