"""A night is right at any hour: the small company written at moments spread over a day (one
just after local midnight, one on a month's last day) and run at that moment loads every
record of its systems, quarantines none, shows nothing from after it, and a second run of the
same night finds nothing new."""

from __future__ import annotations

import re
import sqlite3

import duckdb
import pytest

from c360.config import load_config
from c360.warehouse import WarehousePaths, current_file
from tests.conftest import c360, free_port, serving_demo_api

# UTC; the demo company keeps Shanghai time (UTC+8)
MOMENTS = {
    "just after local midnight": "2026-11-29 16:05:00",
    "early morning": "2026-11-29 22:40:00",
    "lunchtime": "2026-11-30 04:10:00",
    "a month's last evening": "2026-12-31 13:55:00",
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(MOMENTS.values()), ids=list(MOMENTS))
def test_a_night_at_any_hour_loads_its_whole_company_and_nothing_from_after_it(tmp_path, moment):
    env = {"C360_AS_OF": moment}
    c360("demo", "--customers", "60", "--seed", "5", "--out", str(tmp_path), "--api-port", str(free_port()), env=env)
    config = tmp_path / "c360.yml"
    with serving_demo_api(config):
        first = c360("run", "--config", str(config), env=env).stdout
        again = c360("run", "--config", str(config), env=env).stdout
    for source in ("sales", "service", "logistics", "call_center"):
        assert re.search(rf"loaded {source}\s+[1-9][\d,]* rows, 0 quarantined", first), (source, first)
        assert re.search(rf"loaded {source}\s+0 rows, 0 quarantined", again), (source, again)

    crm = sqlite3.connect(tmp_path / "crm" / "crm.sqlite")
    orders = crm.execute('select count(*) from "Order" where not IsDeleted').fetchone()[0]
    tickets = len((tmp_path / "service_desk" / "tickets.jsonl").read_text(encoding="utf-8").splitlines())
    con = duckdb.connect(str(current_file(WarehousePaths(load_config(config).warehouse_dir))), read_only=True)
    try:
        placed, ticketed, latest = con.execute(
            """select count(*) filter (where touchpoint_type = 'order_placed'),
                      count(*) filter (where source_table = 'tickets'),
                      max(occurred_at)
               from marts.fct_touchpoints"""
        ).fetchone()
        negative_ages = con.execute("select count(*) from marts.service_tickets where backlog_age_days < 0").fetchone()
    finally:
        con.close()
    assert (placed, ticketed) == (orders, tickets)
    assert str(latest) <= moment
    assert negative_ages == (0,)
