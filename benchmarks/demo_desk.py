"""The demo service desk in a process of its own, for the benchmarks that load from it.

A real service desk runs on machines of its own; in the loader's process the demo desk would
compete with the loader for the GIL, so every benchmark serves it from a process of its own.
That process is `python -m benchmarks.demo_desk`, not a multiprocessing child: a spawned child
re-imports the parent's `__main__`, and after a Streamlit AppTest in the same pytest process
`__main__` is a dashboard script, which then ran in the desk's process and killed it.
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(folder: Path, port: int, token: str, faults: str) -> None:
    from demo.service_desk_api import Faults, serve  # in the desk's own process alone

    # An ignored SIGTERM is inherited across exec (a bench started under nohup, or by a process
    # that ignores it): the desk then outlived the bench's terminate(), and the bench hung in
    # wait() when a night was interrupted. The desk stops when it is told to.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    serve(folder, "127.0.0.1", port, token, Faults.parse(faults))  # serves from a thread of this process
    while True:
        time.sleep(3600)


@contextmanager
def running_desk(folder: Path, port: int, token: str, faults: str = "", start_timeout_s: float = 600):
    """The desk serving `folder` on 127.0.0.1:`port` until the block ends; yields its process
    (a `subprocess.Popen`). It reads every record before it listens (minutes at a million
    customers), hence the wait."""
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.demo_desk", str(folder), str(port), token, "--faults", faults]
    )
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None:
                raise SystemExit(
                    f"bench: the demo service desk of {folder} stopped before it listened "
                    f"(exit code {server.returncode}; its error is printed above)"
                )
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"bench: the demo service desk of {folder} did not listen within {start_timeout_s:.0f} s"
                )
            time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a demo company's service desk on 127.0.0.1.")
    parser.add_argument("folder", type=Path, help="the company's service_desk folder")
    parser.add_argument("port", type=int)
    parser.add_argument("token", help="the bearer token clients must send")
    parser.add_argument("--faults", default="", help="faults to inject, as demo.service_desk_api.Faults reads them")
    args = parser.parse_args(argv)
    _serve(args.folder, args.port, args.token, args.faults)


if __name__ == "__main__":
    main()
