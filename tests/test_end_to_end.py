"""End to end, as a user runs it: `c360 demo`, `c360 run`, then the published warehouse is
checked against what the demo's four systems wrote."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SESSION_AS_OF, c360
from tests.warehouse import text_columns

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def crm(published_company):
    config, _ = published_company
    con = sqlite3.connect(config.parent / "crm" / "crm.sqlite")
    yield con
    con.close()


def count(con, sql):
    return con.execute(sql).fetchone()[0]


def test_the_run_reports_each_source_the_checks_and_the_publish(published_company):
    _, result = published_company
    out = result.stdout
    assert "run succeeded" in out
    for source in ("sales", "service", "logistics", "call_center"):
        assert f"loaded {source}" in out
    assert "0 failed" in out and "published    " in out and "c360-" in out
    # one line a step, after a bar of the steps begun out of the night's; the publish is the last
    bars = re.findall(r"^  \[[█·]{12}\] +(\d+)/(\d+) (\w+) - ", out, flags=re.MULTILINE)
    assert [int(done) for done, _, _ in bars] == list(range(1, len(bars) + 1))
    assert bars[-1] == (bars[-1][1], bars[-1][1], "published_warehouse")
    assert len(out.splitlines()) <= 40, "the console has the night's steps and summary, the log file the rest"


def test_a_verbose_run_shows_the_whole_log_as_it_is_written(published_company):
    """`c360 run --verbose` (here a night that fails for want of the service desk's token, the
    quickest to run): the console has every line of the night's log, not one line a step."""
    config, _ = published_company
    result = c360("run", "--verbose", "--config", str(config), env={"C360_SERVICE_DESK_TOKEN": ""}, check=False)
    assert result.returncode == 1
    log = Path(re.search(r"every step's output goes to (\S+)", result.stdout).group(1)).read_text()
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) > 20 and not set(lines) - set(result.stdout.splitlines())


def test_the_publish_is_a_read_only_file_behind_an_atomic_link(published_company):
    config, _ = published_company
    link = config.parent / "warehouse" / "published" / "current.duckdb"
    assert link.is_symlink()
    target = link.resolve()
    assert target.name.startswith("c360-") and not (target.stat().st_mode & stat.S_IWUSR)
    assert (config.parent / "warehouse" / "work" / "c360.duckdb").exists()


def test_every_crm_account_and_contact_is_one_identity_record(warehouse, crm):
    for table in ("Account", "Contact", "Lead"):
        expected = count(crm, f'select count(*) from "{table}" where not IsDeleted')
        got = count(warehouse, f"select count(*) from marts.customer_identity_map where source_table = '{table}'")
        assert got == expected, table
    accounts = count(crm, 'select count(*) from "Account"')
    customers_with_account = count(
        warehouse, "select count(*) from marts.dim_customer where crm_account_id is not null"
    )
    assert customers_with_account == accounts


def test_every_call_and_shipment_the_files_hold_is_on_the_timeline(warehouse, published_company):
    config, _ = published_company
    root = config.parent
    cdr_lines = sum(
        len(p.read_text(encoding="utf-8").splitlines()) for p in (root / "call_center" / "cdr").glob("*.csv")
    )
    calls = count(warehouse, "select count(*) from marts.fct_touchpoints where touchpoint_type like 'call_%'")
    assert calls == cdr_lines
    shipment_ids = set()
    for path in (root / "logistics").glob("*/shipments.csv"):
        shipment_ids |= {r["shipment_id"] for r in csv.DictReader(io.StringIO(path.read_bytes().decode("gb18030")))}
    shipments = count(warehouse, "select count(*) from marts.fct_touchpoints where source_table = 'shipments'")
    assert shipments == len(shipment_ids)


def test_every_order_and_ticket_is_a_touchpoint(warehouse, crm, published_company):
    config, _ = published_company
    orders = count(crm, 'select count(*) from "Order" where not IsDeleted')
    assert (
        count(warehouse, "select count(*) from marts.fct_touchpoints where touchpoint_type = 'order_placed'") == orders
    )
    tickets = len((config.parent / "service_desk" / "tickets.jsonl").read_text(encoding="utf-8").splitlines())
    assert count(warehouse, "select count(*) from marts.fct_touchpoints where source_table = 'tickets'") == tickets


