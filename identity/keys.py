"""Stage 1: the night's records with their comparable keys, and which CRM accounts are
persons buying for themselves."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from identity.names import (
    PLACEHOLDER_MAILBOXES,
    address_key,
    company_name_key,
    names_may_be_one_person,
    normalise_email,
    person_name_key,
)
from identity.statements import sql
from identity.working import (
    RECORDS,
    SOURCE_RECORDS,
    distinct,
    register_keys,
    temp_table,
)


def load_records(con: duckdb.DuckDBPyConnection) -> int:
    """The night's records with their comparable keys as temporary table RECORDS, one row per
    record numbered by `position` in (system, table, id) order: names as pinyin/Latin token
    keys, e-mails normalised, company names, cities and addresses keyed. Returns the count."""
    con.execute(sql("keys/raw_records", RECORDS=RECORDS, SOURCE_RECORDS=SOURCE_RECORDS))
    _key_distinct_values(con)
    placeholders = ", ".join(f"'{m}'" for m in sorted(PLACEHOLDER_MAILBOXES))
    con.execute(sql("keys/keyed_records", RECORDS=RECORDS, placeholders=placeholders))
    con.execute(f"drop table {RECORDS}_raw")
    for keys in ("person_names", "company_names", "emails", "cities", "addresses"):
        con.execute(f"drop table identity_run_{keys}")
    return con.execute(f"select count(*) from {RECORDS}").fetchall()[0][0]


def _key_distinct_values(con: duckdb.DuckDBPyConnection) -> None:
    """Each distinct name, e-mail, city and address of the raw records keyed once, as temporary
    tables identity_run_<values> (value, key): a million customers repeat far fewer values."""
    # accounts that may be a person buying for themself are named like a person too
    maybe_person = (
        "record_kind = 'person' or (source_table = 'Account' and domain is null and registration_number is null)"
    )
    register_keys(
        con,
        "identity_run_person_names",
        distinct(con, f"select distinct full_name from {RECORDS}_raw where full_name is not null and ({maybe_person})"),
        person_name_key,
    )
    register_keys(
        con,
        "identity_run_company_names",
        distinct(
            con,
            f"select distinct organization_name from {RECORDS}_raw "
            "where organization_name is not null and record_kind = 'organization'",
        ),
        company_name_key,
    )
    register_keys(
        con,
        "identity_run_emails",
        distinct(con, f"select distinct email from {RECORDS}_raw where email is not null"),
        normalise_email,
    )
    orgs = "record_kind = 'organization'"
    register_keys(
        con,
        "identity_run_cities",
        distinct(con, f"select distinct city from {RECORDS}_raw where city is not null and {orgs}"),
        company_name_key,
    )
    register_keys(
        con,
        "identity_run_addresses",
        distinct(con, f"select distinct address from {RECORDS}_raw where address is not null and {orgs}"),
        address_key,
    )


def mark_person_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """A CRM account of a person buying for themself: no web domain and no registration
    number, named like one of its own contacts, in full and in as many words ("Steven Jackson"
    for the contact "Steve Jackson" or "S. Jackson": identity.names.names_may_be_one_person). It is that person,
    not an organization (its first such contact, in record order, is its contact)."""
    candidates = con.sql(sql("keys/person_account_candidates", RECORDS=RECORDS)).df()
    # as many words on both sides: "John Smith Plumbing" is a sole trader's business, an
    # organization, though its contact is John Smith
    alike = [
        len(a.split()) == len(c.split()) and names_may_be_one_person(a, c)
        for a, c in zip(candidates["account_name"], candidates["contact_name"], strict=True)
    ]
    person_accounts = candidates[np.array(alike, dtype=bool)].drop_duplicates("position")
    temp_table(
        con,
        "identity_run_person_accounts",
        {
            "position": person_accounts["position"].to_numpy(np.int64),
            "crm_contact_id": pa.array(person_accounts["crm_contact_id"].tolist(), pa.string()),
        },
    )
    con.execute(sql("keys/mark_person_accounts", RECORDS=RECORDS))
    con.execute("drop table identity_run_person_accounts")
