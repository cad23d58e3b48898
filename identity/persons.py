"""Stage 3: which person records are one person: the identifiers no one person owns, each
record's ties to an organization, and the links (deterministic, then splink)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from identity.graph import components
from identity.matching import match
from identity.names import (
    NameOnIdentifier,
    people_among,
)
from identity.settings import IdentitySettings
from identity.statements import sql
from identity.working import (
    PERSONS,
    RECORDS,
    Edges,
    best_method,
    distinct,
    group_links_sql,
    temp_table,
)


def shared_identifiers(con: duckdb.DuckDBPyConnection, max_people: int) -> pd.DataFrame:
    """Phones and e-mails that are no person's own: carried by more than `max_people` distinct
    people, placeholders, and organization numbers no person claims. People are counted, not
    spellings: the names on one identifier are grouped into the people they may be
    (identity.names.people_among: initials, typos, word order, a name cut short or with a note
    before it are one person's, and so may be another given name with nothing that says it is
    somebody else). Reads PERSONS and the organizations' phones
    (identity_run_org_phones); writes identity_run_shared_names, the group of each name on each
    identifier (for the links between records on a shared line that carry one person's name)."""
    _people_on_identifiers(con)
    counted = con.sql(sql("persons/people_per_identifier")).df()
    shared = counted[counted["people"] > max_people].assign(reason="used by several people")
    placeholders = distinct(
        con, f"select distinct email from {PERSONS} where is_placeholder_email and email is not null"
    )
    # an organization's number (its switchboard) is one person's line only when a named record
    # of exactly that one person gives it as theirs; otherwise nobody in particular is calling
    claimed = set(counted.loc[(counted["identifier_type"] == "phone") & (counted["people"] >= 1), "identifier_value"])
    org_phones = set(distinct(con, "select phone_e164 from identity_run_org_phones"))
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


def _people_on_identifiers(con: duckdb.DuckDBPyConnection) -> None:
    """identity_run_shared_names: each name on each phone or e-mail, and the person among the
    identifier's names it is (identity.names.people_among, with what the records say of each
    name: a CRM contact's, a name the CRM knows, its other numbers and addresses)."""
    # most identifiers carry one spelling: only the others need the grouping and its evidence
    names = con.sql(sql("persons/names_on_identifiers", PERSONS=PERSONS)).df()
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
    temp_table(
        con,
        "identity_run_shared_names",
        {
            "identifier_type": pa.array(names["identifier_type"].tolist(), pa.string()),
            "identifier_value": pa.array(names["identifier_value"].tolist(), pa.string()),
            "name_key": pa.array(names["name_key"].tolist(), pa.string()),
            "person_group": names["person_group"].to_numpy(np.int64),
        },
    )


def person_ties(con: duckdb.DuckDBPyConnection, org_labels: pd.Series) -> None:
    """PERSONS: every person record numbered by `person_index` (record order), with what ties
    it to an organization, strongest first: the CRM account it names, its service-desk
    organization, a mailbox at an organization's own web domain (never a free-mail domain: no
    account has one), a phone that is one organization's."""
    temp_table(con, "identity_run_org_labels", {"position": org_labels.index.values, "label": org_labels.values})
    con.execute(sql("persons/org_records", RECORDS=RECORDS))
    con.execute(sql("persons/org_phones"))
    con.execute(sql("persons/person_records", PERSONS=PERSONS, RECORDS=RECORDS))
    # A number or address only one organization's people give (a team mobile, a desk line two
    # colleagues share, a team mailbox) still identifies that organization, however many people
    # share it: a record with no other tie (an unnamed call from it) belongs to it, tied as by a
    # switchboard.
    con.execute(sql("persons/people_identifiers", PERSONS=PERSONS))
    for column in ("phone_e164", "phone2_e164", "email"):
        con.execute(sql("persons/tie_by_people_identifier", PERSONS=PERSONS, column=column))
    con.execute("drop table identity_run_people_identifiers")


def resolve_persons(con: duckdb.DuckDBPyConnection, org_labels: pd.Series, settings: IdentitySettings):
    """Person cluster, link method and probability per person record (table
    identity_run_person_labels), the shared identifiers, and splink's figures. The links come
    strongest first: the same CRM contact or person account, an identifier that is one person's,
    one person's name on a shared identifier, one person's spellings within an organization,
    then splink over what is left."""
    person_ties(con, org_labels)
    shared = shared_identifiers(con, settings.max_people_per_identifier)
    _blank_shared_identifiers(con, shared)
    edges = Edges()
    _deterministic_links(con, edges)
    _name_in_organization_links(con, edges)
    result, nodes = _probabilistic_links(con, edges, settings.person_match_threshold)
    n_persons = _label_persons(con, edges)
    info = {
        "records": n_persons,
        "nodes": nodes,
        "pairs_compared": result.pairs_compared,
        "links": len(result.links),
        "threshold": settings.person_match_threshold,
        "trained": result.trained,
        "model": result.model,
    }
    return shared, info


KEYS = "identity_run_person_keys"


def _blank_shared_identifiers(con: duckdb.DuckDBPyConnection, shared: pd.DataFrame) -> None:
    """KEYS: each person record's keys, its shared identifiers blanked (they link nobody by
    themselves), and the organization it is tied to."""
    temp_table(
        con,
        "identity_run_shared",
        {c: pa.array(shared[c].tolist(), pa.string()) for c in ("identifier_type", "identifier_value")},
    )
    con.execute(sql("persons/person_keys", KEYS=KEYS, PERSONS=PERSONS))


def _deterministic_links(con: duckdb.DuckDBPyConnection, edges: Edges) -> None:
    """The same CRM contact, a record of a person's own account, an e-mail or number that is one
    person's, and one person's name on an identifier several people share."""
    edges.add_query(con, group_links_sql(KEYS, "person_index", "crm_contact_id"), "crm_key")
    # a record naming a person's own CRM account (an order of a person customer) is that person
    edges.add_query(
        con,
        sql("persons/person_account_links", KEYS=KEYS),
        "crm_key",
    )
    edges.add_query(con, group_links_sql(KEYS, "person_index", "email_clean"), "email")
    edges.add_query(
        con,
        group_links_sql(
            f"(select person_index, phone_clean as phone from {KEYS} "
            f"union all select person_index, phone2_clean from {KEYS} where phone2_clean is not null)",
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
        group_links_sql(
            sql("persons/claims_of_one_persons_name", PERSONS=PERSONS),
            "person_index",
            "identifier_and_person",
        ),
        "phone",
    )


def _name_in_organization_links(con: duckdb.DuckDBPyConnection, edges: Edges) -> None:
    """The spellings of one person's name within one organization (people_among)."""
    # Within one organization, the spellings of one person's name are that person: "M. Wilson"
    # on the CRM contact and "Megan Wilson" on the deliveries to the same account, or a delivery
    # with no phone at all. The names are grouped as on a shared line (people_among); a name
    # that may be either of two people (J. Smith where John and Jane work) links nobody.
    organization_names = con.sql(sql("persons/organization_names", KEYS=KEYS)).df()
    organization_names["person_group"] = np.concatenate(
        [people_among(list(group)) for _, group in organization_names.groupby("organization", sort=False)["name_key"]]
        or [np.zeros(0, np.int64)]
    )
    temp_table(
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
        group_links_sql(
            sql("persons/named_person_in_organization", KEYS=KEYS),
            "person_index",
            "named_person",
        ),
        "name_in_organization",
    )


def _probabilistic_links(con: duckdb.DuckDBPyConnection, edges: Edges, threshold: float):
    """splink's links between the nodes (distinct spellings), added to `edges`; returns its
    result and the number of nodes."""
    # splink sees each distinct named spelling once; unnamed records (callers) join by phone
    # only. A spelling with no e-mail, phone or organization is only a name: namesakes must
    # not fold into one node, so each such record stays its own.
    con.execute(sql("persons/named_records", KEYS=KEYS))
    con.execute(sql("persons/nodes"))
    # identical spellings are one node
    edges.add_query(
        con,
        "select representative as l, person_index as r from identity_run_nodes where representative <> person_index",
        "crm_key",
    )
    node_frame = con.sql(sql("persons/node_records")).df()
    result = match(node_frame, "persons", threshold)
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
    return result, len(representative)


def _label_persons(con: duckdb.DuckDBPyConnection, edges: Edges) -> int:
    """identity_run_person_labels from the links; the working tables of the links dropped.
    Returns the number of person records."""
    n_persons = con.execute(f"select count(*) from {PERSONS}").fetchall()[0][0]
    left, right, method, probability = edges.arrays()
    labels = components(n_persons, left, right)
    rank, prob = best_method(n_persons, left, right, method, probability)
    del left, right, method, probability
    temp_table(
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
        KEYS,
    ):
        con.execute(f"drop table {table}")
    return n_persons
