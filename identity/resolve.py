"""One night's identity resolution on the working warehouse.

Reads `intermediate.int_identity__source_records` (built by dbt), decides which records are
one organization and which are one person, turns that into customers, keeps last night's
ids stable, and writes schema `identity`:

- `resolved_records`: one row per source record with customer_id, person_id, customer_type,
  match_method and match_probability (the marts read this);
- `assignments`: the ids each record had after the last run (next night's starting point);
- `customer_id_history`: every id retired by a merge or split off, pointing to its successor;
- `shared_identifiers`: phones and e-mails several people use, never used to merge persons;
- `match_runs`: per run and level the records, compared pairs, links and the splink model.

The order of the rules (strongest first) is written in DECISIONLOG.md.

Where the work is done: a company of a million customers has some twenty million records,
most of them persons (each shipment, installation and call is one). Every step that touches
each record is SQL in the warehouse's DuckDB (temporary tables, which spill to disk), and
Python holds only what is small or must be Python: the keys of the distinct names (pypinyin),
the organizations (a tenth of the records), splink's nodes (the distinct spellings of
persons), and the links as integer arrays for the connected components (scipy).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from c360.clock import run_now
from identity.graph import components, stable_ids
from identity.matching import match
from identity.names import (
    PLACEHOLDER_MAILBOXES,
    NameOnIdentifier,
    address_key,
    company_name_key,
    names_may_be_one_person,
    normalise_email,
    people_among,
    person_name_key,
)

SOURCE_RECORDS = "intermediate.int_identity__source_records"
# how strongly each way of joining a cluster binds, best first
METHOD_RANK = [
    "crm_key",
    "email",
    "phone",
    "name_in_organization",
    "probabilistic",
    "service_organization",
    "email_domain",
    "switchboard",
    "unmatched",
]
RANK = {method: rank for rank, method in enumerate(METHOD_RANK)}
# below this many distinct values, starting worker processes costs more than it saves
PARALLEL_KEYS_FROM = 200_000
# the temporary tables of one resolution, on the warehouse connection
RECORDS = "identity_run_records"
PERSONS = "identity_run_persons"


@dataclass(frozen=True)
class IdentitySettings:
    person_match_threshold: float = 0.95
    organization_match_threshold: float = 0.95
    # a phone or e-mail carried by records of more distinct people than this is no person key
    max_people_per_identifier: int = 1

    @classmethod
    def from_config(cls, section: dict | None) -> IdentitySettings:
        section = section or {}
        return cls(
            person_match_threshold=float(section.get("person_match_threshold", cls.person_match_threshold)),
            organization_match_threshold=float(
                section.get("organization_match_threshold", cls.organization_match_threshold)
            ),
            max_people_per_identifier=int(section.get("max_people_per_identifier", cls.max_people_per_identifier)),
        )


@dataclass
class ResolutionSummary:
    records: int = 0
    customers: int = 0
    persons: int = 0
    organizations: int = 0
    unidentified_customers: int = 0
    shared_identifiers: int = 0
    pairs_compared: dict[str, int] = field(default_factory=dict)
    probabilistic_links: dict[str, int] = field(default_factory=dict)
    merges: int = 0
    splits: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        pairs = ", ".join(f"{k} {v:,}" for k, v in self.pairs_compared.items())
        return [
            f"identity: {self.records:,} records → {self.customers:,} customers "
            f"({self.organizations:,} organizations, {self.unidentified_customers:,} unidentified), "
            f"{self.persons:,} persons in {self.seconds:.1f} s",
            f"identity: compared pairs {pairs}; {self.shared_identifiers:,} shared identifiers not used; "
            f"{self.merges:,} ids merged, {self.splits:,} split since last run",
        ]


def _links(groups: pd.Series, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Chain the records of each group value together (first record – every other)."""
    frame = pd.DataFrame({"group": groups.values, "node": index.values}).dropna(subset=["group"])
    first = frame.groupby("group")["node"].transform("min")
    keep = frame["node"] != first
    return first[keep].to_numpy(np.int64), frame.loc[keep, "node"].to_numpy(np.int64)


class _Edges:
    """Links between record positions, each with the rule that made it."""

    def __init__(self) -> None:
        self.left: list[np.ndarray] = []
        self.right: list[np.ndarray] = []
        self.method: list[np.ndarray] = []
        self.probability: list[np.ndarray] = []

    def add(self, left, right, method: str, probability=None) -> None:
        left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
        self.left.append(left)
        self.right.append(right)
        self.method.append(np.full(len(left), RANK[method], dtype=np.int8))
        p = np.ones(len(left)) if probability is None else np.asarray(probability, dtype=float)
        self.probability.append(p)

    def add_groups(self, groups: pd.Series, method: str) -> None:
        self.add(*_links(groups, groups.index), method)

    def add_query(self, con: duckdb.DuckDBPyConnection, sql: str, method: str) -> None:
        """The links a query returns as (l, r) pairs of positions."""
        table = con.sql(sql).to_arrow_table()
        self.add(table["l"].to_numpy(), table["r"].to_numpy(), method)

    def arrays(self):
        if not self.left:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int8), np.zeros(0)
        return (
            np.concatenate(self.left),
            np.concatenate(self.right),
            np.concatenate(self.method),
            np.concatenate(self.probability),
        )


