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
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from c360.clock import run_now
from identity.assignment import assign_customers
from identity.graph import stable_ids
from identity.keys import load_records, mark_person_accounts
from identity.organizations import organization_records, resolve_organizations
from identity.persons import resolve_persons
from identity.settings import IdentitySettings
from identity.statements import sql
from identity.store import previous_ids, write_results
from identity.working import METHOD_RANK


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
        organization_records(con), settings.organization_match_threshold
    )
    progress.done(_matched("organizations", org_info))
    shared, person_info = resolve_persons(con, org_labels, settings)
    progress.done(_matched("persons", person_info))
    assign_customers(con, org_methods)

    customer_history, person_history = _keep_ids(con)

    now = run_now()  # the night's pinned "now": a rebuild with the same as-of is the same
    history = pd.concat(
        [customer_history.assign(level="customer"), person_history.assign(level="person")], ignore_index=True
    ).assign(run_id=run_id, changed_at=now)
    runs = _runs(run_id, now, org_info, person_info)
    progress.done("customers assigned, their ids kept from the last run")
    write_results(con, shared.assign(run_id=run_id), history, runs)
    progress.done("written to schema identity")
    counts = _counts_and_cleanup(con)
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


def _keep_ids(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each customer and person cluster keeps the id its records had last run (stable_ids);
    leaves identity_run_resolved, every record with its ids. Returns both levels' id changes."""
    previous_ids(con)
    con.execute(sql("resolve/ids"))
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
    con.execute(sql("resolve/resolved", match_method=match_method))

    return customer_history, person_history


def _runs(run_id: str, now, org_info: dict, person_info: dict) -> pd.DataFrame:
    """One row per level (organizations, persons): what was matched and how (identity.runs)."""
    return pd.DataFrame(
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


def _counts_and_cleanup(con: duckdb.DuckDBPyConnection) -> tuple:
    """The published resolution's records, customers, persons, organizations and unidentified
    customers; the run's working tables are dropped."""
    counts = con.execute(sql("resolve/counts")).fetchall()[0]
    for table in con.execute(
        "select table_name from duckdb_tables() where temporary and starts_with(table_name, 'identity_run_')"
    ).fetchall():
        con.execute(f"drop table {table[0]}")
    return counts
