"""Identity on the published small demo company: measured against its ground truth, looked up
the way an agent would."""

from __future__ import annotations

import json

import pytest

from tests.conftest import c360
from tests.warehouse import query

pytestmark = pytest.mark.integration


def test_identity_meets_its_precision_and_recall_targets_on_the_demo(published_company):
    config, _ = published_company
    result = json.loads(c360("eval", "identity", "--config", str(config), "--json").stdout)
    for level in ("persons", "organizations"):
        figures = result[level]
        assert figures["records_missing_from_map"] == 0, level
        assert figures["precision"] >= 0.99, (level, figures)
        assert figures["recall"] >= 0.97, (level, figures)


def test_eval_identity_prints_a_table_and_names_a_missing_truth_file(published_company, tmp_path):
    config, _ = published_company
    table = c360("eval", "identity", "--config", str(config)).stdout
    assert "persons" in table and "organizations" in table and "precision" in table
    missing = c360("eval", "identity", "--config", str(config), "--truth", str(tmp_path / "nope.csv"), check=False)
    assert missing.returncode == 2 and "nope.csv" in missing.stderr


def sql_rows(config, query: str) -> list[list[str]]:
    out = c360("sql", "--config", str(config), "--csv", query).stdout.splitlines()
    return [line.split(",") for line in out[1:]]


def work_rows(config, sql: str) -> list[tuple]:
    """The run's working database: staging and intermediate layers are not published."""
    return query(config.parent / "warehouse" / "work" / "c360.duckdb", sql)


def test_looking_up_an_order_number_shows_the_customer_and_its_timeline(published_company):
    config, _ = published_company
    [(order_number, customer_id, name)] = work_rows(
        config,
        "select o.order_number, m.customer_id, replace(d.display_name, ',', ' ') from staging.stg_sales__orders o "
        "join marts.customer_identity_map m on m.source_table = 'Account' and m.source_record_id = o.account_id "
        "join marts.dim_customer d using (customer_id) order by o.order_number limit 1",
    )
    out = c360("customer", "--config", str(config), order_number).stdout
    assert f"matched on order {order_number}" in out
    assert customer_id in out and "timeline" in out
    assert f"Order {order_number}" in out or "--all" not in out  # the order is on the timeline (or older)


def test_looking_up_a_phone_as_dialled_finds_its_owner(published_company):
    config, _ = published_company
    [(phone, customer_id)] = work_rows(
        config,
        "select r.phone_e164, any_value(m.customer_id) from intermediate.int_identity__source_records r "
        "join marts.customer_identity_map m using (source_system, source_table, source_record_id) "
        "where r.source_table = 'Contact' and r.phone_e164 like '+861%' group by 1 "
        "having count(distinct m.customer_id) = 1 order by 1 limit 1",
    )
    national = phone.removeprefix("+86")
    dialled = f"{national[:3]}-{national[3:7]}-{national[7:]}"
    out = c360("customer", "--config", str(config), dialled, "--first").stdout
    assert customer_id in out and f"matched on phone •••• {phone[-4:]}" in out  # masked: c360.privacy


def test_a_lookup_that_matches_nothing_says_so(published_company):
    config, _ = published_company
    result = c360("customer", "--config", str(config), "nobody-at-all@nowhere.invalid", check=False)
    assert result.returncode == 1 and "no customer matches" in result.stderr


def test_shared_identifiers_are_listed_for_data_health(published_company):
    config, _ = published_company
    rows = sql_rows(config, "select identifier_type, reason from identity.shared_identifiers")
    assert rows, "the demo plants switchboards and placeholders"
    assert {r[0] for r in rows} <= {"phone", "email"}


def test_a_customer_lookup_shows_risk_next_action_buying_centre_and_open_promises(published_company):
    config, _ = published_company
    published = config.parent / "warehouse" / "published" / "current.duckdb"
    [(customer_id, promises, people)] = query(
        published,
        """select p.customer_id, count(distinct p.promise_id), (select count(*) from marts.customer_contacts c
                                                                  where c.customer_id = p.customer_id)
           from marts.open_promises p where p.status = 'open'
           group by 1 order by 3 desc, 1 limit 1""",
    )
    [(action,)] = query(
        published, "select next_best_action from marts.customer_360 where customer_id = ?", [customer_id]
    )
    out = c360("customer", "--config", str(config), customer_id).stdout
    assert "churn risk" in out and (action is None or f"next best action      {action}" in out)
    section = out.split("open promises\n", 1)[1].split("\n\n", 1)[0]
    assert len(section.splitlines()) >= promises and "overdue" in section
    if people:
        section = out.split("buying centre\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert len([line for line in section if not line.startswith("    ")]) == people  # a person a line
        assert any(line.startswith("    last touched by ") for line in section), "and each department's last touch"


def test_a_customer_lookup_quotes_their_newest_comments_with_score_and_themes(published_company):
    config, _ = published_company
    published = config.parent / "warehouse" / "published" / "current.duckdb"
    [(customer_id, comments)] = query(
        published,
        """select customer_id, count(*) from marts.satisfaction_verbatims
           group by 1 having count(themes) > 0 order by 2 desc, 1 limit 1""",
    )
    [(newest, themes)] = query(
        published,
        """select comment, themes from marts.satisfaction_verbatims where customer_id = ?
           order by responded_at desc, response_id limit 1""",
        [customer_id],
    )
    out = c360("customer", "--config", str(config), customer_id).stdout
    section = out.split("in their words (newest first)\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(section) == min(comments, 5) and f"“{newest}”" in section[0]
    assert themes is None or f"[{themes}]" in section[0]


def test_a_customer_lookup_lists_their_actions_with_status_overdue_first(published_company):
    config, _ = published_company
    published = config.parent / "warehouse" / "published" / "current.duckdb"

    def actions_printed(customer_id: str) -> list[str]:
        out = c360("customer", "--config", str(config), customer_id).stdout
        return out.split("actions (worklist; times UTC)\n", 1)[1].split("\n\n", 1)[0].splitlines()

    [(customer_id, to_do)] = query(
        published,
        """select customer_id, count(*) from marts.action_queue where status in ('open', 'overdue')
           group by 1 having count(*) filter (where status = 'overdue') > 0 order by 2 desc, 1 limit 1""",
    )
    section = actions_printed(customer_id)
    statuses = [line.split("]", 1)[0].strip(" [") for line in section]
    assert statuses[0] == "overdue" and statuses.count("overdue") + statuses.count("open") == to_do
    assert all(line.count(" · ") >= 3 and "was due " in line for line in section if "[overdue]" in line)
    [(customer_id, done_at)] = query(
        published,
        "select customer_id, max(done_at) from marts.action_queue where status = 'done' group by 1 order by 1 limit 1",
    )
    assert any(f"done {done_at:%Y-%m-%d %H:%M}" in line for line in actions_printed(customer_id))