def test_revenue_12m_adds_up_to_the_crm_orders_of_the_last_year(warehouse, crm):
    boundary = datetime.fromisoformat(SESSION_AS_OF) - timedelta(days=365)  # the night's pinned "now"
    orders = [
        (datetime.strptime(created, "%Y-%m-%dT%H:%M:%S.%f%z").replace(tzinfo=None), amount)
        for created, amount in crm.execute('select CreatedDate, TotalAmount from "Order" where not IsDeleted')
    ]
    expected = sum(a for c, a in orders if c >= boundary)
    got = count(warehouse, "select sum(revenue_12m) from marts.customer_360")
    assert got == pytest.approx(expected, rel=1e-12)


def test_customer_360_has_one_row_per_customer_with_the_contract_columns(warehouse):
    assert count(warehouse, "select count(*) from marts.customer_360") == count(
        warehouse, "select count(*) from marts.dim_customer"
    )
    columns = {
        r[0]
        for r in warehouse.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = 'customer_360'"
        ).fetchall()
    }
    assert {
        "customer_id",
        "display_name",
        "value_tier",
        "lifecycle_stage",
        "revenue_12m",
        "orders_12m",
        "last_order_at",
        "open_tickets",
        "csat_pct_90d",
        "nps_last",
        "calls_90d",
        "abandoned_calls_90d",
        "late_deliveries_12m",
        "last_touch_at",
        "departments_touched_90d",
        "is_contactable",
    } <= columns


def test_unknown_callers_stay_visible_as_unidentified_customers(warehouse):
    assert count(warehouse, "select count(*) from marts.dim_customer where customer_type = 'unidentified'") > 0
    orphans = count(
        warehouse,
        """select count(*) from marts.fct_touchpoints t
                                  left join marts.dim_customer c using (customer_id) where c.customer_id is null""",
    )
    assert orphans == 0


def test_publish_log_records_the_run_and_its_row_counts(warehouse):
    # the publish's own run is the log's last line (earlier runs of this company come before it)
    run_id, counts = warehouse.execute(
        "select run_id, row_counts from ops.publish_log order by published_at desc limit 1"
    ).fetchone()
    counts = json.loads(counts)
    assert counts["customer_360"] == count(warehouse, "select count(*) from marts.customer_360")
    assert run_id in str(
        Path(
            os.path.realpath(
                warehouse.execute(
                    "select path from duckdb_databases() where database_name = current_database()"
                ).fetchone()[0]
            )
        )
    )


def test_c360_sql_prints_a_table_and_csv(published_company):
    config, _ = published_company
    table = c360("sql", "--config", str(config), "select count(*) as n from marts.dim_customer").stdout
    assert "n" in table and "│" in table
    text = c360(
        "sql",
        "--config",
        str(config),
        "select customer_type, count(*) as n from marts.dim_customer group by 1 order by 1",
        "--csv",
    ).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["customer_type"] for r in rows} >= {"organization", "unidentified"}


@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select * from marts.dim_customer) to '/tmp/c360-copied.csv'",
        "attach '/tmp/c360-attached.duckdb' as other",
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "set TimeZone = 'Asia/Shanghai'",
        "create table marts.mine as select 1",
    ],
)
def test_c360_sql_can_neither_touch_the_machines_files_nor_change_anything(published_company, statement):
    config, _ = published_company
    result = c360("sql", "--config", str(config), statement, check=False)
    assert result.returncode != 0, f"{statement!r} was allowed"
    assert any(word in result.stderr for word in ("disabled", "locked", "read-only", "Permission")), result.stderr
    assert not Path("/tmp/c360-copied.csv").exists() and not Path("/tmp/c360-attached.duckdb").exists()


