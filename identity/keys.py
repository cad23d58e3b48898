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
    con.execute(
        f"""
        create or replace temp table {RECORDS}_raw as
        select row_number() over (order by source_system, source_table, source_record_id) - 1 as position,
               source_system || '|' || source_table || '|' || source_record_id as record_key,
               * exclude (seen_at)
        from {SOURCE_RECORDS}
        """
    )
    _key_distinct_values(con)
    placeholders = ", ".join(f"'{m}'" for m in sorted(PLACEHOLDER_MAILBOXES))
    con.execute(
        f"""
        create or replace temp table {RECORDS} as
        select
            r.position, r.record_key, r.source_system, r.source_table, r.source_record_id, r.record_kind,
            case when r.record_kind = 'person' then person_names.key else company_names.key end as name_key,
            person_names.key as person_name_key,
            company_names.key as company_key,
            emails.key as email,
            coalesce(split_part(emails.key, '@', 1) in ({placeholders}), false) as is_placeholder_email,
            r.phone_e164, r.phone2_e164, r.crm_account_id, r.crm_contact_id, r.service_organization_id,
            r.domain, r.registration_number, r.city,
            cities.key as city_key,
            addresses.key as address_key,
            false as is_person_account,
            r.first_seen_at  -- what a new id is minted by (identity.graph.stable_ids)
        from {RECORDS}_raw as r
        left join identity_run_person_names as person_names on person_names.value = r.full_name
        left join identity_run_company_names as company_names
            on company_names.value = r.organization_name and r.record_kind = 'organization'
        left join identity_run_emails as emails on emails.value = r.email
        left join identity_run_cities as cities on cities.value = r.city and r.record_kind = 'organization'
        left join identity_run_addresses as addresses
            on addresses.value = r.address and r.record_kind = 'organization'
        """
    )
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
    candidates = con.sql(
        f"""
        select accounts.position, accounts.person_name_key as account_name, contacts.name_key as contact_name,
               contacts.crm_contact_id
        from {RECORDS} as accounts
        inner join {RECORDS} as contacts
            on contacts.source_table = 'Contact' and contacts.crm_account_id = accounts.crm_account_id
        where accounts.source_table = 'Account' and accounts.domain is null and accounts.registration_number is null
          and contains(accounts.person_name_key, ' ') and contacts.name_key is not null
        order by accounts.position, contacts.position
        """
    ).df()
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
    con.execute(
        f"""
        update {RECORDS} set
            is_person_account = true, record_kind = 'person', name_key = {RECORDS}.person_name_key,
            crm_contact_id = person_accounts.crm_contact_id
        from identity_run_person_accounts as person_accounts
        where {RECORDS}.position = person_accounts.position
        """
    )
    con.execute("drop table identity_run_person_accounts")
