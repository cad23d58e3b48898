"""The working parts every stage of a resolution shares: its temporary tables on the
warehouse connection (WORKING_TABLES names each and what it holds), the graph of links
between records, and the keys computed for distinct values."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from identity.statements import sql

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
# the temporary tables of one resolution, on the warehouse connection: every one a stage
# creates is named here, with the stage and what it holds (tests/identity: none is undeclared)
WORKING_TABLES = {
    # keys: the night's records and their comparable keys
    "identity_run_records": "every source record with its name, e-mail, phone, city and address keys",
    "identity_run_person_names": "distinct person names and their keys (dropped when keyed)",
    "identity_run_company_names": "distinct company names and their keys (dropped when keyed)",
    "identity_run_emails": "distinct e-mails and their normal forms (dropped when keyed)",
    "identity_run_cities": "distinct cities and their keys (dropped when keyed)",
    "identity_run_addresses": "distinct addresses and their keys (dropped when keyed)",
    "identity_run_person_accounts": "CRM accounts that are a person buying for themself, and their contact",
    # persons: who is one person
    "identity_run_org_labels": "each organization record's organization cluster",
    "identity_run_orgs": "organization records with their cluster and their keys",
    "identity_run_org_phones": "each organization number and the one organization it belongs to",
    "identity_run_persons": "person records, numbered, with what ties each to an organization",
    "identity_run_people_identifiers": "numbers and addresses only one organization's people give",
    "identity_run_shared": "identifiers no one person owns (shared_identifiers)",
    "identity_run_shared_names": "the person group of each name on each identifier",
    "identity_run_person_keys": "person records with their shared identifiers blanked",
    "identity_run_organization_names": "the person group of each name within each organization",
    "identity_run_named": "named person records splink may compare",
    "identity_run_nodes": "splink's nodes: the distinct spellings and their representative record",
    "identity_run_person_labels": "each person record's person cluster, strongest link and probability",
    # assignment: customers from the clusters
    "identity_run_org_methods": "each organization record's strongest link and probability",
    "identity_run_customers": "each record's customer cluster, customer type and person cluster",
    # ids: stable from night to night
    "identity_run_previous": "the ids each record had after the last night",
    "identity_run_known_ids": "every id ever given (a new id never reuses one)",
    "identity_run_customer_ids": "each customer cluster's id tonight",
    "identity_run_person_ids": "each person cluster's id tonight",
    "identity_run_ids": "stable_ids' working table of clusters and their ids",
    "identity_run_resolved": "each record with its customer and person id, before it is written",
}
RECORDS = "identity_run_records"
PERSONS = "identity_run_persons"


def links_of_groups(groups: pd.Series, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Chain the records of each group value together (first record – every other)."""
    frame = pd.DataFrame({"group": groups.values, "node": index.values}).dropna(subset=["group"])
    first = frame.groupby("group")["node"].transform("min")
    keep = frame["node"] != first
    return first[keep].to_numpy(np.int64), frame.loc[keep, "node"].to_numpy(np.int64)


class Edges:
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
        self.add(*links_of_groups(groups, groups.index), method)

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


def group_links_sql(table: str, position: str, value: str, where: str = "true") -> str:
    """SQL for _links: per value of `value`, its first `position` linked to every other."""
    return sql("working/group_links", position=position, value=value, table=table, where=where)


def temp_table(con, name: str, columns: dict) -> None:
    """A temporary table of these columns; NaN in a float column is null (a missing probability)."""
    arrays = {k: v if isinstance(v, pa.Array) else pa.array(v, from_pandas=True) for k, v in columns.items()}
    con.register(f"{name}_frame", pa.table(arrays))
    con.execute(f"create or replace temp table {name} as select * from {name}_frame")
    con.unregister(f"{name}_frame")


def keys_of(values: list, function) -> list:
    """`function` of each value; a long list is shared out between the machine's cores (pypinyin
    takes ~100 µs a name: millions of distinct names at a million customers)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(values) < PARALLEL_KEYS_FROM or workers < 2:
        return [function(v) for v in values]
    chunk = -(-len(values) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(function, values, chunksize=chunk))


def register_keys(con, name: str, values: list, function) -> None:
    """A table `name`(value, key) of `function` applied once to each distinct value (a name or
    mailbox recurs on many of a person's records)."""
    keys = keys_of(values, function)
    temp_table(con, name, {"value": pa.array(values, pa.string()), "key": pa.array(keys, pa.string())})


def distinct(con, sql: str) -> list:
    return con.sql(sql).to_arrow_table().column(0).to_pylist()


def best_method(n, left, right, method, probability):
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