def test_a_run_without_the_service_token_fails_naming_the_variable_and_keeps_the_publish(published_company, tmp_path):
    config, _ = published_company
    link = config.parent / "warehouse" / "published" / "current.duckdb"
    before = link.resolve()
    result = c360("run", "--config", str(config), env={"C360_SERVICE_DESK_TOKEN": ""}, check=False)
    assert result.returncode == 1
    assert (
        "C360_SERVICE_DESK_TOKEN" in result.stdout and "nothing (the previous publish stays current)" in result.stdout
    )
    assert link.resolve() == before
    from c360.run_history import read_run_history

    last = read_run_history(config.parent / "warehouse", limit=1)[0]
    assert last["success"] is False and "C360_SERVICE_DESK_TOKEN" in last["failure"], "the Data health page sees it"
    assert last["published"] is None


def test_the_service_token_appears_in_no_output_file_or_table(published_company):
    from tests.conftest import TOKEN

    config, result = published_company
    assert TOKEN not in result.stdout + result.stderr
    for path in config.parent.joinpath("warehouse").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    con = duckdb.connect(str((config.parent / "warehouse" / "work" / "c360.duckdb")), read_only=True)
    try:
        for schema, table, column in text_columns(con):
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ?', [f"%{TOKEN}%"]
            ).fetchone()[0]
            assert hits == 0, f"{schema}.{table}.{column}"
    finally:
        con.close()


def test_each_contact_lists_the_roles_the_crm_gives_them_on_open_and_recent_opportunities(warehouse, crm):
    as_of = datetime.fromisoformat(SESSION_AS_OF)
    person_of = dict(
        warehouse.execute(
            "select source_record_id, person_id from marts.customer_identity_map where source_table = 'Contact'"
        ).fetchall()
    )
    expected: dict[str, set[str]] = {}
    for contact_id, role, is_closed, close_date in crm.execute(
        "select r.ContactId, r.Role, o.IsClosed, o.CloseDate from OpportunityContactRole r "
        "join Opportunity o on o.Id = r.OpportunityId where not r.IsDeleted and not o.IsDeleted"
    ):
        if not is_closed or date.fromisoformat(close_date[:10]) >= (as_of - timedelta(days=365)).date():
            expected.setdefault(person_of[contact_id], set()).add(role)
    assert expected, "the demo's CRM has buying roles"
    got = {
        person_id: set(roles.split(", ")) if roles else set()
        for person_id, roles in warehouse.execute(
            "select person_id, buying_roles from marts.customer_contacts"
        ).fetchall()
    }
    assert {person: got.get(person) for person in expected} == expected
    assert all(not roles for person, roles in got.items() if person not in expected)


def test_a_number_that_only_called_is_nobody_the_company_can_reach(warehouse):
    unidentified, reachable = warehouse.execute(
        """select count(*), count(*) filter (where is_contactable or unreachable_reason <> 'unidentified caller')
           from marts.dim_customer where customer_type = 'unidentified'"""
    ).fetchone()
    assert unidentified > 0 and reachable == 0
    assert (
        count(
            warehouse, "select count(*) from marts.dim_customer where is_contactable and unreachable_reason is not null"
        )
        == 0
    )


def test_time_to_first_order_is_measured_only_within_the_order_history(warehouse):
    history_days = count(
        warehouse,
        "select date_diff('day', min(ordered_at), max(ordered_at)) from marts.order_fulfilment",
    )
    longest = count(warehouse, "select max(days_to_first_order_avg) from marts.acquisition_funnel")
    assert longest is not None and longest <= history_days


def test_every_comment_with_a_rating_or_survey_is_on_the_timeline_in_the_customers_words(warehouse):
    missing, commented = warehouse.execute(
        """select count(*) filter (where t.summary is null or not contains(t.summary, '“' || trim(v.comment) || '”')),
                  count(*)
           from marts.satisfaction_verbatims as v
           left join marts.fct_touchpoints as t
               on t.source_record_id = v.source_record_id and t.source_table = v.source_table
           where v.source_table in ('satisfaction_ratings', 'Survey_Response__c')"""
    ).fetchone()
    assert commented > 0 and missing == 0, f"{missing} of {commented} comments are not on the timeline"
