"""Shared fixtures: a small demo company, its service-desk API on a free local port, and one
nightly run published from it (session-scoped: generated and run once per test session)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

TOKEN = "test-token-not-secret"
TOKEN_ENV = "C360_SERVICE_DESK_TOKEN"
SMALL_COMPANY = 150
# The clock of the whole test session (UTC; 15:43 in Shanghai on a month's last day): the demo
# company is written at this moment and every night runs at it, so the suite gives the same
# company and the same figures whenever it runs. tests/test_clock_times.py runs other moments.
SESSION_AS_OF = "2026-11-30 07:43:00"
os.environ["C360_AS_OF"] = SESSION_AS_OF


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def c360(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real `c360` command line, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "c360.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, TOKEN_ENV: TOKEN, **(env or {})},
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"c360 {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def start_run(config: Path, env: dict | None = None) -> subprocess.Popen:
    """`c360 run` in the background, in a process group of its own (dbt's processes with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "c360.cli", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, TOKEN_ENV: TOKEN, **(env or {})},
        start_new_session=True,
    )


def kill_run_at(config: Path, marker: str, env: dict | None = None) -> None:
    """`c360 run`, killed with SIGKILL (the whole process group) when its console shows `marker`."""
    process = start_run(config, env)
    try:
        for line in process.stdout:
            if marker in line:
                os.killpg(process.pid, signal.SIGKILL)
                break
        else:
            raise AssertionError(f"the run ended before {marker!r}")
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


def config_variant(config: Path, name: str, **sections) -> Path:
    """A copy of a company's config beside it (relative paths keep working) with some top-level
    sections replaced."""
    import yaml

    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw.update(sections)
    variant = config.with_name(name)
    variant.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return variant


def published_checksums(config: Path) -> dict:
    """Row count and checksum of every mart of the config's current publish."""
    import duckdb

    from c360.config import load_config
    from c360.warehouse import WarehousePaths, current_file, table_checksums

    con = duckdb.connect(str(current_file(WarehousePaths(load_config(config).warehouse_dir))), read_only=True)
    try:
        return table_checksums(con)
    finally:
        con.close()


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="session", autouse=True)
def installed_components_scanned_once():
    """Each new AppTest has Streamlit read the metadata of every installed package, looking for
    components (0.4 s, four times what a page takes to draw here); the packages installed do not
    change during a session, so the first scan's answer is kept for the others."""
    import functools

    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # a Streamlit without v2 components scans nothing
        yield
        return
    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture(scope="session")
def small_company(tmp_path_factory) -> Path:
    """`c360 demo` for a small company; returns its config file."""
    out = tmp_path_factory.mktemp("company")
    c360("demo", "--customers", str(SMALL_COMPANY), "--seed", "7", "--out", str(out), "--api-port", str(free_port()))
    return out / "c360.yml"


@contextmanager
def serving_demo_api(config: Path):
    """`c360 demo-api` of a demo company in the background; yields its base URL."""
    import yaml

    port = int(yaml.safe_load(config.read_text())["sources"]["service"]["base_url"].rsplit(":", 1)[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "c360.cli", "demo-api", "--config", str(config)],
        env={**os.environ, TOKEN_ENV: TOKEN},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def demo_api(small_company):
    """`c360 demo-api` in the background for the whole session."""
    with serving_demo_api(small_company) as url:
        yield url


@pytest.fixture(scope="session")
def published_company(small_company, demo_api) -> tuple[Path, subprocess.CompletedProcess]:
    """One `c360 run` of the small company; returns its config and the run's output."""
    result = c360("run", "--config", str(small_company))
    return small_company, result


@pytest.fixture(scope="module")
def warehouse(published_company):
    """The small company's published warehouse, open read-only (a module's tests share it)."""
    config, _ = published_company
    con = duckdb.connect(str((config.parent / "warehouse" / "published" / "current.duckdb").resolve()), read_only=True)
    yield con
    con.close()
