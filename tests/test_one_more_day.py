"""Nightly increments, end to end: a run after one more day of source data loads exactly that
day, a run with nothing new loads nothing, and the worklist's actions are followed up from one
night to the next."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import TOKEN, TOKEN_ENV, c360, free_port, wait_for_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]  # two nights of a bigger company: make test-slow


def loaded(run_output: str) -> dict[str, int]:
    return {m[1]: int(m[2].replace(",", "")) for m in re.finditer(r"loaded (\w+)\s+([\d,]+) rows", run_output)}


def held_back_rows(folder) -> dict[str, int]:
    held = folder / "held_back"
    with sqlite3.connect(held / "crm.sqlite") as con:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
        sales = sum(con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables)
    service = sum(len(p.read_text().splitlines()) for p in (held / "service_desk").glob("*.jsonl"))
    logistics = sum(len(p.read_bytes().splitlines()) - 1 for p in (held / "logistics").glob("*/*.csv"))
    pbx = held / "call_center"
    call_center = (
        sum(len(p.read_bytes().splitlines()) for p in (pbx / "cdr").glob("*"))
        + sum(len(p.read_bytes().splitlines()) for p in (pbx / "queue_log").glob("*"))
        + sum(len(p.read_bytes().splitlines()) - 1 for p in (pbx / "ivr_survey").glob("*"))
    )
    return {"sales": sales, "service": service, "logistics": logistics, "call_center": call_center}


def delete_an_account_in_the_crm(folder) -> str:
    """The CRM soft-deletes an account during the day (IsDeleted, a new SystemModstamp)."""
    with sqlite3.connect(folder / "crm" / "crm.sqlite") as con:
        account_id = con.execute("select Id from Account order by Id limit 1").fetchone()[0]
        con.execute(
            "update Account set IsDeleted = 1, SystemModstamp = '2026-11-18T02:00:00.000+0000' where Id = ?",
            [account_id],
        )
    return account_id


def reopen_a_deal(folder, not_of_account: str) -> str:
    """A sales rep reopens a lost or won deal during the day, in a stage of its own."""
    with sqlite3.connect(folder / "crm" / "crm.sqlite") as con:
        opportunity_id = con.execute(
            "select Id from Opportunity where IsClosed = 1 and IsDeleted = 0 and AccountId <> ? order by Id limit 1",
            [not_of_account],
        ).fetchone()[0]
        con.execute(
            "update Opportunity set IsClosed = 0, IsWon = 0, StageName = 'Reopened', "
            "SystemModstamp = '2026-11-18T03:00:00.000+0000' where Id = ?",
            [opportunity_id],
        )
    return opportunity_id


def opportunity_stages(config) -> dict[str, tuple[str, str, str, str]]:
    """opportunity_id -> (stage, stage_entered_at, is_days_in_stage_at_least, days_in_stage)."""
    out = c360(
        "sql",
        "--config",
        str(config),
        "--csv",
        "select opportunity_id, stage, stage_entered_at, is_days_in_stage_at_least, days_in_stage "
        "from marts.open_opportunities",
    ).stdout
    return {r[0]: tuple(r[1:]) for r in list(csv.reader(io.StringIO(out)))[1:]}


def identity_map(config) -> dict[tuple[str, str, str], str]:
    out = c360(
        "sql",
        "--config",
        str(config),
        "--csv",
        "select source_system, source_table, source_record_id, customer_id from marts.customer_identity_map",
    ).stdout
    rows = list(csv.reader(io.StringIO(out)))[1:]
    return {(a, b, c): d for a, b, c, d in rows}


def id_changes(config) -> set[tuple[str, str]]:
    out = c360(
        "sql",
        "--config",
        str(config),
        "--csv",
        "select previous_id, current_id from marts.customer_id_history where level = 'customer'",
    ).stdout
    return {tuple(r) for r in list(csv.reader(io.StringIO(out)))[1:]}


def accounts_of(folder) -> dict[str, str]:
    """The ground truth's customers: true customer id -> their CRM account's Id."""
    with open(folder / "ground_truth" / "identities.csv", encoding="utf-8") as f:
        return {r["true_entity_id"]: r["source_record_id"] for r in csv.DictReader(f) if r["source_table"] == "Account"}


def actions_of_accounts(config, accounts: list[str]) -> dict[str, tuple[str, str, str, str]]:
    """action_id -> (CRM account, status, proposed_at, done_at) of those accounts' actions."""
    listed = ", ".join(f"'{a}'" for a in accounts)
    out = c360(
        "sql",
        "--config",
        str(config),
        "--csv",
        "select a.action_id, m.source_record_id, a.status, a.proposed_at, coalesce(cast(a.done_at as varchar), '') "
        "from marts.action_queue as a inner join marts.customer_identity_map as m "
        f"on m.customer_id = a.customer_id and m.source_table = 'Account' where m.source_record_id in ({listed})",
    ).stdout
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in list(csv.reader(io.StringIO(out)))[1:]}


