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
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd

from identity.graph import components, stable_ids
from identity.matching import match
from identity.names import address_key, company_name_key, is_placeholder_email, normalise_email, person_name_key

SOURCE_RECORDS = "intermediate.int_identity__source_records"
# how strongly each way of joining a cluster binds, best first
METHOD_RANK = [
    "crm_key",
    "email",
    "phone",
    "probabilistic",
    "service_organization",
    "email_domain",
    "switchboard",
    "unmatched",
]


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
        self.method.append(np.full(len(left), METHOD_RANK.index(method), dtype=np.int8))
        p = np.ones(len(left)) if probability is None else np.asarray(probability, dtype=float)
        self.probability.append(p)

    def add_groups(self, groups: pd.Series, method: str) -> None:
        self.add(*_links(groups, groups.index), method)

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


def load_records(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    # through Arrow and sorted there: DuckDB's ordered .df() took three times the memory
    table = con.sql(f"select * from {SOURCE_RECORDS}").to_arrow_table()
    table = table.sort_by(
        [("source_system", "ascending"), ("source_table", "ascending"), ("source_record_id", "ascending")]
    )
    records = table.to_pandas()
    del table
    records["record_key"] = records["source_system"] + "|" + records["source_table"] + "|" + records["source_record_id"]
    records["service_organization_id"] = records["service_organization_id"].astype("Int64")
    return records


def add_features(records: pd.DataFrame) -> pd.DataFrame:
    """Comparable keys: names in pinyin/Latin token order, normalised e-mail and company name."""
    is_person = records["record_kind"] == "person"
    names = records["full_name"]
    records["name_key"] = None
    records.loc[is_person, "name_key"] = names[is_person].map(person_name_key)
    records["company_key"] = records["organization_name"].map(company_name_key)
    records.loc[~is_person, "name_key"] = records.loc[~is_person, "company_key"]
    records["email"] = records["email"].map(normalise_email)
    records["is_placeholder_email"] = records["email"].map(is_placeholder_email)
    return records


def mark_person_accounts(records: pd.DataFrame) -> pd.DataFrame:
    """A CRM account of a person buying for themself: no web domain and no registration
    number, named exactly like one of its own contacts. It is that person, not an organization."""
    accounts = records[
        (records["source_table"] == "Account") & records["domain"].isna() & records["registration_number"].isna()
    ]
    account_names = accounts["full_name"].map(person_name_key)
    contacts = records[records["source_table"] == "Contact"][["crm_account_id", "crm_contact_id", "name_key"]]
    candidates = pd.DataFrame(
        {"crm_account_id": accounts["crm_account_id"], "name_key": account_names, "position": accounts.index}
    )
    matched = candidates.merge(contacts, on=["crm_account_id", "name_key"]).drop_duplicates("position")
    records["is_person_account"] = False
    records.loc[matched["position"], "is_person_account"] = True
    records.loc[matched["position"], "record_kind"] = "person"
    records.loc[matched["position"], "crm_contact_id"] = matched["crm_contact_id"].values
    records.loc[matched["position"], "name_key"] = matched["name_key"].values
    records["name_reversed"] = records["name_key"].map(
        lambda k: " ".join(reversed(k.split())) if isinstance(k, str) else None
    )
    return records


def resolve_organizations(records: pd.DataFrame, threshold: float) -> tuple[pd.Series, dict]:
    """Org cluster label per organization record (index = record position)."""
    orgs = records[records["record_kind"] == "organization"]
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
            "city": orgs["city"].map(lambda c: company_name_key(c) if c else None).values,
            "domain": orgs["domain"].values,
            "phone": orgs["phone_e164"].values,
            "registration_number": orgs["registration_number"].values,
            "address": orgs["address"].map(address_key).values,
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
    is_lonely_account = (orgs["source_table"] == "Account").values & (rank == METHOD_RANK.index("unmatched"))
    rank = np.where(is_lonely_account, METHOD_RANK.index("crm_key"), rank)
    prob = np.where((orgs["source_table"] == "Account").values & np.isnan(prob), 1.0, prob)
    methods = pd.DataFrame({"method_rank": rank, "probability": prob}, index=orgs.index)
    info = {
        "records": len(orgs),
        "nodes": len(nodes),
        "pairs_compared": result.pairs_compared,
        "links": len(result.links),
        "threshold": threshold,
        "trained": result.trained,
        "model": result.model,
    }
    return pd.Series(labels, index=orgs.index), methods, info


def shared_identifiers(
    persons: pd.DataFrame, org_phones: set[str], max_people: int, con: duckdb.DuckDBPyConnection
) -> pd.DataFrame:
    """Phones and e-mails that are no person's own: carried by more than `max_people` distinct
    people, placeholders, and organization numbers no person claims. Two spellings of a name
    count as one person when they are close (Jaro-Winkler ≥ 0.9: a typo, not a colleague)."""
    claims = pd.concat(
        [
            pd.DataFrame(
                {
                    "identifier_type": kind,
                    "identifier_value": persons[column],
                    "name_key": persons["name_key"],
                    "name_reversed": persons["name_reversed"],
                }
            )
            for kind, column in (("email", "email"), ("phone", "phone_e164"), ("phone", "phone2_e164"))
        ]
    ).dropna(subset=["identifier_value"])
    # a connection of its own, closed afterwards, so its memory goes back before splink runs
    con = duckdb.connect()
    con.register("identity_claims", claims)
    counted = con.sql(
        """
        with names as (
            select identifier_type, identifier_value, name_key, any_value(name_reversed) as name_reversed
            from identity_claims where name_key is not null group by all
        ),
        -- a name is a new person unless an earlier name of the same identifier is close to it
        -- (in either token order: a typo can move a token in the sorted key)
        distinct_people as (
            select a.identifier_type, a.identifier_value, a.name_key,
                   bool_or(b.name_key is not null) as is_variant
            from names a
            left join names b
                on a.identifier_type = b.identifier_type and a.identifier_value = b.identifier_value
                and b.name_key < a.name_key
                and greatest(jaro_winkler_similarity(a.name_key, b.name_key),
                             jaro_winkler_similarity(a.name_reversed, b.name_key)) >= 0.9
            group by all
        )
        select identifier_type, identifier_value,
               count(*) filter (where not is_variant) as people,
               string_agg(name_key, '; ' order by name_key) as names
        from distinct_people group by all
        """
    ).df()
    con.close()
    shared = counted[counted["people"] > max_people].assign(reason="used by several people")
    placeholders = persons.loc[persons["is_placeholder_email"], "email"].dropna().unique()
    # an organization's number (its switchboard) is one person's line only when a named record
    # of exactly that one person gives it as theirs; otherwise nobody in particular is calling
    claimed = set(counted.loc[(counted["identifier_type"] == "phone") & (counted["people"] >= 1), "identifier_value"])
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


def resolve_persons(
    records: pd.DataFrame, org_labels: pd.Series, settings: IdentitySettings, con: duckdb.DuckDBPyConnection
):
    persons = records[records["record_kind"] == "person"].copy()
    org_records = records.loc[org_labels.index]

    # what ties a person record to an organization, strongest first
    account_org = pd.Series(
        org_labels.loc[org_records.index[org_records["source_table"] == "Account"]].values,
        index=org_records.loc[org_records["source_table"] == "Account", "crm_account_id"].values,
    )
    desk_org = pd.Series(
        org_labels.loc[org_records.index[org_records["source_table"] == "organizations"]].values,
        index=org_records.loc[org_records["source_table"] == "organizations", "service_organization_id"].values,
    )
    org_phone_owner = org_records.dropna(subset=["phone_e164"]).assign(label=org_labels)
    org_phone_owner = org_phone_owner.groupby("phone_e164")["label"].agg(
        lambda s: s.iloc[0] if s.nunique() == 1 else None
    )
    # org cluster labels as float (NaN = no tie), one dtype for all three
    persons["org_by_key"] = persons["crm_account_id"].map(account_org).astype(float)
    persons["org_by_desk"] = persons["service_organization_id"].map(desk_org).astype(float)
    persons["org_by_phone"] = persons["phone_e164"].map(org_phone_owner).astype(float)
    # a mailbox at an organization's own web domain (never a free-mail domain: no account has one)
    domain_owner = org_records.dropna(subset=["domain"]).assign(label=org_labels)
    domain_owner = domain_owner.groupby("domain")["label"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else None)
    email_domain = persons["email"].map(lambda e: e.split("@", 1)[1] if isinstance(e, str) else None)
    persons["org_by_email_domain"] = email_domain.map(domain_owner).astype(float)

    shared = shared_identifiers(persons, set(org_phone_owner.index), settings.max_people_per_identifier, con)
    shared_emails = set(shared.loc[shared["identifier_type"] == "email", "identifier_value"])
    shared_phones = set(shared.loc[shared["identifier_type"] == "phone", "identifier_value"])
    email = persons["email"].where(~persons["email"].isin(shared_emails))
    phone = persons["phone_e164"].where(~persons["phone_e164"].isin(shared_phones))
    phone2 = persons["phone2_e164"].where(~persons["phone2_e164"].isin(shared_phones))

    edges = _Edges()
    edges.add_groups(persons["crm_contact_id"], "crm_key")
    # a record naming a person's own CRM account (an order of a person customer) is that person
    person_accounts = persons[persons["is_person_account"]]
    by_account = pd.Series(person_accounts.index, index=person_accounts["crm_account_id"].values)
    tied = persons[persons["crm_account_id"].isin(by_account.index) & ~persons["is_person_account"]]
    edges.add(by_account[tied["crm_account_id"]].values, tied.index.values, "crm_key")
    edges.add_groups(email, "email")
    both_phones = pd.concat([phone, phone2.dropna()])
    edges.add(*_links(both_phones, both_phones.index), "phone")

    # splink sees each distinct named spelling once; unnamed records (callers) join by phone only
    organization = (
        persons["org_by_key"]
        .fillna(persons["org_by_desk"])
        .fillna(persons["org_by_email_domain"])
        .fillna(persons["org_by_phone"])
    )
    named = persons[persons["name_key"].notna()].copy()
    # positional values: assigning an aligned Series to an empty frame would adopt its index
    named["email_clean"] = email.loc[named.index].values
    named["phone_clean"] = phone.loc[named.index].values
    named["organization_key"] = organization.loc[named.index].map(lambda o: None if pd.isna(o) else str(int(o))).values
    # a spelling with no e-mail, phone or organization is only a name: namesakes must not fold
    # into one node, so each such record stays its own
    has_anchor = named[["email_clean", "phone_clean"]].notna().any(axis=1) | organization.loc[named.index].notna()
    named["lonely"] = np.where(has_anchor, -1, np.arange(len(named)))
    tuple_columns = ["name_key", "email_clean", "phone_clean", "organization_key", "city", "lonely"]
    node_of = named.groupby(tuple_columns, dropna=False, sort=False).ngroup()
    nodes = named.assign(node_id=node_of).drop_duplicates("node_id")
    node_frame = pd.DataFrame(
        {
            "node_id": nodes["node_id"].values,
            "name_key": nodes["name_key"].values,
            "name_reversed": nodes["name_reversed"].values,
            "email": nodes["email_clean"].values,
            "phone": nodes["phone_clean"].values,
            "organization_key": nodes["organization_key"].values,
            "family_key": nodes["name_key"].str[:2].values,
            "city": nodes["city"].values,
        }
    )
    result = match(node_frame, "persons", settings.person_match_threshold)
    representative = pd.Series(nodes.index.values, index=nodes["node_id"].values)
    edges.add(*_links(node_of, node_of.index), "crm_key")  # identical spellings of one node
    edges.add(
        representative[result.links["left"]].values,
        representative[result.links["right"]].values,
        "probabilistic",
        result.links["probability"].values,
    )

    left, right, method, probability = edges.arrays()
    position = pd.Series(np.arange(len(persons)), index=persons.index)
    labels = components(len(persons), position[left].values, position[right].values)
    persons["person_cluster"] = labels
    persons["method_rank"], persons["probability"] = _best_method(
        len(persons), position[left].values, position[right].values, method, probability
    )
    info = {
        "records": len(persons),
        "nodes": len(node_frame),
        "pairs_compared": result.pairs_compared,
        "links": len(result.links),
        "threshold": settings.person_match_threshold,
        "trained": result.trained,
        "model": result.model,
    }
    return persons, shared, info


def _best_method(n, left, right, method, probability):
    """Per record: the strongest rule among its links, and the highest probability among links
    of that rule (1.0 for a deterministic rule)."""
    rank = np.full(n, METHOD_RANK.index("unmatched"), dtype=np.int8)
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


def assign_customers(records: pd.DataFrame, org_labels: pd.Series, persons: pd.DataFrame) -> pd.DataFrame:
    """The customer of every record: the organization its person works for, else the person."""
    # a person's organization: the most frequent among its records' strong ties, else the switchboard
    ties = pd.concat(
        [
            persons[["person_cluster", "org_by_key"]].rename(columns={"org_by_key": "org"}).assign(strength=0),
            persons[["person_cluster", "org_by_desk"]].rename(columns={"org_by_desk": "org"}).assign(strength=0),
            persons[["person_cluster", "org_by_email_domain"]]
            .rename(columns={"org_by_email_domain": "org"})
            .assign(strength=0),
            persons[["person_cluster", "org_by_phone"]].rename(columns={"org_by_phone": "org"}).assign(strength=1),
        ]
    ).dropna(subset=["org"])
    ties["org"] = ties["org"].astype(np.int64)
    counted = ties.groupby(["person_cluster", "strength", "org"]).size().rename("n").reset_index()
    counted = counted.sort_values(["person_cluster", "strength", "n", "org"], ascending=[True, True, False, True])
    person_org = counted.drop_duplicates("person_cluster").set_index("person_cluster")
    has_person_account = persons.groupby("person_cluster")["is_person_account"].any()
    has_name = persons.groupby("person_cluster")["name_key"].agg(lambda s: s.notna().any())

    out = records[["record_key", "record_kind"]].copy()
    out["person_cluster"] = persons["person_cluster"]
    org_of_person = out["person_cluster"].map(person_org["org"])
    org_of_person[out["person_cluster"].map(has_person_account).eq(True)] = np.nan
    out["org_cluster"] = org_labels.reindex(out.index).fillna(org_of_person)
    out["customer_cluster"] = np.where(
        out["org_cluster"].notna(),
        "O" + out["org_cluster"].astype("Int64").astype(str),
        "P" + out["person_cluster"].astype("Int64").astype(str),
    )
    is_person_customer = out["org_cluster"].isna()
    named = out["person_cluster"].map(has_name).eq(True)
    out["customer_type"] = np.where(~is_person_customer, "organization", np.where(named, "person", "unidentified"))
    # how the record found its customer when its person had no link of its own
    strength = out["person_cluster"].map(person_org["strength"])
    out["org_method"] = np.where(strength == 1, "switchboard", None)
    return out


def _previous_ids(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, set[str]]:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'identity' and table_name = 'assignments'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=["record_key", "customer_id", "person_id"]), set()
    previous = con.sql("select record_key, customer_id, person_id from identity.assignments").df()
    known = set(previous["customer_id"].dropna()) | set(previous["person_id"].dropna())
    known |= {r[0] for r in con.execute("select previous_id from identity.customer_id_history").fetchall()}
    return previous, known


