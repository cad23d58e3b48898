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
    con.execute(
        f"""
        create or replace temp table {out}_counts as
        select {previous} as previous, {cluster} as cluster, count(*) as n
        from {records} where {previous} is not null group by all
        """
    )
    con.execute(
        f"""
        create or replace temp table {out}_clusters as
        with home as (  -- each earlier id goes to the cluster with most of its records
            select previous, arg_min(cluster, (-n, cluster)) as cluster, max(n) as n
            from {out}_counts group by previous
        ),
        kept as (  -- each cluster keeps the best earlier id it won
            select cluster, arg_min(previous, (-n, previous)) as previous from home group by cluster
        ),
        founders as (  -- the first-seen record; a record of unknown time comes last
            select {cluster} as cluster,
                   arg_min(record_key, (coalesce(first_seen_at, timestamp '9999-12-31'), record_key)) as founder
            from {records} group by all
        )
        select founders.cluster, founders.founder, kept.previous as kept,
               coalesce(kept.previous, '{prefix}' || left(sha256(founders.founder), 16)) as id
        from founders left join kept using (cluster)
        """
    )
    _salt_clashes(con, out, prefix, known_ids)
    con.execute(
        f"""
        create or replace temp table {out} as
        select records.record_key, clusters.id
        from {records} as records inner join {out}_clusters as clusters on clusters.cluster = records.{cluster}
        """
    )
    history = _id_changes(con, out)
    con.execute(f"drop table {out}_counts")
    con.execute(f"drop table {out}_clusters")
    return history


def _salt_clashes(con: duckdb.DuckDBPyConnection, out: str, prefix: str, known_ids: str) -> None:
    """A new id must never reuse a retired or living one: the rare collision is salted."""
    clashes = con.execute(
        f"""
        select cluster, founder from (
            select *, row_number() over (partition by id order by cluster) > 1 as is_repeat
            from {out}_clusters
        )
        where kept is null
            and (is_repeat or id in (select kept from {out}_clusters where kept is not null)
                 or id in (select id from {known_ids}))
        order by cluster
        """
    ).fetchall()
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
    return con.sql(
        f"""
        with home as (
            select previous, arg_min(cluster, (-n, cluster)) as cluster, max(n) as n
            from {out}_counts group by previous
        ),
        changes as (
            -- an earlier id another one won over
            select home.previous as previous_id, clusters.id as current_id, 'merge' as change, home.n as records
            from home inner join {out}_clusters as clusters using (cluster)
            where home.previous not in (select kept from {out}_clusters where kept is not null)
            union all
            -- records of an earlier id now in another cluster than the one it went to
            select counts.previous, clusters.id, 'split', counts.n
            from {out}_counts as counts
            inner join home on home.previous = counts.previous and home.cluster <> counts.cluster
            inner join {out}_clusters as clusters on clusters.cluster = counts.cluster
        )
        select previous_id, current_id, change, records from changes
        where previous_id <> current_id
        order by change, previous_id, current_id
        """
    ).df()


def _type_of(con: duckdb.DuckDBPyConnection, out: str) -> str:
    return con.execute(f"select typeof(cluster) from {out}_clusters limit 1").fetchall()[0][0]
