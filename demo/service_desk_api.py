"""`c360 demo-api`: the demo company's service desk as a small local HTTP server speaking the
Zendesk-shaped endpoints of SOURCES.md (incremental exports with their own pagination,
Bearer-token auth). Written from SOURCES.md alone; shares nothing with the connector."""

from __future__ import annotations

import base64
import json
import threading
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
        self.resources: dict[str, list[tuple[int, dict]]] = {}
        for name, stamp in (
            ("tickets", "updated_at"),
            ("users", "updated_at"),
            ("organizations", "updated_at"),
            ("ticket_events", "created_at"),
            ("satisfaction_ratings", "updated_at"),
        ):
            path = folder / f"{name}.jsonl"
            if not path.is_file():
                raise FileNotFoundError(f"demo-api: {path} is missing; run `c360 demo` first")
            records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
            self.resources[name] = sorted(((_unix(r[stamp]), r) for r in records), key=lambda x: (x[0], x[1]["id"]))

    def since(self, name: str, start_time: int) -> list[tuple[int, dict]]:
        return [x for x in self.resources[name] if x[0] >= start_time]


def _encode(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _decode(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor.encode()))


def make_handler(data: ServiceDeskData, token: str):
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
            after = _encode({"start": state["start"], "offset": state["offset"] + len(chunk)})
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


def serve(folder: Path, host: str, port: int, token: str) -> ThreadingHTTPServer:
    """Start serving in a background thread; returns the server (call `shutdown()` to stop)."""
    server = ThreadingHTTPServer((host, port), make_handler(ServiceDeskData(folder), token))
    threading.Thread(target=server.serve_forever, daemon=True, name="demo-api").start()
    return server