def resolve(con: duckdb.DuckDBPyConnection, settings: IdentitySettings, run_id: str) -> ResolutionSummary:
    """Resolve every source record; write schema `identity` in one transaction."""
    started = time.perf_counter()
    records = mark_person_accounts(add_features(load_records(con)))
    # names and dates are keys now; the raw text is not needed again (memory at scale)
    records = records.drop(columns=["full_name", "seen_at"])
    org_labels, org_methods, org_info = resolve_organizations(records, settings.organization_match_threshold)
    persons, shared, person_info = resolve_persons(records, org_labels, settings, con)
    customers = assign_customers(records, org_labels, persons)

    rank = pd.Series(METHOD_RANK.index("unmatched"), index=records.index, dtype=np.int64)
    probability = pd.Series(np.nan, index=records.index)
    rank.loc[org_methods.index] = org_methods["method_rank"]
    probability.loc[org_methods.index] = org_methods["probability"]
    rank.loc[persons.index] = persons["method_rank"]
    probability.loc[persons.index] = persons["probability"]
    # a person record with no person link still has its organization's tie
    lonely = persons["method_rank"] == METHOD_RANK.index("unmatched")
    by_org = np.select(
        [
            persons["org_by_key"].notna(),
            persons["org_by_desk"].notna(),
            persons["org_by_email_domain"].notna(),
            persons["org_by_phone"].notna(),
        ],
        [
            METHOD_RANK.index("crm_key"),
            METHOD_RANK.index("service_organization"),
            METHOD_RANK.index("email_domain"),
            METHOD_RANK.index("switchboard"),
        ],
        METHOD_RANK.index("unmatched"),
    )
    rank.loc[persons.index[lonely]] = by_org[lonely.values]
    probability.loc[persons.index[lonely & (by_org != METHOD_RANK.index("unmatched"))]] = 1.0

    previous, known = _previous_ids(con)
    previous = previous.set_index("record_key")
    customer_ids, customer_history = stable_ids(
        customers["record_key"],
        customers["customer_cluster"],
        customers["record_key"].map(previous["customer_id"]),
        "cus_",
        known,
    )
    person_rows = customers[customers["person_cluster"].notna()]
    person_ids, person_history = stable_ids(
        person_rows["record_key"],
        person_rows["person_cluster"].astype(np.int64),
        person_rows["record_key"].map(previous["person_id"]),
        "per_",
        known | set(customer_ids),
    )
    resolved = records[
        [
            "source_system",
            "source_table",
            "source_record_id",
            "record_key",
            "record_kind",
            "is_person_account",
            "name_key",
        ]
    ].copy()
    resolved["customer_id"] = customer_ids.values
    resolved["person_id"] = None
    resolved.loc[person_rows.index, "person_id"] = person_ids.values
    resolved["customer_type"] = customers["customer_type"].values
    resolved["match_method"] = [METHOD_RANK[i] for i in rank.values]
    resolved["match_probability"] = probability.values
    resolved = resolved.drop(columns=["name_key"])

    now = datetime.now(UTC).replace(tzinfo=None)
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
    _write(con, resolved, shared.assign(run_id=run_id), history, runs)

    summary = ResolutionSummary(
        records=len(resolved),
        customers=resolved["customer_id"].nunique(),
        persons=resolved["person_id"].nunique(),
        organizations=resolved.loc[resolved["customer_type"] == "organization", "customer_id"].nunique(),
        unidentified_customers=resolved.loc[resolved["customer_type"] == "unidentified", "customer_id"].nunique(),
        shared_identifiers=len(shared),
        pairs_compared={"organizations": org_info["pairs_compared"], "persons": person_info["pairs_compared"]},
        probabilistic_links={"organizations": org_info["links"], "persons": person_info["links"]},
        merges=int((history["change"] == "merge").sum()),
        splits=int((history["change"] == "split").sum()),
        seconds=time.perf_counter() - started,
    )
    return summary


def _write(con, resolved: pd.DataFrame, shared: pd.DataFrame, history: pd.DataFrame, runs: pd.DataFrame) -> None:
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
    con.register("resolved_frame", resolved)
    con.register("shared_frame", shared)
    con.register("history_frame", history)
    con.register("runs_frame", runs)
    try:
        con.execute("begin transaction")
        con.execute("create or replace table identity.resolved_records as select * from resolved_frame")
        con.execute(
            "create or replace table identity.assignments as "
            "select record_key, customer_id, person_id from resolved_frame"
        )
        con.execute(
            "create or replace table identity.shared_identifiers as "
            "select identifier_type, identifier_value, cast(people as bigint) as people, names, reason, run_id "
            "from shared_frame"
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
        for name in ("resolved_frame", "shared_frame", "history_frame", "runs_frame"):
            con.unregister(name)