def _group_links_sql(table: str, position: str, value: str, where: str = "true") -> str:
    """SQL for _links: per value of `value`, its first `position` linked to every other."""
    return f"""
        select l, r from (
            select min({position}) over (partition by {value}) as l, {position} as r
            from {table} where {value} is not null and ({where})
        ) where l <> r
    """


def _temp_table(con, name: str, columns: dict) -> None:
    """A temporary table of these columns; NaN in a float column is null (a missing probability)."""
    arrays = {k: v if isinstance(v, pa.Array) else pa.array(v, from_pandas=True) for k, v in columns.items()}
    con.register(f"{name}_frame", pa.table(arrays))
    con.execute(f"create or replace temp table {name} as select * from {name}_frame")
    con.unregister(f"{name}_frame")


def _keys_of(values: list, function) -> list:
    """`function` of each value; a long list is shared out between the machine's cores (pypinyin
    takes ~100 µs a name: millions of distinct names at a million customers)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(values) < PARALLEL_KEYS_FROM or workers < 2:
        return [function(v) for v in values]
    chunk = -(-len(values) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(function, values, chunksize=chunk))


def _register_keys(con, name: str, values: list, function) -> None:
    """A table `name`(value, key) of `function` applied once to each distinct value (a name or
    mailbox recurs on many of a person's records)."""
    keys = _keys_of(values, function)
    _temp_table(con, name, {"value": pa.array(values, pa.string()), "key": pa.array(keys, pa.string())})


def _distinct(con, sql: str) -> list:
    return con.sql(sql).to_arrow_table().column(0).to_pylist()


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
    # accounts that may be a person buying for themself are named like a person too
    maybe_person = (
        "record_kind = 'person' or (source_table = 'Account' and domain is null and registration_number is null)"
    )
    _register_keys(
        con,
        "identity_run_person_names",
        _distinct(
            con, f"select distinct full_name from {RECORDS}_raw where full_name is not null and ({maybe_person})"
        ),
        person_name_key,
    )
    _register_keys(
        con,
        "identity_run_company_names",
        _distinct(
            con,
            f"select distinct organization_name from {RECORDS}_raw "
            "where organization_name is not null and record_kind = 'organization'",
        ),
        company_name_key,
    )
    _register_keys(
        con,
        "identity_run_emails",
        _distinct(con, f"select distinct email from {RECORDS}_raw where email is not null"),
        normalise_email,
    )
    orgs = "record_kind = 'organization'"
    _register_keys(
        con,
        "identity_run_cities",
        _distinct(con, f"select distinct city from {RECORDS}_raw where city is not null and {orgs}"),
        company_name_key,
    )
    _register_keys(
        con,
        "identity_run_addresses",
        _distinct(con, f"select distinct address from {RECORDS}_raw where address is not null and {orgs}"),
        address_key,
    )
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


def mark_person_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """A CRM account of a person buying for themself: no web domain and no registration
    number, named like one of its own contacts, in full ("Steven Jackson" for the contact
    "Steve Jackson" or "S. Jackson": identity.names.names_may_be_one_person). It is that person,
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
    alike = [
        names_may_be_one_person(a, c)
        for a, c in zip(candidates["account_name"], candidates["contact_name"], strict=True)
    ]
    person_accounts = candidates[np.array(alike, dtype=bool)].drop_duplicates("position")
    _temp_table(
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


def resolve_organizations(orgs: pd.DataFrame, threshold: float) -> tuple[pd.Series, pd.DataFrame, dict]:
    """Org cluster label per organization record (index = record position)."""
    edges = _Edges()
    accounts = orgs[orgs["source_table"] == "Account"]
    account_position = pd.Series(accounts.index, index=accounts["crm_account_id"].values)
    # a service-desk organization carrying a CRM account id (external_id) is that account
    desk = orgs[(orgs["source_table"] == "organizations") & orgs["crm_account_id"].isin(account_position.index)]
    edges.add(account_position[desk["crm_account_id"]].values, desk.index.values, "crm_key")
    edges.add_groups(orgs["domain"], "crm_key")
    edges.add_groups(orgs["registration_number"], "crm_key")
    nodes = pd.DataFrame(
        {
            "node_id": orgs.index.values,
            "name_key": orgs["company_key"].values,
            "city": orgs["city_key"].values,
            "domain": orgs["domain"].values,
            "phone": orgs["phone_e164"].values,
            "registration_number": orgs["registration_number"].values,
            "address": orgs["address_key"].values,
        }
    )
    result = match(nodes, "organizations", threshold)
    edges.add(
        result.links["left"].values, result.links["right"].values, "probabilistic", result.links["probability"].values
    )
    left, right, method, probability = edges.arrays()
    position = pd.Series(np.arange(len(orgs)), index=orgs.index)
    labels = components(len(orgs), position[left].values, position[right].values)
    rank, prob = _best_method(len(orgs), position[left].values, position[right].values, method, probability)
    # an account is its own CRM key even when nothing else joins it
    is_account = (orgs["source_table"] == "Account").values
    rank = np.where(is_account & (rank == RANK["unmatched"]), RANK["crm_key"], rank)
    prob = np.where(is_account & np.isnan(prob), 1.0, prob)
    methods = pd.DataFrame({"method_rank": rank, "probability": prob}, index=orgs.index)
    info = {
        "records": len(orgs),
        "nodes": len(nodes),
        "pairs_compared": result.pairs_compared,
        "links": len(result.links),
        "threshold": threshold,
        "trained": result.trained,
        "model": result.model,
        "not_blocked": result.not_blocked,
    }
    return pd.Series(labels, index=orgs.index), methods, info


def _organizations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The organization records (after person accounts were taken out), indexed by position."""
    frame = con.sql(
        f"""
        select position, source_table, crm_account_id, domain, registration_number, company_key, city_key,
               phone_e164, address_key, service_organization_id
        from {RECORDS} where record_kind = 'organization' order by position
        """
    ).df()
    return frame.set_index("position")


def shared_identifiers(con: duckdb.DuckDBPyConnection, max_people: int) -> pd.DataFrame:
    """Phones and e-mails that are no person's own: carried by more than `max_people` distinct
    people, placeholders, and organization numbers no person claims. People are counted, not
    spellings: the names on one identifier are grouped into the people they may be
    (identity.names.people_among: initials, typos, word order, a name cut short or with a note
    before it are one person's, and so may be another given name with nothing that says it is
    somebody else). Reads PERSONS and the organizations' phones
    (identity_run_org_phones); writes identity_run_shared_names, the group of each name on each
    identifier (for the links between records on a shared line that carry one person's name)."""
    # most identifiers carry one spelling: only the others need the grouping and its evidence
    names = con.sql(
        f"""
        with claims as (
            select 'email' as identifier_type, email as identifier_value, * from {PERSONS}
            union all
            select 'phone', phone_e164, * from {PERSONS}
            union all
            select 'phone', phone2_e164, * from {PERSONS}
        ),
        named as (
            select identifier_type, identifier_value, name_key,
                   bool_or(crm_contact_id is not null) as on_crm_contact,
                   count(*) over (partition by identifier_type, identifier_value) > 1 as several
            from claims where identifier_value is not null and name_key is not null
            group by identifier_type, identifier_value, name_key
        ),
        crm_names as (select distinct name_key from {PERSONS} where crm_contact_id is not null),
        -- every number and personal address a name is written with, anywhere
        name_identifiers as (
            select name_key, list(distinct identifier_type || ':' || identifier_value) as identifiers
            from claims
            where identifier_value is not null and not coalesce(is_placeholder_email, false)
              and name_key in (select name_key from named where several)
            group by name_key
        )
        select named.identifier_type, named.identifier_value, named.name_key, named.several,
               named.on_crm_contact, named.name_key in (select name_key from crm_names) as crm_contact_name,
               coalesce(name_identifiers.identifiers, []) as identifiers
        from named left join name_identifiers on named.several and name_identifiers.name_key = named.name_key
        order by named.identifier_type, named.identifier_value, named.name_key
        """
    ).df()
    names["person_group"] = 0
    several = names["several"].to_numpy(bool)
    if several.any():
        grouped = names[several].groupby(["identifier_type", "identifier_value"], sort=False)
        names.loc[several, "person_group"] = np.concatenate(
            [
                people_among(
                    list(g["name_key"]),
                    [
                        NameOnIdentifier(on_contact, crm_name, frozenset(identifiers))
                        for on_contact, crm_name, identifiers in zip(
                            g["on_crm_contact"], g["crm_contact_name"], g["identifiers"], strict=True
                        )
                    ],
                )
                for _, g in grouped
            ]
        )
    names = names.drop(columns=["several", "on_crm_contact", "crm_contact_name", "identifiers"])
    _temp_table(
        con,
        "identity_run_shared_names",
        {
            "identifier_type": pa.array(names["identifier_type"].tolist(), pa.string()),
            "identifier_value": pa.array(names["identifier_value"].tolist(), pa.string()),
            "name_key": pa.array(names["name_key"].tolist(), pa.string()),
            "person_group": names["person_group"].to_numpy(np.int64),
        },
    )
    del names
    counted = con.sql(
        """
        select identifier_type, identifier_value,
               count(distinct person_group) filter (where person_group >= 0) as people,
               string_agg(name_key, '; ' order by name_key) as names
        from identity_run_shared_names group by all
        """
    ).df()
    shared = counted[counted["people"] > max_people].assign(reason="used by several people")
    placeholders = _distinct(
        con, f"select distinct email from {PERSONS} where is_placeholder_email and email is not null"
    )
    # an organization's number (its switchboard) is one person's line only when a named record
    # of exactly that one person gives it as theirs; otherwise nobody in particular is calling
    claimed = set(counted.loc[(counted["identifier_type"] == "phone") & (counted["people"] >= 1), "identifier_value"])
    org_phones = set(_distinct(con, "select phone_e164 from identity_run_org_phones"))
    unclaimed = sorted(org_phones - claimed)
    extra = [
        pd.DataFrame(
            {
                "identifier_type": "email",
                "identifier_value": placeholders,
                "people": None,
                "names": None,
                "reason": "shared mailbox (noreply, info, ...)",
            }
        ),
        pd.DataFrame(
            {
                "identifier_type": "phone",
                "identifier_value": unclaimed,
                "people": 0,
                "names": None,
                "reason": "an organization's number no person gives as their own",
            }
        ),
    ]
    result = pd.concat([shared, *extra], ignore_index=True)
    return result.drop_duplicates(["identifier_type", "identifier_value"]).reset_index(drop=True)


def _person_ties(con: duckdb.DuckDBPyConnection, org_labels: pd.Series) -> None:
    """PERSONS: every person record numbered by `person_index` (record order), with what ties
    it to an organization, strongest first: the CRM account it names, its service-desk
    organization, a mailbox at an organization's own web domain (never a free-mail domain: no
    account has one), a phone that is one organization's."""
    _temp_table(con, "identity_run_org_labels", {"position": org_labels.index.values, "label": org_labels.values})
    con.execute(
        f"""
        create or replace temp table identity_run_orgs as
        select r.position, r.source_table, r.crm_account_id, r.service_organization_id, r.phone_e164, r.domain,
               labels.label
        from {RECORDS} as r inner join identity_run_org_labels as labels using (position)
        """
    )
    con.execute(
        """
        create or replace temp table identity_run_org_phones as
        select phone_e164, case when count(distinct label) = 1 then any_value(label) end as label
        from identity_run_orgs where phone_e164 is not null group by phone_e164
        """
    )
    con.execute(
        f"""
        create or replace temp table {PERSONS} as
        with domain_owner as (
            select domain, case when count(distinct label) = 1 then any_value(label) end as label
            from identity_run_orgs where domain is not null group by domain
        )
        select
            row_number() over (order by p.position) - 1 as person_index,
            p.position, p.crm_account_id, p.crm_contact_id, p.email, p.is_placeholder_email,
            p.phone_e164, p.phone2_e164, p.city, p.name_key,
            array_to_string(list_reverse(string_split(p.name_key, ' ')), ' ') as name_reversed,
            p.is_person_account,
            accounts.label as org_by_key,
            desks.label as org_by_desk,
            domains.label as org_by_email_domain,
            phones.label as org_by_phone
        from {RECORDS} as p
        left join identity_run_orgs as accounts
            on accounts.source_table = 'Account' and accounts.crm_account_id = p.crm_account_id
        left join identity_run_orgs as desks
            on desks.source_table = 'organizations' and desks.service_organization_id = p.service_organization_id
        -- everything after the first @, as Python's split("@", 1) takes it
        left join domain_owner as domains on domains.domain = substr(p.email, instr(p.email, '@') + 1)
        left join identity_run_org_phones as phones on phones.phone_e164 = p.phone_e164
        where p.record_kind = 'person'
        """
    )
    # A number or address only one organization's people give (a team mobile, a desk line two
    # colleagues share, a team mailbox) still identifies that organization, however many people
    # share it: a record with no other tie (an unnamed call from it) belongs to it, tied as by a
    # switchboard.
    con.execute(
        f"""
        create or replace temp table identity_run_people_identifiers as
        with tied as (
            select phone_e164 as value, coalesce(org_by_key, org_by_desk, org_by_email_domain) as org from {PERSONS}
            union all
            select phone2_e164, coalesce(org_by_key, org_by_desk, org_by_email_domain) from {PERSONS}
            union all
            select email, coalesce(org_by_key, org_by_desk, org_by_email_domain) from {PERSONS}
            where not coalesce(is_placeholder_email, false)
        )
        select value, any_value(org) as label from tied
        where value is not null and org is not null group by value having count(distinct org) = 1
        """
    )
    for column in ("phone_e164", "phone2_e164", "email"):
        con.execute(
            f"""
            update {PERSONS} set org_by_phone = ids.label
            from identity_run_people_identifiers as ids
            where {PERSONS}.{column} = ids.value and {PERSONS}.org_by_phone is null
              and coalesce({PERSONS}.org_by_key, {PERSONS}.org_by_desk, {PERSONS}.org_by_email_domain) is null
            """
        )
    con.execute("drop table identity_run_people_identifiers")


def resolve_persons(con: duckdb.DuckDBPyConnection, org_labels: pd.Series, settings: IdentitySettings):
    """Person cluster, link method and probability per person record (table
    identity_run_person_labels), the shared identifiers, and splink's figures."""
    _person_ties(con, org_labels)
    shared = shared_identifiers(con, settings.max_people_per_identifier)
    _temp_table(
        con,
        "identity_run_shared",
        {c: pa.array(shared[c].tolist(), pa.string()) for c in ("identifier_type", "identifier_value")},
    )
    con.execute(
        f"""
        create or replace temp table identity_run_person_keys as
        with shared as (select * from identity_run_shared)
        select person_index, crm_contact_id, is_person_account, crm_account_id, name_key, name_reversed, city,
            case when email in (select identifier_value from shared where identifier_type = 'email')
                 then null else email end as email_clean,
            case when phone_e164 in (select identifier_value from shared where identifier_type = 'phone')
                 then null else phone_e164 end as phone_clean,
            case when phone2_e164 in (select identifier_value from shared where identifier_type = 'phone')
                 then null else phone2_e164 end as phone2_clean,
            coalesce(org_by_key, org_by_desk, org_by_email_domain, org_by_phone) as organization
        from {PERSONS}
        """
    )
    keys = "identity_run_person_keys"
    edges = _Edges()
    edges.add_query(con, _group_links_sql(keys, "person_index", "crm_contact_id"), "crm_key")
    # a record naming a person's own CRM account (an order of a person customer) is that person
    edges.add_query(
        con,
        f"""
        select accounts.person_index as l, tied.person_index as r
        from {keys} as tied
        inner join {keys} as accounts on accounts.is_person_account and accounts.crm_account_id = tied.crm_account_id
        where not tied.is_person_account
        """,
        "crm_key",
    )
    edges.add_query(con, _group_links_sql(keys, "person_index", "email_clean"), "email")
    edges.add_query(
        con,
        _group_links_sql(
            f"(select person_index, phone_clean as phone from {keys} "
            f"union all select person_index, phone2_clean from {keys} where phone2_clean is not null)",
            "person_index",
            "phone",
        ),
        "phone",
    )
    # A line or mailbox several people share (an office's landline on two contacts) names
    # nobody by itself, but one person's name on it does: a caller "Fengli Wu" from the office
    # line is the contact Fengli Wu who gives that line as her second number, not her colleague
    # Gui Sun who gives it too; "J. Smith" on a team mobile is John Smith when no other J. Smith
    # carries it (the name's person group on that identifier, shared_identifiers). Without this,
    # each such call stayed a person of its own (the demo of 2026-12-02: 17 of 366 people split,
    # person recall 0.968).
    edges.add_query(
        con,
        _group_links_sql(
            f"""(select claims.person_index,
                        claims.identifier_type || '|' || claims.identifier_value || '|'
                        || cast(named.person_group as varchar) as identifier_and_person
                 from (
                    select person_index, 'phone' as identifier_type, phone_e164 as identifier_value, name_key
                    from {PERSONS}
                    union all select person_index, 'phone', phone2_e164, name_key from {PERSONS}
                    union all select person_index, 'email', email, name_key from {PERSONS}
                 ) as claims
                 inner join identity_run_shared as shared using (identifier_type, identifier_value)
                 inner join identity_run_shared_names as named using (identifier_type, identifier_value, name_key)
                 where named.person_group >= 0)""",
            "person_index",
            "identifier_and_person",
        ),
        "phone",
    )

    # Within one organization, the spellings of one person's name are that person: "M. Wilson"
    # on the CRM contact and "Megan Wilson" on the deliveries to the same account, or a delivery
    # with no phone at all. The names are grouped as on a shared line (people_among); a name
    # that may be either of two people (J. Smith where John and Jane work) links nobody.
    organization_names = con.sql(
        f"""select distinct cast(organization as bigint) as organization, name_key from {keys}
            where organization is not null and name_key is not null order by organization, name_key"""
    ).df()
    organization_names["person_group"] = np.concatenate(
        [people_among(list(group)) for _, group in organization_names.groupby("organization", sort=False)["name_key"]]
        or [np.zeros(0, np.int64)]
    )
    _temp_table(
        con,
        "identity_run_organization_names",
        {
            "organization": organization_names["organization"].to_numpy(np.int64),
            "name_key": pa.array(organization_names["name_key"].tolist(), pa.string()),
            "person_group": organization_names["person_group"].to_numpy(np.int64),
        },
    )
    del organization_names
    edges.add_query(
        con,
        _group_links_sql(
            f"""(select keys.person_index,
                        cast(named.organization as varchar) || '|' || cast(named.person_group as varchar)
                            as named_person
                 from {keys} as keys
                 inner join identity_run_organization_names as named
                    on named.organization = cast(keys.organization as bigint) and named.name_key = keys.name_key
                 where named.person_group >= 0)""",
            "person_index",
            "named_person",
        ),
        "name_in_organization",
    )

    # splink sees each distinct named spelling once; unnamed records (callers) join by phone
    # only. A spelling with no e-mail, phone or organization is only a name: namesakes must
    # not fold into one node, so each such record stays its own.
    con.execute(
        f"""
        create or replace temp table identity_run_named as
        select person_index, name_key, name_reversed, city, email_clean, phone_clean,
               cast(cast(organization as bigint) as varchar) as organization_key,
               case when email_clean is not null or phone_clean is not null or organization is not null
                    then -1 else person_index end as lonely
        from {keys} where name_key is not null
        """
    )
    con.execute(
        """
        create or replace temp table identity_run_nodes as
        with grouped as (
            select *, min(person_index) over (
                partition by name_key, email_clean, phone_clean, organization_key, city, lonely
            ) as representative
            from identity_run_named
        )
        select person_index, representative,
               dense_rank() over (order by representative) - 1 as node_id
        from grouped
        """
    )
    # identical spellings are one node
    edges.add_query(
        con,
        "select representative as l, person_index as r from identity_run_nodes where representative <> person_index",
        "crm_key",
    )
    node_frame = con.sql(
        """
        select nodes.node_id, named.name_key, named.name_reversed, named.email_clean as email,
               named.phone_clean as phone, named.organization_key, left(named.name_key, 2) as family_key, named.city
        from identity_run_nodes as nodes inner join identity_run_named as named using (person_index)
        where nodes.person_index = nodes.representative
        order by nodes.node_id
        """
    ).df()
    result = match(node_frame, "persons", settings.person_match_threshold)
    del node_frame
    representative = (
        con.sql("select representative from identity_run_nodes where person_index = representative order by node_id")
        .to_arrow_table()["representative"]
        .to_numpy()
    )
    edges.add(
        representative[result.links["left"].to_numpy(np.int64)],
        representative[result.links["right"].to_numpy(np.int64)],
        "probabilistic",
        result.links["probability"].values,
    )

    n_persons = con.execute(f"select count(*) from {PERSONS}").fetchall()[0][0]
    left, right, method, probability = edges.arrays()
    labels = components(n_persons, left, right)
    rank, prob = _best_method(n_persons, left, right, method, probability)
    del left, right, method, probability
    _temp_table(
        con,
        "identity_run_person_labels",
        {"person_index": np.arange(n_persons), "person_cluster": labels, "method_rank": rank, "probability": prob},
    )
    for table in (
        "identity_run_named",
        "identity_run_nodes",
        "identity_run_shared",
        "identity_run_shared_names",
        "identity_run_organization_names",
        keys,
    ):
        con.execute(f"drop table {table}")
    info = {
        "records": n_persons,
        "nodes": len(representative),
        "pairs_compared": result.pairs_compared,
        "links": len(result.links),
        "threshold": settings.person_match_threshold,
        "trained": result.trained,
        "model": result.model,
    }
    return shared, info


def _best_method(n, left, right, method, probability):
    """Per record: the strongest rule among its links, and the highest probability among links
    of that rule (1.0 for a deterministic rule)."""
    rank = np.full(n, RANK["unmatched"], dtype=np.int8)
    prob = np.full(n, np.nan)
    frame = pd.DataFrame(
        {
            "node": np.concatenate([left, right]),
            "method": np.concatenate([method, method]),
            "probability": np.concatenate([probability, probability]),
        }
    )
    if len(frame):
        best = frame.groupby("node")["method"].min()
        rank[best.index.values] = best.values
        chosen = frame[frame["method"].values == rank[frame["node"].values]]
        p = chosen.groupby("node")["probability"].max()
        prob[p.index.values] = p.values
    return rank, prob


def assign_customers(con: duckdb.DuckDBPyConnection, org_methods: pd.DataFrame) -> None:
    """identity_run_customers: per record its customer cluster (the organization its person
    works for, else the person), customer type, person cluster, link method and probability.

    A person's organization is the most frequent among its records' strong ties (CRM account,
    service-desk organization, mailbox domain), else the switchboard its records called from;
    a person who is a CRM account of their own buys for themself."""
    _temp_table(
        con,
        "identity_run_org_methods",
        {
            "position": org_methods.index.values,
            "method_rank": org_methods["method_rank"].values,
            "probability": org_methods["probability"].values,
        },
    )
    no_tie = f"""case
        when persons.org_by_key is not null then {RANK["crm_key"]}
        when persons.org_by_desk is not null then {RANK["service_organization"]}
        when persons.org_by_email_domain is not null then {RANK["email_domain"]}
        when persons.org_by_phone is not null then {RANK["switchboard"]}
        else {RANK["unmatched"]} end"""
    con.execute(
        f"""
        create or replace temp table identity_run_customers as
        with persons as (
            select * from {PERSONS} inner join identity_run_person_labels using (person_index)
        ),
        ties as (
            select person_cluster, org_by_key as org, 0 as strength from persons where org_by_key is not null
            union all
            select person_cluster, org_by_desk, 0 from persons where org_by_desk is not null
            union all
            select person_cluster, org_by_email_domain, 0 from persons where org_by_email_domain is not null
            union all
            select person_cluster, org_by_phone, 1 from persons where org_by_phone is not null
        ),
        person_org as (
            select person_cluster, arg_min(org, (strength, -n, org)) as org
            from (select person_cluster, strength, org, count(*) as n from ties group by all)
            group by person_cluster
        ),
        clusters as (
            select person_cluster, bool_or(is_person_account) as has_person_account,
                   bool_or(name_key is not null) as has_name
            from persons group by person_cluster
        ),
        person_records as (
            select persons.position, persons.person_cluster,
                   case when not clusters.has_person_account then person_org.org end as org_cluster,
                   clusters.has_name,
                   -- a person record with no person link still has its organization's tie
                   case when persons.method_rank = {RANK["unmatched"]} then {no_tie} else persons.method_rank end
                       as method_rank,
                   case when persons.method_rank = {RANK["unmatched"]} and {no_tie} <> {RANK["unmatched"]} then 1.0
                        else persons.probability end as probability
            from persons
            inner join clusters using (person_cluster)
            left join person_org using (person_cluster)
        ),
        org_records as (
            select orgs.position, cast(null as bigint) as person_cluster, orgs.label as org_cluster,
                   false as has_name, methods.method_rank, methods.probability
            from identity_run_orgs as orgs inner join identity_run_org_methods as methods using (position)
        ),
        every_record as (select * from person_records union all select * from org_records)
        select
            r.position, r.record_key, r.source_system, r.source_table, r.source_record_id, r.record_kind,
            r.is_person_account, every_record.person_cluster,
            case when every_record.org_cluster is not null then 'O' || cast(every_record.org_cluster as bigint)
                 else 'P' || every_record.person_cluster end as customer_cluster,
            case when every_record.org_cluster is not null then 'organization'
                 when every_record.has_name then 'person' else 'unidentified' end as customer_type,
            every_record.method_rank, every_record.probability, r.first_seen_at
        from {RECORDS} as r inner join every_record using (position)
        """
    )


def _previous_ids(con: duckdb.DuckDBPyConnection) -> None:
    """identity_run_previous (record_key, customer_id, person_id) after the last run, and
    identity_run_known_ids: every id ever given (a new id must never reuse one)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'identity' and table_name = 'assignments'"
    ).fetchall()[0][0]
    if not exists:
        con.execute(
            "create or replace temp table identity_run_previous "
            "(record_key varchar, customer_id varchar, person_id varchar)"
        )
        con.execute("create or replace temp table identity_run_known_ids (id varchar)")
        return
    con.execute(
        "create or replace temp table identity_run_previous as "
        "select record_key, customer_id, person_id from identity.assignments"
    )
    con.execute(
        """
        create or replace temp table identity_run_known_ids as
        select customer_id as id from identity_run_previous where customer_id is not null
        union select person_id from identity_run_previous where person_id is not null
        union select previous_id from identity.customer_id_history
        """
    )


class _Progress:
    """One line per phase of a resolution, with the phase's seconds: at a million customers the
    whole takes minutes, and a silent step looks hung."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.since = time.perf_counter()

    def done(self, what: str) -> None:
        now = time.perf_counter()
        self.log(f"identity: {what} ({now - self.since:.1f} s)")
        self.since = now


def _matched(level: str, info: dict) -> str:
    line = f"{level}: {info['records']:,} records, {info['pairs_compared']:,} pairs compared, {info['links']:,} links"
    if info.get("not_blocked"):
        values = ", ".join(f"{count:,} {column}s" for column, count in info["not_blocked"].items())
        line += f" ({values} too common to block on)"
    return line


def resolve(
    con: duckdb.DuckDBPyConnection,
    settings: IdentitySettings,
    run_id: str,
    log: Callable[[str], None] = lambda line: None,
) -> ResolutionSummary:
    """Resolve every source record; write schema `identity` in one transaction. `log` gets a
    line as each phase ends."""
    started = time.perf_counter()
    progress = _Progress(log)
    records = load_records(con)
    mark_person_accounts(con)
    progress.done(f"{records:,} records read and keyed")
    org_labels, org_methods, org_info = resolve_organizations(
        _organizations(con), settings.organization_match_threshold
    )
    progress.done(_matched("organizations", org_info))
    shared, person_info = resolve_persons(con, org_labels, settings)
    progress.done(_matched("persons", person_info))
    assign_customers(con, org_methods)

    _previous_ids(con)
    con.execute(
        """
        create or replace temp table identity_run_ids as
        select customers.record_key, customers.customer_cluster, customers.person_cluster,
               previous.customer_id as previous_customer_id, previous.person_id as previous_person_id,
               customers.first_seen_at
        from identity_run_customers as customers left join identity_run_previous as previous using (record_key)
        """
    )
    customer_history = stable_ids(
        con,
        "identity_run_ids",
        "customer_cluster",
        "previous_customer_id",
        "cus_",
        "identity_run_known_ids",
        "identity_run_customer_ids",
    )
    con.execute(
        "create or replace temp table identity_run_known_ids as select id from identity_run_known_ids "
        "union select distinct id from identity_run_customer_ids"
    )
    person_history = stable_ids(
        con,
        "(select * from identity_run_ids where person_cluster is not null)",
        "person_cluster",
        "previous_person_id",
        "per_",
        "identity_run_known_ids",
        "identity_run_person_ids",
    )
    match_method = "list_extract([" + ", ".join(f"'{m}'" for m in METHOD_RANK) + "], method_rank + 1)"
    con.execute(
        f"""
        create or replace temp table identity_run_resolved as
        select customers.source_system, customers.source_table, customers.source_record_id, customers.record_key,
               customers.record_kind, customers.is_person_account,
               customer_ids.id as customer_id, person_ids.id as person_id, customers.customer_type,
               {match_method} as match_method, customers.probability as match_probability
        from identity_run_customers as customers
        inner join identity_run_customer_ids as customer_ids using (record_key)
        left join identity_run_person_ids as person_ids using (record_key)
        order by customers.position
        """
    )

    now = run_now()  # the night's pinned "now": a rebuild with the same as-of is the same
    history = pd.concat(
        [customer_history.assign(level="customer"), person_history.assign(level="person")], ignore_index=True
    ).assign(run_id=run_id, changed_at=now)
    runs = pd.DataFrame(
        [
            {
                "run_id": run_id,
                "level": level,
                "records": info["records"],
                "nodes": info["nodes"],
                "pairs_compared": info["pairs_compared"],
                "probabilistic_links": info["links"],
                "threshold": info["threshold"],
                "trained": info["trained"],
                "model_json": json.dumps(info["model"]),
                "finished_at": now,
            }
            for level, info in (("organizations", org_info), ("persons", person_info))
        ]
    )
    progress.done("customers assigned, their ids kept from the last run")
    _write(con, shared.assign(run_id=run_id), history, runs)
    progress.done("written to schema identity")
    counts = con.execute(
        """
        select count(*), count(distinct customer_id), count(distinct person_id),
               count(distinct customer_id) filter (where customer_type = 'organization'),
               count(distinct customer_id) filter (where customer_type = 'unidentified')
        from identity.resolved_records
        """
    ).fetchall()[0]
    for table in con.execute(
        "select table_name from duckdb_tables() where temporary and starts_with(table_name, 'identity_run_')"
    ).fetchall():
        con.execute(f"drop table {table[0]}")
    return ResolutionSummary(
        records=counts[0],
        customers=counts[1],
        persons=counts[2],
        organizations=counts[3],
        unidentified_customers=counts[4],
        shared_identifiers=len(shared),
        pairs_compared={"organizations": org_info["pairs_compared"], "persons": person_info["pairs_compared"]},
        probabilistic_links={"organizations": org_info["links"], "persons": person_info["links"]},
        merges=int((history["change"] == "merge").sum()),
        splits=int((history["change"] == "split").sum()),
        seconds=time.perf_counter() - started,
    )


def _write(con, shared: pd.DataFrame, history: pd.DataFrame, runs: pd.DataFrame) -> None:
    con.execute("create schema if not exists identity")
    con.execute(
        """
        create table if not exists identity.customer_id_history (
            previous_id varchar, current_id varchar, change varchar, records bigint, level varchar,
            run_id varchar, changed_at timestamp)
        """
    )
    con.execute(
        """
        create table if not exists identity.match_runs (
            run_id varchar, level varchar, records bigint, nodes bigint, pairs_compared bigint,
            probabilistic_links bigint, threshold double, trained varchar, model_json varchar, finished_at timestamp)
        """
    )
    con.register("shared_frame", shared)
    con.register("history_frame", history)
    con.register("runs_frame", runs)
    try:
        con.execute("begin transaction")
        con.execute("create or replace table identity.resolved_records as select * from identity_run_resolved")
        con.execute(
            "create or replace table identity.assignments as "
            "select record_key, customer_id, person_id from identity_run_resolved"
        )
        con.execute(
            "create or replace table identity.shared_identifiers as "
            "select identifier_type, identifier_value, cast(people as bigint) as people, names, reason, run_id "
            "from shared_frame"
        )
        # an id merged away tonight may be where an older merge pointed: it points on to tonight's
        # id, so that a saved id always leads to a customer that exists
        con.execute(
            """
            update identity.customer_id_history as older set current_id = tonight.current_id
            from history_frame as tonight
            where tonight.change = 'merge' and older.change = 'merge' and older.level = tonight.level
              and older.current_id = tonight.previous_id
            """
        )
        con.execute(
            "insert into identity.customer_id_history "
            "select previous_id, current_id, change, records, level, run_id, changed_at from history_frame"
        )
        con.execute("insert into identity.match_runs select * from runs_frame")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for name in ("shared_frame", "history_frame", "runs_frame"):
            con.unregister(name)
