"""A night can be rebuilt exactly: two clean warehouses built from the same sources at the
same pinned moment publish byte-identical marts, whatever the wall clock, the process's time
zone or the order the night happens to run in."""

from __future__ import annotations

import pytest

from tests.conftest import SESSION_AS_OF, c360, config_variant, free_port, published_checksums, serving_demo_api

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_two_clean_builds_of_the_same_sources_and_as_of_publish_identical_marts(tmp_path):
    out = tmp_path / "company"
    c360("demo", "--customers", "120", "--seed", "13", "--out", str(out), "--api-port", str(free_port()))
    config = out / "c360.yml"
    first = config_variant(config, "c360-first.yml", warehouse={"dir": "first"})
    second = config_variant(config, "c360-second.yml", warehouse={"dir": "second"})
    same = {"C360_AS_OF": SESSION_AS_OF, "C360_PSEUDONYM_KEY": "one key for both"}
    with serving_demo_api(config):
        c360("run", "--config", str(first), env={**same, "TZ": "America/Chicago"})
        c360("run", "--config", str(second), env={**same, "TZ": "Asia/Kolkata"})
    checksums = published_checksums(first)
    assert checksums["customer_360"]["rows"] > 0 and checksums["fct_touchpoints"]["rows"] > 0
    assert published_checksums(second) == checksums
