"""Run an analyst's SQL against the published warehouse safely (`c360 sql`).

- It stops: at a timeout (default 5 minutes) and on Ctrl-C (SIGINT) or SIGTERM. The query runs
  in a worker thread; the main thread, where Python's signal handlers run, watches the deadline
  and the signals and interrupts DuckDB (`con.interrupt()`), which stops between two chunks.
- It is bounded: a modest memory limit (a quarter of the machine, at most 4 GiB, by default),
  a few threads, and DuckDB's temp files in a private folder (0700) outside the warehouse,
  removed afterwards: never `<publish>.duckdb.tmp` beside the analyst file in `published/`.
- It cannot read files or change anything (external access off, configuration locked, as
  `c360.warehouse.open_published`) and it sees no path: DuckDB's home, extension, secret and
  temp directories point into the private folder, and a query naming a function that shows
  settings, the attached databases' paths or extension paths (or one that runs SQL given as
  text, which could spell any of them) is refused before it runs. The names are checked on
  DuckDB's own tokens, so neither case, quoting, spacing nor comments get around the check.
  Error messages have the warehouse's path and the home folder taken out.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from c360.warehouse import WarehousePaths, current_file

DEFAULT_TIMEOUT_S = 300.0
MAX_DEFAULT_MEMORY = 4 * 2**30
TIMEOUT_ENV = "C360_SQL_TIMEOUT"
MEMORY_LIMIT_ENV = "C360_SQL_MEMORY_LIMIT"
THREADS_ENV = "C360_SQL_THREADS"

# Functions and views that show DuckDB's settings (temp, home and secret directories, the
# allowed paths), the attached databases with their paths, or installed extensions and
# secrets (which name their folders).
REVEALING = frozenset(
    {
        "current_setting",
        "duckdb_settings",
        "pg_settings",
        "duckdb_profiling_settings",
        "duckdb_databases",
        "database_list",  # `pragma database_list`, the view pragma_database_list
        "pragma_database_list",
        "duckdb_extensions",
        "duckdb_secrets",
        "which_secret",
        "duckdb_temporary_files",
        "duckdb_logs",
        "duckdb_log_contexts",
        "duckdb_external_file_cache",
    }
)
# Table functions that run SQL, or read a table or view, named by a text value: the text can be
# built at run time ('duckdb_' || 'settings'), so no check of the query's words can see it.
RUNS_TEXT = frozenset({"query", "query_table", "histogram_values", "json_execute_serialized_sql"})

_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$", re.IGNORECASE)
_SPACES = {"Zs", "Zl", "Zp", "Cf"}  # Unicode spaces, and the zero-width ones (format characters)
_POLL_S = 0.1
_GRACE_S = 30.0  # how long an interrupted query may take to wind down


class AnalystQueryError(Exception):
    """A query refused, stopped or badly configured: one line for the analyst, and an exit code."""

    exit_code = 2


class QueryRefused(AnalystQueryError):
    pass


class QueryStopped(AnalystQueryError):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Limits:
    timeout_s: float | None  # None: no timeout
    memory_limit: str  # as DuckDB reads it: 512MiB, 2GB
    threads: int


def machine_memory() -> int:
    """Bytes of memory this process may use: the machine's, or its cgroup's limit when lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        cgroup = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return total
    return min(total, int(cgroup)) if cgroup.isdigit() else total


def default_memory_limit(memory: int | None = None) -> str:
    """A quarter of the machine's memory, at most 4 GiB: the nightly run and the dashboards share it."""
    quarter = (machine_memory() if memory is None else memory) // 4
    return f"{max(min(quarter, MAX_DEFAULT_MEMORY) // 2**20, 64)}MiB"


