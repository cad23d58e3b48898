"""`c360 demo-api`: the demo company's service desk as a small local HTTP server speaking the
Zendesk-shaped endpoints of SOURCES.md (incremental exports with their own pagination,
Bearer-token auth). Written from SOURCES.md alone; shares nothing with the connector."""

from __future__ import annotations

import base64
import json
import math
import os
import threading
import time
from array import array
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import orjson

PAGE = 1000
RATINGS_PAGE_MAX = 100


def unix_time(stamp: str) -> int:
    """An ISO 8601 stamp of the desk's records as Unix seconds (what `start_time` counts)."""
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


RESOURCES = {  # resource -> the time its export filters on
    "tickets": "updated_at",
    "users": "updated_at",
    "organizations": "updated_at",
    "ticket_events": "created_at",
    "satisfaction_ratings": "updated_at",
}


class ResourceIndex:
    """Where each record of one resource file is, in the order its export serves them (by the
    time it filters on, then id): 28 bytes a record instead of the record itself, so that a
    desk of tens of millions of records serves from its files (read through the page cache),
    and a page of records is sent as the lines the file holds (one read when they lie
    together, as the demo writes them). Records changed while the desk runs (`upsert`) are kept
    in memory beside the file."""

    def __init__(self, path: Path, stamp_field: str):
        self.path = path
        self.stamp_field = stamp_field
        self.stamps = np.empty(0, np.int64)
        self.ids = np.empty(0, np.int64)
        self.offsets = np.empty(0, np.int64)  # a negative offset -n is the n-th record in `changed`
        self.lengths = np.empty(0, np.int32)
        self.changed: list[bytes] = []
        self.indexed = (None, 0, b"")  # (inode, bytes indexed, the last bytes indexed)

    def refresh(self) -> None:
        """Index what the file gained since the last look (`c360 demo-advance` appends a day);
        a file replaced or rewritten is indexed anew."""
        if not self.path.is_file():
            raise FileNotFoundError(f"demo-api: {self.path} is missing; run `c360 demo` first")
        stat = self.path.stat()
        inode, size, tail = self.indexed
        with open(self.path, "rb") as f:
            if inode == stat.st_ino and size <= stat.st_size:
                f.seek(max(0, size - len(tail)))
                if f.read(len(tail)) == tail:
                    if size == stat.st_size:
                        return
                    self._index(f, size)
                    return
            self.stamps, self.ids = np.empty(0, np.int64), np.empty(0, np.int64)
            self.offsets, self.lengths = np.empty(0, np.int64), np.empty(0, np.int32)
            self.changed = []
            f.seek(0)
            self._index(f, 0)

    def _index(self, f, offset: int) -> None:
        stamps, ids, offsets, lengths = array("q"), array("q"), array("q"), array("i")
        last = b""
        f.seek(offset)
        for line in f:
            if not line.endswith(b"\n"):
                break  # still being written: indexed once it is whole
            body = line.rstrip(b"\r\n")
            if body.strip():
                record = orjson.loads(body)
                stamps.append(unix_time(record[self.stamp_field]))
                ids.append(record["id"])
                offsets.append(offset)
                lengths.append(len(body))
            offset += len(line)
            last = line
        self.indexed = (os.fstat(f.fileno()).st_ino, offset, last[-64:] if last else self.indexed[2])
        if stamps:
            self._add(
                np.frombuffer(stamps, np.int64),
                np.frombuffer(ids, np.int64),
                np.frombuffer(offsets, np.int64),
                np.frombuffer(lengths, np.int32),
            )

    def _add(self, stamps, ids, offsets, lengths) -> None:
        stamps = np.concatenate([self.stamps, stamps])
        ids = np.concatenate([self.ids, ids])
        order = np.lexsort((ids, stamps))
        self.stamps, self.ids = stamps[order], ids[order]
        self.offsets = np.concatenate([self.offsets, offsets])[order]
        self.lengths = np.concatenate([self.lengths, lengths])[order]

    def upsert(self, record: dict) -> None:
        keep = self.ids != record["id"]
        self.stamps, self.ids = self.stamps[keep], self.ids[keep]
        self.offsets, self.lengths = self.offsets[keep], self.lengths[keep]
        line = orjson.dumps(record)
        self.changed.append(line)
        self._add(
            np.array([unix_time(record[self.stamp_field])], np.int64),
            np.array([record["id"]], np.int64),
            np.array([-len(self.changed)], np.int64),
            np.array([len(line)], np.int32),
        )

    def first_at(self, start_time: int) -> int:
        """The position of the first record at or after `start_time`."""
        return int(np.searchsorted(self.stamps, start_time, side="left"))

    def lines(self, first: int, last: int) -> list[bytes]:
        """The JSON text of the records at positions first..last-1."""
        offsets, lengths = self.offsets[first:last], self.lengths[first:last]
        if not len(offsets):
            return []
        together = offsets.min() >= 0 and bool(np.all(offsets[1:] == offsets[:-1] + lengths[:-1] + 1))
        with open(self.path, "rb") as f:
            if together:  # one read, split into its lines
                f.seek(int(offsets[0]))
                return f.read(int(offsets[-1] + lengths[-1] - offsets[0])).split(b"\n")
            out = []
            for offset, length in zip(offsets.tolist(), lengths.tolist(), strict=True):
                if offset < 0:
                    out.append(self.changed[-offset - 1])
                else:
                    f.seek(offset)
                    out.append(f.read(length))
            return out


