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
    counted = con.sql(
        """
        select identifier_type, identifier_value,
               count(distinct person_group) filter (where person_group >= 0) as people,
               string_agg(name_key, '; ' order by name_key) as names
        from identity_run_shared_names group by all
        """
    ).df()
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
            where identifier_value is not null
              and not (identifier_type = 'email' and coalesce(is_placeholder_email, false))
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
    con.execute(
        f"""
        create or replace temp table {KEYS} as
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


def _deterministic_links(con: duckdb.DuckDBPyConnection, edges: Edges) -> None:
    """The same CRM contact, a record of a person's own account, an e-mail or number that is one
    person's, and one person's name on an identifier several people share."""
    edges.add_query(con, group_links_sql(KEYS, "person_index", "crm_contact_id"), "crm_key")
    # a record naming a person's own CRM account (an order of a person customer) is that person
    edges.add_query(
        con,
        f"""
        select accounts.person_index as l, tied.person_index as r
        from {KEYS} as tied
        inner join {KEYS} as accounts on accounts.is_person_account and accounts.crm_account_id = tied.crm_account_id
        where not tied.is_person_account
        """,
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


def _name_in_organization_links(con: duckdb.DuckDBPyConnection, edges: Edges) -> None:
    """The spellings of one person's name within one organization (people_among)."""
    # Within one organization, the spellings of one person's name are that person: "M. Wilson"
    # on the CRM contact and "Megan Wilson" on the deliveries to the same account, or a delivery
    # with no phone at all. The names are grouped as on a shared line (people_among); a name
    # that may be either of two people (J. Smith where John and Jane work) links nobody.
    organization_names = con.sql(
        f"""select distinct cast(organization as bigint) as organization, name_key from {KEYS}
            where organization is not null and name_key is not null order by organization, name_key"""
    ).df()
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
            f"""(select keys.person_index,
                        cast(named.organization as varchar) || '|' || cast(named.person_group as varchar)
                            as named_person
                 from {KEYS} as keys
                 inner join identity_run_organization_names as named
                    on named.organization = cast(keys.organization as bigint) and named.name_key = keys.name_key
                 where named.person_group >= 0)""",
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
    con.execute(
        f"""
        create or replace temp table identity_run_named as
        select person_index, name_key, name_reversed, city, email_clean, phone_clean,
               cast(cast(organization as bigint) as varchar) as organization_key,
               case when email_clean is not null or phone_clean is not null or organization is not null
                    then -1 else person_index end as lonely
        from {KEYS} where name_key is not null
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
