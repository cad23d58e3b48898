"""Clusters from links, and ids that stay put from night to night.

Connected components come from scipy (sparse graph, linear in records + links). Stable ids
are written here because no library keeps cluster ids across re-clusterings: the rule is
ours and must be exactly the one documented in DECISIONLOG.md."""

from __future__ import annotations

import hashlib

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
    record_keys: pd.Series,
    clusters: pd.Series,
    previous: pd.Series,
    prefix: str,
    known_ids: set[str],
) -> tuple[pd.Series, pd.DataFrame]:
    """Give each cluster an id, keeping last night's ids where the records say so.

    record_keys: one key per record; clusters: tonight's cluster label per record;
    previous: last night's id per record (NaN for a new record).

    - A cluster holding records of no earlier id gets a new id made from its smallest record key.
    - An earlier id stays with the cluster holding most of its records (ties: the smallest label).
    - A cluster that gets several earlier ids keeps the one with most records here (ties: the
      smallest id); the others are retired as merged into it.
    - Records of an earlier id that now sit in another cluster were split off: recorded from the
      earlier id to the id their cluster got.

    Returns the id per record (aligned with record_keys) and the history rows
    (previous_id, current_id, change, records)."""
    frame = pd.DataFrame({"key": record_keys.values, "cluster": clusters.values, "previous": previous.values})
    known = frame.dropna(subset=["previous"])
    counts = known.groupby(["previous", "cluster"]).size().rename("n").reset_index()
    # each earlier id goes to the cluster with most of its records
    counts = counts.sort_values(["previous", "n", "cluster"], ascending=[True, False, True])
    home = counts.drop_duplicates("previous")
    # each cluster keeps the best earlier id it won
    home = home.sort_values(["cluster", "n", "previous"], ascending=[True, False, True])
    kept = home.drop_duplicates("cluster").set_index("cluster")["previous"]

    founders = frame.groupby("cluster")["key"].min()
    ids = pd.Series([new_id(prefix, k) for k in founders.values], index=founders.index, dtype=object)
    ids.loc[kept.index] = kept
    fresh = ~ids.index.isin(kept.index)
    # a new id must never reuse a retired or living one: salt the rare collision
    clash = fresh & (ids.isin(set(kept) | known_ids) | ids.duplicated(keep="first")).to_numpy()
    taken = set(kept) | known_ids | set(ids[fresh & ~clash])
    for cluster in ids.index[clash]:
        candidate, salt = ids.at[cluster], 0
        while candidate in taken:
            salt += 1
            candidate = new_id(prefix, f"{founders.at[cluster]}#{salt}")
        ids.at[cluster] = candidate
        taken.add(candidate)

    merged = home[~home["previous"].isin(kept.values)]
    history = [
        pd.DataFrame(
            {
                "previous_id": merged["previous"].values,
                "current_id": merged["cluster"].map(ids).values,
                "change": "merge",
                "records": merged["n"].values,
            }
        )
    ]
    split = counts.merge(home[["previous", "cluster"]], on="previous", suffixes=("", "_home"))
    split = split[split["cluster"] != split["cluster_home"]]
    history.append(
        pd.DataFrame(
            {
                "previous_id": split["previous"].values,
                "current_id": split["cluster"].map(ids).values,
                "change": "split",
                "records": split["n"].values,
            }
        )
    )
    history_frame = pd.concat(history, ignore_index=True)
    history_frame = history_frame[history_frame["previous_id"] != history_frame["current_id"]]
    return frame["cluster"].map(ids).rename("id"), history_frame.reset_index(drop=True)