def default_threads(cpus: int | None = None) -> int:
    """Half of the cores, one to four."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
    return max(1, min(4, cpus // 2))


def limits(
    timeout: float | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> Limits:
    """The limits of one query: each from its option when given, else from its environment
    variable, else the default. A timeout of 0 means none."""
    environ = os.environ if environ is None else environ
    if timeout is None:
        text = environ.get(TIMEOUT_ENV, "").strip()
        try:
            timeout = float(text) if text else DEFAULT_TIMEOUT_S
        except ValueError:
            raise AnalystQueryError(f"{TIMEOUT_ENV} must be a number of seconds, not {text!r}") from None
    if not timeout >= 0:  # also NaN
        raise AnalystQueryError(f"the timeout must be 0 (none) or more seconds, not {timeout}")
    if memory_limit is None:
        memory_limit = environ.get(MEMORY_LIMIT_ENV, "").strip() or default_memory_limit()
    if not _SIZE.match(memory_limit):
        raise AnalystQueryError(f"the memory limit must be a size such as 512MiB or 2GB, not {memory_limit!r}")
    if threads is None:
        text = environ.get(THREADS_ENV, "").strip()
        if not text:
            threads = default_threads()
        elif text.isdigit():
            threads = int(text)
        else:
            raise AnalystQueryError(f"{THREADS_ENV} must be a whole number, not {text!r}")
    if threads < 1:
        raise AnalystQueryError(f"threads must be 1 or more, not {threads}")
    return Limits(timeout_s=timeout or None, memory_limit=memory_limit.strip(), threads=threads)


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) of each of the query's tokens as DuckDB's own lexer splits it, comments left
    out; a quoted name unquoted, names in lower case, as DuckDB resolves them. Unicode spaces
    (U+00A0, U+200B, U+3000, ...) are spaces here as they are to DuckDB's parser, which reads
    `duckdb_settings\u200b()` as the function but whose tokenizer keeps the space in the name."""
    query = "".join(" " if ch.isspace() or unicodedata.category(ch) in _SPACES else ch for ch in query)
    spans = duckdb.tokenize(query)
    tokens = []
    for i, (start, kind) in enumerate(spans):
        end = spans[i + 1][0] if i + 1 < len(spans) else len(query)
        kind = kind.name
        text = query[start:end].strip()
        if kind == "comment":
            continue
        if kind == "identifier" and text.startswith('"'):
            text = text[1:-1].replace('""', '"') if text.endswith('"') and len(text) > 1 else text[1:]
        tokens.append((kind, text.lower() if kind in ("identifier", "keyword") else text))
    return tokens


def refusal(query: str) -> str | None:
    """Why the query is refused, or None: it names something that shows paths, or runs SQL given as text."""
    tokens = _tokens(query)
    for i, (kind, text) in enumerate(tokens):
        if kind in ("identifier", "keyword"):
            if text in REVEALING:
                return f"{text} is not available to analysts' queries: it shows the machine's paths"
            called = i + 1 < len(tokens) and tokens[i + 1][1].startswith("(")
            if text in RUNS_TEXT and called:
                return f"{text}() is not available to analysts' queries: it runs SQL or names a table given as text"
        elif kind == "string_const":
            # a name in a text value is harmless unless something runs it; refuse it anyway rather
            # than rely on every such function being known
            words = set(re.findall(r"[a-z0-9_$]+", text.lower()))
            if words & REVEALING:
                return f"{sorted(words & REVEALING)[0]} is not available to analysts' queries, not even in a text"
    return None


def private_temp_dir(warehouse: Path) -> Path:
    """A new folder only this account can enter (0700) for DuckDB's temp files, outside the warehouse."""
    folder = Path(tempfile.mkdtemp(prefix="c360-sql-"))
    if folder.resolve().is_relative_to(warehouse.resolve()):
        folder.rmdir()
        raise AnalystQueryError(f"the temp folder {folder.parent} is inside the warehouse: point TMPDIR elsewhere")
    return folder