class ServiceDeskData:
    """The records of each resource, ordered by the time their export filters on."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.resources = {name: ResourceIndex(folder / f"{name}.jsonl", stamp) for name, stamp in RESOURCES.items()}
        self.lock = threading.Lock()
        self.refresh()

    def refresh(self) -> None:
        """Index each resource file again when it changed (`c360 demo-advance` adds a day)."""
        with self.lock:
            for index in self.resources.values():
                index.refresh()

    def upsert(self, name: str, record: dict) -> None:
        """A record changes in the service desk (a late update, a new ticket)."""
        with self.lock:
            self.resources[name].upsert(record)

    def page(self, name: str, start_time: int, offset: int, size: int) -> tuple[list[bytes], int, int | None]:
        """Up to `size` records from the `offset`-th at or after `start_time`: their JSON text,
        how many records there are from `start_time` on, and the time of the page's last record."""
        self.refresh()
        with self.lock:
            index = self.resources[name]
            first = index.first_at(start_time)
            total = len(index.stamps) - first
            begin, end = first + offset, min(first + offset + size, len(index.stamps))
            lines = index.lines(begin, end) if begin < end else []
            last_stamp = int(index.stamps[end - 1]) if begin < end else None
        return lines, total, last_stamp

    def records(self, name: str) -> list[dict]:
        """Every record of a resource, in export order (tests)."""
        lines, _, _ = self.page(name, 0, 0, 2**62)
        return [orjson.loads(line) for line in lines]


@dataclass
class Faults:
    """Trouble a real service desk makes now and then, injected on purpose (tests, `--faults`).
    Every n-th request (0 = never): answer 429 with Retry-After, answer 500, answer late, or
    serve the same cursor page twice; `failing_path` answers 500 for ever. `limit_requests` per
    `limit_window_s` is a rate limit as Zendesk keeps one (its incremental exports: 10 requests a
    minute): past it, 429 with Retry-After in whole seconds until the window ends."""

    rate_limit_every: int = 0
    limit_requests: int = 0
    limit_window_s: float = 60.0
    window_started: float = 0.0
    window_requests: int = 0
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

    def over_limit(self) -> int:
        """0 when this request is within the rate limit, else the seconds to wait (Retry-After)."""
        if not self.limit_requests:
            return 0
        with self.lock:
            now = time.monotonic()
            if now - self.window_started >= self.limit_window_s:
                self.window_started, self.window_requests = now, 0
            if self.window_requests < self.limit_requests:
                self.window_requests += 1
                return 0
            return max(1, math.ceil(self.window_started + self.limit_window_s - now))

    def note(self, kind: str) -> None:
        with self.lock:
            self.served[kind] = self.served.get(kind, 0) + 1

    @classmethod
    def parse(cls, text: str) -> "Faults":
        """`429=5,500=7,slow=9,repeat=3` -> every 5th request a 429, every 7th a 500, ...;
        `limit=10/60` -> at most 10 requests a minute."""
        names = {
            "429": "rate_limit_every",
            "500": "server_error_every",
            "slow": "slow_every",
            "repeat": "repeat_page_every",
        }
        faults = cls()
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, value = part.partition("=")
            requests, _, window = value.partition("/")
            if key == "limit" and requests.isdigit() and window.replace(".", "", 1).isdigit():
                faults.limit_requests, faults.limit_window_s = int(requests), float(window)
                continue
            if key not in names or not value.isdigit():
                raise ValueError(f"--faults: cannot read {part!r} (use e.g. 429=5,500=7,slow=9,repeat=3,limit=10/60)")
            setattr(faults, names[key], int(value))
        return faults


def _encode(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _decode(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor.encode()))


