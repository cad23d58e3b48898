"""Clusters from links, and ids that stay put from night to night.

Connected components come from scipy (sparse graph, linear in records + links). Stable ids
are written here because no library keeps cluster ids across re-clusterings: the rule is
ours and must be exactly the one documented in DECISIONLOG.md."""

from __future__ import annotations

import hashlib

import duckdb
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from identity.statements import sql


def components(n_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The component label of each node 0..n_nodes-1, given undirected links left[i]–right[i]."""
    if n_nodes == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_nodes, n_nodes))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)


def new_id(prefix: str, founding_key: str) -> str:
    return prefix + hashlib.sha256(founding_key.encode("utf-8")).hexdigest()[:16]


def stable_ids(
    con: duckdb.DuckDBPyConnection,
    records: str,
    cluster: str,
    previous: str,
    prefix: str,
    known_ids: str,
    out: str,
) -> pd.DataFrame:
    """Give each cluster an id, keeping last night's ids where the records say so.

    records: a table or subquery with one row per record: `record_key`, tonight's cluster
    label (column `cluster`), last night's id (column `previous`, null for a new record) and
    `first_seen_at`, the earliest time the record is known to have existed (null: unknown);
    known_ids: a table of every id ever given (column `id`). Writes temporary table `out`
    (record_key, id). In SQL, because a company of a million customers has tens of millions
    of records, which DuckDB counts without holding them in memory.

    - A cluster holding records of no earlier id gets a new id made from its first-seen record
      (ties and unknown times: the smallest key). Not the smallest key alone: a record that joins
      a customer later may have a smaller key, and a rebuild of the same sources would then mint
      another id than the nights did.
    - An earlier id stays with the cluster holding most of its records (ties: the smallest label).
    - A cluster that gets several earlier ids keeps the one with most records here (ties: the
      smallest id); the others are retired as merged into it.
    - Records of an earlier id that now sit in another cluster were split off: recorded from the
      earlier id to the id their cluster got.

    Returns the history rows (previous_id, current_id, change, records)."""
    con.execute(sql("graph/cluster_counts", out=out, previous=previous, cluster=cluster, records=records))
    con.execute(sql("graph/cluster_ids", out=out, cluster=cluster, records=records, prefix=prefix))
    _salt_clashes(con, out, prefix, known_ids)
    con.execute(sql("graph/record_ids", out=out, records=records, cluster=cluster))
    history = _id_changes(con, out)
    con.execute(f"drop table {out}_counts")
    con.execute(f"drop table {out}_clusters")
    return history


def _salt_clashes(con: duckdb.DuckDBPyConnection, out: str, prefix: str, known_ids: str) -> None:
    """A new id must never reuse a retired or living one: the rare collision is salted."""
    clashes = con.execute(sql("graph/id_clashes", out=out, known_ids=known_ids)).fetchall()
    if clashes:
        taken = {
            row[0]
            for row in con.execute(
                f"select id from {out}_clusters where kept is not null or cluster not in "
                f"(select unnest(?)) union select id from {known_ids}",
                [[c for c, _ in clashes]],
            ).fetchall()
        }
        salted = []
        for cluster_label, founder in clashes:
            candidate, salt = new_id(prefix, founder), 0
            while candidate in taken:
                salt += 1
                candidate = new_id(prefix, f"{founder}#{salt}")
            taken.add(candidate)
            salted.append((cluster_label, candidate))
        con.execute(f"create or replace temp table {out}_salted (cluster {_type_of(con, out)}, id varchar)")
        con.executemany(f"insert into {out}_salted values (?, ?)", salted)  # a handful of rows
        con.execute(
            f"update {out}_clusters set id = salted.id from {out}_salted as salted "
            f"where {out}_clusters.cluster = salted.cluster"
        )
        con.execute(f"drop table {out}_salted")


def _id_changes(con: duckdb.DuckDBPyConnection, out: str) -> pd.DataFrame:
    """The earlier ids merged into another, and the records split off an earlier id."""
    return con.sql(sql("graph/id_changes", out=out)).df()


def _type_of(con: duckdb.DuckDBPyConnection, out: str) -> str:
    return con.execute(f"select typeof(cluster) from {out}_clusters limit 1").fetchall()[0][0]
