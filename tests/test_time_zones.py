"""Daily figures by business date do not depend on the time zone of the process that builds
them: the same data built under two TZ settings gives the same marts, table for table."""

from __future__ import annotations

import pytest

from c360.config import load_config
from c360.warehouse import WarehousePaths, current_file, table_checksums
from tests.conftest import SESSION_AS_OF, c360

# the company built again under another zone (83 s on a fresh clone): make test-slow
pytestmark = [pytest.mark.integration, pytest.mark.slow]

# "now" pinned, so both builds mean the same moment; the real now, as later tests of the shared
# company compare its publish with what its systems hold today
AS_OF = SESSION_AS_OF


def build_under(config, zone: str) -> dict:
    import duckdb

    c360("run", "--config", str(config), env={"TZ": zone, "C360_AS_OF": AS_OF})
    con = duckdb.connect(str(current_file(WarehousePaths(load_config(config).warehouse_dir))), read_only=True)
    try:
        return table_checksums(con)
    finally:
        con.close()


def test_the_same_data_built_under_two_time_zones_gives_the_same_marts(published_company):
    config, _ = published_company
    in_utc = build_under(config, "UTC")
    in_new_york = build_under(config, "America/New_York")  # 5 hours behind, and with DST
    assert in_utc.keys() == in_new_york.keys()
    different = {t: (in_utc[t], in_new_york[t]) for t in in_utc if in_utc[t] != in_new_york[t]}
    assert not different, f"marts that depend on the process's TZ: {different}"
    assert in_utc["callcenter_daily"]["rows"] > 0 and in_utc["satisfaction_daily"]["rows"] > 0