def test_a_run_after_one_more_day_loads_exactly_that_day(tmp_path):
    port = free_port()
    # a working Wednesday, so every system has something on the day held back
    demo = ["--customers", "250", "--seed", "21", "--end-date", "2026-11-18", "--hold-back-days", "1"]
    c360("demo", *demo, "--out", str(tmp_path), "--api-port", str(port))
    config = tmp_path / "c360.yml"
    api = subprocess.Popen(
        [sys.executable, "-m", "c360.cli", "demo-api", "--config", str(config)],
        env={**os.environ, TOKEN_ENV: TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        # each night at the end of its last day (Shanghai, UTC+8)
        first = loaded(c360("run", "--config", str(config), "--as-of", "2026-11-17 15:59:59").stdout)
        ids_first_night = identity_map(config)
        assert all(first[s] > 0 for s in ("sales", "service", "logistics", "call_center")), first
        expected = held_back_rows(tmp_path)
        assert all(expected.values()), expected
        account = accounts_of(tmp_path)
        with open(tmp_path / "ground_truth" / "follow_ups.csv", encoding="utf-8") as f:
            calls = {account[r["true_customer_id"]]: r["called_at"] for r in csv.DictReader(f)}
        to_do = {
            action: (account, proposed_at)
            for action, (account, status, proposed_at, _) in actions_of_accounts(config, list(calls)).items()
            if status in ("open", "overdue")
        }
        stages_first_night = opportunity_stages(config)
        gone = delete_an_account_in_the_crm(tmp_path)
        reopened = reopen_a_deal(tmp_path, gone)
        expected["sales"] += 2
        c360("demo-advance", "--config", str(config))
        second = loaded(c360("run", "--config", str(config), "--as-of", "2026-11-18 15:59:59").stdout)
        assert second == expected
        # the account owners' calls of the day held back (planted) mark their customers' open actions done
        assert to_do, "the planted calls are to customers with actions still to do"
        after = actions_of_accounts(config, list(calls))
        for action, (account, _) in to_do.items():
            _, status, _, done_at = after[action]
            assert status == "done" and done_at <= calls[account].replace("T", " "), (action, after[action])
        # the CRM keeps no stage history: the warehouse dates the change by the version it saw
        # first in the new stage (the night before saw the deal closed), and keeps every other
        # open deal's date of entry
        stages = opportunity_stages(config)
        assert reopened not in stages_first_night
        assert stages[reopened] == ("Reopened", "2026-11-18 03:00:00", "False", "0"), stages[reopened]
        assert all(stages[d][:3] == entry[:3] for d, entry in stages_first_night.items() if d in stages)
        ids_second_night = identity_map(config)
        third = loaded(c360("run", "--config", str(config), "--as-of", "2026-11-18 15:59:59").stdout)
        assert third == {"sales": 0, "service": 0, "logistics": 0, "call_center": 0}
        assert identity_map(config) == ids_second_night, "a night without news changes no customer id"
        # the churn history keeps a night per company day: the third night, on the second's day, replaces it
        nights = c360(
            "sql",
            "--config",
            str(config),
            "--csv",
            "select distinct night_date from marts.customer_churn_nightly order by 1",
        ).stdout.splitlines()[1:]
        assert nights == ["2026-11-17", "2026-11-18"], nights
        # every record keeps its customer id from night to night, unless the history says where it went
        changes = id_changes(config)
        moved = {
            record: (before, ids_second_night[record])
            for record, before in ids_first_night.items()
            if record in ids_second_night and ids_second_night[record] != before
        }
        assert all(change in changes for change in moved.values()), moved
        assert len(moved) < len(ids_first_night) / 100, f"{len(moved)} of {len(ids_first_night)} records moved"
        customers = c360(
            "sql",
            "--config",
            str(config),
            "--csv",
            f"select count(*) as n from marts.dim_customer where crm_account_id = '{gone}'",
        ).stdout
        assert customers.splitlines()[1] == "0", "a deleted CRM account leaves the identity map"
    finally:
        api.terminate()
        api.wait(timeout=10)
