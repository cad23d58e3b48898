"""A run whose DuckDB may hold far less memory than the data it builds spills to disk and
publishes exactly what an unconstrained run publishes (`make test-slow`: it needs a company
several times bigger than the memory limit)."""

from __future__ import annotations

import pytest

from tests.conftest import SESSION_AS_OF, c360, config_variant, free_port, published_checksums, serving_demo_api

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CUSTOMERS = 24_000  # about 630 MB of source data, 2 million touchpoints
MEMORY_LIMIT_MB = 256
# one "now" and one pseudonym key for both warehouses, so that equal data gives equal marts
AS_OF = {"C360_AS_OF": SESSION_AS_OF, "C360_PSEUDONYM_KEY": "one key for both"}


def source_bytes(folder) -> int:
    """What the four systems hold (the ground truth beside them is not loaded)."""
    return sum(
        p.stat().st_size
        for name in ("crm", "service_desk", "logistics", "call_center")
        for p in (folder / name).rglob("*")
        if p.is_file()
    )


def test_a_run_limited_far_below_its_data_spills_and_publishes_the_same_marts(tmp_path):
    out = tmp_path / "company"
    c360("demo", "--customers", str(CUSTOMERS), "--seed", "11", "--out", str(out), "--api-port", str(free_port()))
    config = out / "c360.yml"
    # one model at a time, as the README advises for a machine whose memory is small against its data
    limited = config_variant(
        config,
        "c360-limited.yml",
        warehouse={"dir": "limited", "memory_limit": f"{MEMORY_LIMIT_MB}MB", "build_threads": 1},
    )
    free = config_variant(config, "c360-unlimited.yml", warehouse={"dir": "unlimited"})
    with serving_demo_api(config):
        c360("run", "--config", str(limited), env=AS_OF)
        c360("run", "--config", str(free), env=AS_OF)
    data = source_bytes(out)
    assert data > 2 * MEMORY_LIMIT_MB * 2**20, f"the sources ({data / 2**20:.0f} MB) must dwarf the limit"
    assert published_checksums(limited) == published_checksums(free)
