"""Stage 2: which organization records are one organization."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from identity.graph import components
from identity.matching import match
from identity.statements import sql
from identity.working import (
    RANK,
    RECORDS,
    Edges,
    best_method,
)


def resolve_organizations(orgs: pd.DataFrame, threshold: float) -> tuple[pd.Series, pd.DataFrame, dict]:
    """Org cluster label per organization record (index = record position)."""
    edges = Edges()
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
    rank, prob = best_method(len(orgs), position[left].values, position[right].values, method, probability)
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


def organization_records(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The organization records (after person accounts were taken out), indexed by position."""
    frame = con.sql(sql("organizations/organization_records", RECORDS=RECORDS)).df()
    return frame.set_index("position")
