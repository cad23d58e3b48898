"""`c360 demo-api`: the demo company's service desk as a small local HTTP server speaking the
Zendesk-shaped endpoints of SOURCES.md (incremental exports with their own pagination,
Bearer-token auth). Written from SOURCES.md alone; shares nothing with the connector."""

from __future__ import annotations

import base64
import bisect
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

PAGE = 1000
RATINGS_PAGE_MAX = 100


def _unix(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


class ServiceDeskData:
    """The records of each resource, ordered by the time their export filters on."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.resources: dict[str, list[tuple[int, dict]]] = {}
        self.mtimes: dict[str, float] = {}
        self.refresh()

    def refresh(self) -> None:
        """Read each resource file again when it changed (`c360 demo-advance` adds a day)."""
        for name, stamp in (
            ("tickets", "updated_at"),
            ("users", "updated_at"),
            ("organizations", "updated_at"),
            ("ticket_events", "created_at"),
            ("satisfaction_ratings", "updated_at"),
        ):
            path = self.folder / f"{name}.jsonl"
            if not path.is_file():
                raise FileNotFoundError(f"demo-api: {path} is missing; run `c360 demo` first")
            mtime = path.stat().st_mtime
            if self.mtimes.get(name) == mtime:
                continue
            records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
            self.resources[name] = sorted(((_unix(r[stamp]), r) for r in records), key=lambda x: (x[0], x[1]["id"]))
            self.mtimes[name] = mtime

    def upsert(self, name: str, record: dict) -> None:
        """A record changes in the service desk (a late update, a new ticket)."""
        stamp = "created_at" if name == "ticket_events" else "updated_at"
        rows = [x for x in self.resources[name] if x[1]["id"] != record["id"]]
        rows.append((_unix(record[stamp]), record))
        self.resources[name] = sorted(rows, key=lambda x: (x[0], x[1]["id"]))

    def since(self, name: str, start_time: int) -> list[tuple[int, dict]]:
        """Records at or after `start_time`, oldest first (binary search: exports page often)."""
        self.refresh()
        rows = self.resources[name]
        return rows[bisect.bisect_left(rows, start_time, key=lambda x: x[0]) :]


@dataclass
class Faults:
    """Trouble a real service desk makes now and then, injected on purpose (tests, `--faults`).
    Every n-th request (0 = never): answer 429 with Retry-After, answer 500, answer late, or
    serve the same cursor page twice; `failing_path` answers 500 for ever."""

    rate_limit_every: int = 0
    server_error_every: int = 0
    slow_every: int = 0
    slow_seconds: float = 2.0
    repeat_page_every: int = 0
    failing_path: str | None = None
    requests: int = 0
    served: dict = field(default_factory=dict)  # what was injected, for the test's report
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self) -> int:
        with self.lock:
            self.requests += 1
            return self.requests

    def note(self, kind: str) -> None:
        with self.lock:
            self.served[kind] = self.served.get(kind, 0) + 1

    @classmethod
    def parse(cls, text: str) -> "Faults":
        """`429=5,500=7,slow=9,repeat=3` -> every 5th request a 429, every 7th a 500, ..."""
        names = {
            "429": "rate_limit_every",
            "500": "server_error_every",
            "slow": "slow_every",
            "repeat": "repeat_page_every",
        }
        faults = cls()
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, value = part.partition("=")
            if key not in names or not value.isdigit():
                raise ValueError(f"--faults: cannot read {part!r} (use e.g. 429=5,500=7,slow=9,repeat=3)")
            setattr(faults, names[key], int(value))
        return faults


def _encode(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _decode(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor.encode()))


def make_handler(data: ServiceDeskData, token: str, faults: Faults):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # keep the demo quiet; the connector logs progress
            pass

        def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            if self.headers.get("Authorization") != f"Bearer {token}":
                return self._send(401, {"error": "Couldn't authenticate you"})
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            n = faults.next()
            if faults.failing_path and url.path == faults.failing_path:
                faults.note("persistent_500")
                return self._send(500, {"error": "InternalServerError"})
            if faults.rate_limit_every and n % faults.rate_limit_every == 0:
                faults.note("429")
                return self._send(429, {"error": "TooManyRequests"}, {"Retry-After": "1"})
            if faults.server_error_every and n % faults.server_error_every == 0:
                faults.note("500")
                return self._send(500, {"error": "InternalServerError"})
            if faults.slow_every and n % faults.slow_every == 0:
                faults.note("slow")
                time.sleep(faults.slow_seconds)
            base = f"http://{self.headers.get('Host')}"
            routes = {
                "/api/v2/incremental/tickets/cursor.json": ("tickets", self._cursor),
                "/api/v2/incremental/users/cursor.json": ("users", self._cursor),
                "/api/v2/incremental/organizations.json": ("organizations", self._time_based),
                "/api/v2/incremental/ticket_events.json": ("ticket_events", self._time_based),
                "/api/v2/satisfaction_ratings.json": ("satisfaction_ratings", self._links),
            }
            if url.path not in routes:
                return self._send(404, {"error": "InvalidEndpoint"})
            name, page = routes[url.path]
            try:
                return self._send(200, page(name, q, base + url.path))
            except (ValueError, KeyError):
                return self._send(400, {"error": "InvalidPaginationParameter"})

        def _cursor(self, name, q, endpoint):
            if "cursor" in q:
                state = _decode(q["cursor"])
            else:
                state = {"start": int(q["start_time"]), "offset": 0}
            rows = data.since(name, state["start"])
            chunk = rows[state["offset"] : state["offset"] + PAGE]
            end = state["offset"] + len(chunk) >= len(rows)
            next_offset = state["offset"] + len(chunk)
            if (
                faults.repeat_page_every
                and not end
                and not state.get("repeated")
                and (faults.next() % faults.repeat_page_every == 0)
            ):
                faults.note("repeated_page")
                next_offset = state["offset"]  # the next request gets this very page again
            after = _encode(
                {"start": state["start"], "offset": next_offset, "repeated": next_offset == state["offset"]}
            )
            return {
                name: [r for _, r in chunk],
                "after_cursor": None if end else after,
                "after_url": None if end else f"{endpoint}?{urlencode({'cursor': after})}",
                "before_cursor": None,
                "before_url": None,
                "end_of_stream": end,
            }

        def _time_based(self, name, q, endpoint):
            start = int(q["start_time"])
            rows = data.since(name, start)
            chunk = rows[:PAGE]
            end_time = chunk[-1][0] if chunk else start
            if len(chunk) == PAGE and end_time == start:
                end_time += 1  # a full page within one second: move on rather than loop
            end = len(chunk) < PAGE
            params = {"start_time": end_time}
            if "include" in q:
                params["include"] = q["include"]
            return {
                name: [r for _, r in chunk],
                "count": len(chunk),
                "end_time": end_time,
                "next_page": None if end else f"{endpoint}?{urlencode(params)}",
                "end_of_stream": end,
            }

        def _links(self, name, q, endpoint):
            size = min(int(q.get("page[size]", RATINGS_PAGE_MAX)), RATINGS_PAGE_MAX)
            start = int(q.get("start_time", 0))
            offset = int(_decode(q["page[after]"])["offset"]) if "page[after]" in q else 0
            rows = data.since(name, start)
            chunk = rows[offset : offset + size]
            more = offset + len(chunk) < len(rows)
            after = _encode({"offset": offset + len(chunk)})
            return {
                name: [r for _, r in chunk],
                "meta": {"has_more": more, "after_cursor": after if more else None, "before_cursor": None},
                "links": {
                    "next": f"{endpoint}?{urlencode({'start_time': start, 'page[size]': size, 'page[after]': after})}"
                    if more
                    else None,
                    "prev": None,
                },
            }

    return Handler


def serve(folder: Path, host: str, port: int, token: str, faults: Faults | None = None) -> ThreadingHTTPServer:
    """Start serving in a background thread; returns the server (call `shutdown()` to stop).
    `server.data` holds the records (tests change them), `server.faults` what is injected."""
    data = ServiceDeskData(folder)
    faults = faults or Faults()
    server = ThreadingHTTPServer((host, port), make_handler(data, token, faults))
    server.data, server.faults = data, faults
    threading.Thread(target=server.serve_forever, daemon=True, name="demo-api").start()
    return server
