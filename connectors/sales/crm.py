"""Read the configured Salesforce tables from any SQLAlchemy-reachable database (a SQLite file
for the demo, PostgreSQL in production) with dlt: incremental on `SystemModstamp` with the
cursor kept in dlt's state, merged on `Id` so a changed row is updated, never duplicated.
`IsDeleted` rows arrive like any change and become deletions downstream (staging filters them).
"""

from __future__ import annotations

import os
from pathlib import Path

import dlt
import sqlalchemy as sa
from dlt.sources.sql_database import sql_database

from connectors.batches import SourceTally, finisher, prepare_batch
from connectors.dlt_runs import LoadPlan, pipeline_for, run_plan
from connectors.loader import SourceError, snake_case

# The Salesforce tables of SOURCES.md (a company's config may name fewer)
TABLES = [
    "Account",
    "Contact",
    "Lead",
    "Opportunity",
    "OpportunityContactRole",
    "Product2",
    "Order",
    "OrderItem",
    "Task",
    "User",
    "Survey_Response__c",
]
PHONE_COLUMNS = ("phone", "mobile_phone")
CURSOR = "SystemModstamp"
PRIMARY_KEY = "Id"
CHUNK_ROWS = 250_000  # rows per batch read, checked and written; fewer, larger batches check faster


def backend_for(url: sa.URL) -> str:
    """connectorx (Rust, straight to Arrow) where it can connect: a SQLite file, or a server
    reached by host name; else dlt's pyarrow backend through SQLAlchemy (connectorx cannot
    parse a Unix-socket URL such as postgresql:///db?host=/run/postgresql). Both read in
    batches of CHUNK_ROWS (connectorx as an Arrow stream), so a table of any size loads in the
    memory of one batch. C360_CRM_BACKEND=pyarrow|connectorx forces one."""
    forced = os.environ.get("C360_CRM_BACKEND")
    if forced:
        return forced
    driver = url.get_backend_name()
    if driver == "sqlite" or (driver in ("postgresql", "mysql", "mssql") and url.host):
        return "connectorx"
    return "pyarrow"


def _engine(url: str) -> sa.Engine:
    shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        return engine
    except Exception as e:  # noqa: BLE001 - any driver error means the same to the user
        first_line = str(e).splitlines()[0] if str(e) else ""
        raise SourceError(
            f"sales: cannot connect to the CRM database {shown}: {e.__class__.__name__}: "
            f"{first_line} (check sources.sales.url in the config and that the database is up)"
        ) from None


def _counting(tally: SourceTally, table: str):
    def count(batch):
        tally.table(table).read += batch.num_rows
        return batch

    return count


def _checking(tally: SourceTally, table: str, source_table: str, region: str):
    def check(batch):
        counts = tally.table(table)
        counts.already_loaded -= batch.num_rows  # what passed the cursor; the rest was loaded before
        return prepare_batch(
            "sales", table, batch, f"table:{source_table}", tally, PHONE_COLUMNS, region, primary_key=PRIMARY_KEY
        )

    return check


def _as_dlt_knows_it(sql_type):
    """A float column as dlt 1.31 recognises one. SQLAlchemy 2.1's Float no longer derives from
    Numeric, which dlt maps floats by, so dlt warned of an "unknown data type REAL" for every
    float column of every table, every night; a Numeric returned as float is dlt's double."""
    if isinstance(sql_type, sa.Float):
        return sa.Numeric(asdecimal=False)
    return sql_type


def crm_source(engine: sa.Engine, tables: list[str], tally: SourceTally, region: str):
    """The dlt source: one resource per table, counted as read, then after dlt's incremental
    cursor has dropped what was loaded before, checked against the contract."""
    backend = backend_for(engine.url)
    source = sql_database(
        engine,
        table_names=tables,
        backend=backend,
        chunk_size=CHUNK_ROWS,
        type_adapter_callback=_as_dlt_knows_it,
        # connectorx otherwise reads a whole table at once (~1.4 kB an Order row)
        backend_kwargs={"return_type": "arrow_stream"} if backend == "connectorx" else None,
    )
    for name, resource in source.resources.items():
        table = snake_case(name)
        tally.table(table)
        resource.apply_hints(
            table_name=table,
            # the batches name the columns (snake_case, as the contract and the models read them);
            # dlt's own hints from reflection name `Score__c` `score__c`, which it would add to
            # the raw table beside `score_c` and leave empty
            columns={},
            primary_key=PRIMARY_KEY,
            write_disposition="merge",
            incremental=dlt.sources.incremental(CURSOR),
        )
        resource.add_map(_counting(tally, table), insert_at=1)  # before the incremental step
        # after the incremental step: dlt keeps that step last unless told the position
        resource.add_map(_checking(tally, table, name, region), insert_at=len(resource._pipe.steps))
    return source


def plan(con, url: str, tables: list[str], phone_region: str, work_db: Path, state_dir: Path, log=print) -> LoadPlan:
    engine = _engine(url)
    available = set(sa.inspect(engine).get_table_names())
    missing = [t for t in tables if t not in available]
    if missing:
        raise SourceError(
            f"sales: table(s) {', '.join(missing)} named in sources.sales.tables do not exist "
            f"in the CRM database (found: {', '.join(sorted(available)) or 'none'})"
        )
    tally = SourceTally("sales")
    finish = finisher(con, tally, [snake_case(t) for t in tables], log)

    def finish_and_close(loaded: dict[str, int], load_id: str):
        engine.dispose()
        for counts in tally.tables.values():
            counts.already_loaded += counts.read  # read minus what passed the cursor
        return finish(loaded, load_id)

    return LoadPlan(
        crm_source(engine, tables, tally, phone_region), pipeline_for("sales", work_db, state_dir), finish_and_close
    )


def load(*args, **kwargs):
    """`plan(...)` run directly with dlt (without Dagster); returns the LoadReport."""
    return run_plan(plan(*args, **kwargs))