def connect(file: Path, limits: Limits, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one publish within `limits`, whose every folder setting points
    into `temp_dir`, with external access off and the configuration locked."""
    con = duckdb.connect(
        str(file),
        read_only=True,
        config={
            "memory_limit": limits.memory_limit,
            "threads": limits.threads,
            "temp_directory": str(temp_dir / "spill"),
            "home_directory": str(temp_dir),
            "extension_directory": str(temp_dir / "extensions"),
            "secret_directory": str(temp_dir / "secrets"),
        },
    )
    try:
        con.execute("set TimeZone = 'UTC'")  # first: it loads the built-in icu extension
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def scrub(message: str, paths: WarehousePaths) -> str:
    """`message` without the warehouse's path or the home folder."""
    hidden = {}
    for folder in {paths.root.absolute(), paths.root.resolve()}:
        hidden[str(folder)] = "<warehouse>"
    home = os.path.expanduser("~")
    if len(home) > 1:
        hidden[home] = "~"
    for secret in sorted(hidden, key=len, reverse=True):
        message = message.replace(secret, hidden[secret])
    return message


class _Stop:
    """Why the query must stop, set by a signal handler or the deadline; None while it may run."""

    def __init__(self) -> None:
        self.signal: int | None = None


@contextmanager
def _stop_on_signals(stop: _Stop) -> Iterator[None]:
    """SIGINT and SIGTERM ask the query to stop (also where the shell started the command with
    SIGINT ignored); the previous handlers come back afterwards. Only the main thread can set them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame) -> None:
        stop.signal = signum

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _stopped(stop: _Stop, limits: Limits) -> QueryStopped:
    if stop.signal == signal.SIGINT:
        return QueryStopped("query stopped (Ctrl-C)", 130)
    if stop.signal == signal.SIGTERM:
        return QueryStopped("query stopped (terminated)", 143)
    seconds = f"{limits.timeout_s:g}"
    return QueryStopped(
        f"query stopped after {seconds} s; raise --timeout (or {TIMEOUT_ENV}) for a longer query, 0 for none", 124
    )


class _Query(threading.Thread):
    """The query and `emit`, in a worker thread; what went wrong kept for the main thread."""

    def __init__(self, con: duckdb.DuckDBPyConnection, query: str, emit: Callable[[duckdb.DuckDBPyRelation], None]):
        super().__init__(name="c360-sql-query", daemon=True)
        self.con, self.query, self.emit = con, query, emit
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            relation = self.con.sql(self.query)
            if relation is not None:
                self.emit(relation)
        except BaseException as e:  # handed to the main thread
            self.error = e


def run(
    paths: WarehousePaths,
    query: str,
    limits: Limits,
    emit: Callable[[duckdb.DuckDBPyRelation], None],
) -> None:
    """Run `query` on the current publish within `limits` and hand its result to `emit` (which
    prints it; nothing when the statement returns no rows). Raises QueryRefused before running
    a query that could reveal paths, QueryStopped at the timeout or on a signal, and
    AnalystQueryError for DuckDB's own errors, their paths taken out."""
    reason = refusal(query)
    if reason:
        raise QueryRefused(reason)
    stop = _Stop()
    with _stop_on_signals(stop):
        temp_dir = private_temp_dir(paths.root)
        con = worker = None
        try:
            con = connect(current_file(paths), limits, temp_dir)
            worker = _Query(con, query, emit)
            _watch(worker, limits, stop)
        except duckdb.Error as e:
            raise AnalystQueryError(scrub(str(e).strip(), paths)) from None
        finally:
            if con is not None and not (worker and worker.is_alive()):  # never close under a running query
                con.close()
            shutil.rmtree(temp_dir, ignore_errors=True)


def _watch(worker: _Query, limits: Limits, stop: _Stop) -> None:
    """Start the worker and wait for it, watching the deadline and the signals; past either,
    interrupt the query and raise QueryStopped. The worker's own error is raised here."""
    deadline = None if limits.timeout_s is None else time.monotonic() + limits.timeout_s
    if stop.signal is None:  # a signal while connecting: do not start
        worker.start()
    while worker.is_alive() and stop.signal is None and (deadline is None or time.monotonic() < deadline):
        worker.join(_POLL_S)  # a signal interrupts the wait: its handler runs here, in the main thread
    if worker.ident is None or worker.is_alive():
        wind_down = time.monotonic() + _GRACE_S
        while worker.is_alive() and time.monotonic() < wind_down:
            worker.con.interrupt()  # again each time: one sent before execution has started is not kept
            worker.join(_POLL_S)
        if worker.ident is None or worker.is_alive() or worker.error is not None:
            if worker.ident is not None and sys.stdout.isatty():
                print(flush=True)  # end the line of DuckDB's progress bar, drawn on a terminal after 2 s
            raise _stopped(stop, limits)
    if worker.error is not None:
        raise worker.error
