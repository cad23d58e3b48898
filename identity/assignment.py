"""Stage 4: customers from the clusters: a person's organization, else the person; and the
strongest way each record was joined."""

from __future__ import annotations

import duckdb
import pandas as pd

from identity.statements import sql
from identity.working import (
    PERSONS,
    RANK,
    RECORDS,
    temp_table,
)


def assign_customers(con: duckdb.DuckDBPyConnection, org_methods: pd.DataFrame) -> None:
    """identity_run_customers: per record its customer cluster (the organization its person
    works for, else the person), customer type, person cluster, link method and probability.

    A person's organization is the most frequent among its records' strong ties (CRM account,
    service-desk organization, mailbox domain), else the switchboard its records called from;
    a person who is a CRM account of their own buys for themself."""
    temp_table(
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
        sql("assignment/customers", PERSONS=PERSONS, RECORDS=RECORDS, no_tie=no_tie, unmatched=str(RANK["unmatched"]))
    )
