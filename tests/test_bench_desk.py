"""The benchmarks' demo desk process stops when its block ends, whatever the bench inherited."""

import signal
from datetime import date

from benchmarks.demo_desk import free_port, running_desk
from demo.generate import generate


def test_the_desk_stops_when_its_block_ends_even_under_a_parent_that_ignores_sigterm(tmp_path):
    generate(tmp_path / "company", customers=20, seed=3, end=date(2026, 3, 31), log=lambda *_: None)
    # a bench started by a process that ignores SIGTERM hands that on to the desk it spawns
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        with running_desk(tmp_path / "company" / "service_desk", free_port(), "token", start_timeout_s=120) as desk:
            assert desk.poll() is None  # serving
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert desk.returncode == -signal.SIGTERM  # it stopped when told to, not killed after the timeout