class ServiceDeskHandler(BaseHTTPRequestHandler):
    """The desk's HTTP handler; `make_handler` binds it to the records, the token and the faults."""

    data: ServiceDeskData
    token: str
    faults: Faults
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as web servers set it: the headers and the body are two writes, and with
    # Nagle's algorithm the body waited for the client's delayed ACK of the headers, 40 ms
    # a page on a kept-alive connection (2,500 ratings a second at 100 a page)
    disable_nagle_algorithm = True

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

    def _send_page(self, name: str, lines: list[bytes], fields: dict) -> None:
        """A page: the records as their lines are written, then the pagination fields."""
        payload = b'{"%s":[%s],%s' % (name.encode(), b",".join(lines), orjson.dumps(fields)[1:])
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            return self._send(401, {"error": "Couldn't authenticate you"})
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        n = self.faults.next()
        wait = self.faults.over_limit()
        if wait:
            self.faults.note("rate_limited")
            return self._send(429, {"error": "TooManyRequests"}, {"Retry-After": str(wait)})
        if self.faults.failing_path and url.path == self.faults.failing_path:
            self.faults.note("persistent_500")
            return self._send(500, {"error": "InternalServerError"})
        if self.faults.rate_limit_every and n % self.faults.rate_limit_every == 0:
            self.faults.note("429")
            return self._send(429, {"error": "TooManyRequests"}, {"Retry-After": "1"})
        if self.faults.server_error_every and n % self.faults.server_error_every == 0:
            self.faults.note("500")
            return self._send(500, {"error": "InternalServerError"})
        if self.faults.slow_every and n % self.faults.slow_every == 0:
            self.faults.note("slow")
            time.sleep(self.faults.slow_seconds)
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
            lines, fields = page(name, q, base + url.path)
        except (ValueError, KeyError):
            return self._send(400, {"error": "InvalidPaginationParameter"})
        return self._send_page(name, lines, fields)

    def _cursor(self, name, q, endpoint):
        if "cursor" in q:
            state = _decode(q["cursor"])
        else:
            state = {"start": int(q["start_time"]), "offset": 0}
        chunk, total, _ = self.data.page(name, state["start"], state["offset"], PAGE)
        end = state["offset"] + len(chunk) >= total
        next_offset = state["offset"] + len(chunk)
        if (
            self.faults.repeat_page_every
            and not end
            and not state.get("repeated")
            and (self.faults.next() % self.faults.repeat_page_every == 0)
        ):
            self.faults.note("repeated_page")
            next_offset = state["offset"]  # the next request gets this very page again
        after = _encode({"start": state["start"], "offset": next_offset, "repeated": next_offset == state["offset"]})
        return chunk, {
            "after_cursor": None if end else after,
            "after_url": None if end else f"{endpoint}?{urlencode({'cursor': after})}",
            "before_cursor": None,
            "before_url": None,
            "end_of_stream": end,
        }

    def _time_based(self, name, q, endpoint):
        start = int(q["start_time"])
        chunk, _, last_stamp = self.data.page(name, start, 0, PAGE)
        end_time = last_stamp if chunk else start
        if len(chunk) == PAGE and end_time == start:
            end_time += 1  # a full page within one second: move on rather than loop
        end = len(chunk) < PAGE
        params = {"start_time": end_time}
        if "include" in q:
            params["include"] = q["include"]
        return chunk, {
            "count": len(chunk),
            "end_time": end_time,
            "next_page": None if end else f"{endpoint}?{urlencode(params)}",
            "end_of_stream": end,
        }

    def _links(self, name, q, endpoint):
        size = min(int(q.get("page[size]", RATINGS_PAGE_MAX)), RATINGS_PAGE_MAX)
        start = int(q.get("start_time", 0))
        offset = int(_decode(q["page[after]"])["offset"]) if "page[after]" in q else 0
        chunk, total, _ = self.data.page(name, start, offset, size)
        more = offset + len(chunk) < total
        after = _encode({"offset": offset + len(chunk)})
        return chunk, {
            "meta": {"has_more": more, "after_cursor": after if more else None, "before_cursor": None},
            "links": {
                "next": f"{endpoint}?{urlencode({'start_time': start, 'page[size]': size, 'page[after]': after})}"
                if more
                else None,
                "prev": None,
            },
        }


def make_handler(data: ServiceDeskData, token: str, faults: Faults) -> type[ServiceDeskHandler]:
    return type("Handler", (ServiceDeskHandler,), {"data": data, "token": token, "faults": faults})


def serve(folder: Path, host: str, port: int, token: str, faults: Faults | None = None) -> ThreadingHTTPServer:
    """Start serving in a background thread; returns the server (call `shutdown()` to stop).
    `server.data` holds the records (tests change them), `server.faults` what is injected."""
    data = ServiceDeskData(folder)
    faults = faults or Faults()
    server = ThreadingHTTPServer((host, port), make_handler(data, token, faults))
    server.data, server.faults = data, faults
    threading.Thread(target=server.serve_forever, daemon=True, name="demo-api").start()
    return server
