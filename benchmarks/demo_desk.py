"""The demo service desk in a process of its own, for the benchmarks that load from it.

A real service desk runs on machines of its own; in the loader's process the demo desk would
compete with the loader for the GIL, so every benchmark serves it from a spawned process.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(folder: Path, port: int, token: str, faults: str) -> None:
    from demo.service_desk_api import Faults, serve

    # An ignored SIGTERM is inherited across exec (a bench started under nohup, or by a process
    # that ignores it): the desk then outlived the bench's terminate(), and the bench hung in
    # join() when a night was interrupted. The desk stops when it is told to.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    serve(folder, "127.0.0.1", port, token, Faults.parse(faults))  # serves from a thread of this process
    while True:
        time.sleep(3600)


@contextmanager
def running_desk(folder: Path, port: int, token: str, faults: str = "", start_timeout_s: float = 600):
    """The desk serving `folder` on 127.0.0.1:`port` until the block ends; yields its process.
    It reads every record before it listens (minutes at a million customers), hence the wait."""
    server = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(folder, port, token, faults), daemon=True
    )
    server.start()
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if not server.is_alive():
                raise SystemExit(f"bench: the demo service desk of {folder} stopped before it listened")
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"bench: the demo service desk of {folder} did not listen within {start_timeout_s:.0f} s"
                )
            time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.join(timeout=30)
        if server.is_alive():
            server.kill()
            server.join()
