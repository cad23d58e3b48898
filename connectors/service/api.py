"""Read the service desk through its Zendesk-shaped incremental export API.

Pagination follows each endpoint's own rules (SOURCES.md): cursor-based for tickets and
users, time-based for organizations and ticket events, `meta.has_more` for ratings. 429s
are honoured with Retry-After; 5xx and timeouts are retried with bounded backoff."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import requests

from connectors.loader import LoadReport, SourceError, arrow_table, replace_raw_table
from connectors.phones import e164_column

SCHEMA = "raw_service"
MAX_ATTEMPTS = 6
TIMEOUT_S = 30

# resource -> (path, payload key, pagination style, columns kept; nested ones stored as JSON text)
ENDPOINTS = {
    "tickets": (
        "/api/v2/incremental/tickets/cursor.json",
        "tickets",
        "cursor",
        [
            "id",
            "external_id",
            "via",
            "created_at",
            "updated_at",
            "type",
            "subject",
            "description",
            "priority",
            "status",
            "requester_id",
            "submitter_id",
            "assignee_id",
            "organization_id",
            "group_id",
            "tags",
            "custom_fields",
            "satisfaction_rating",
            "due_at",
        ],
    ),
    "users": (
        "/api/v2/incremental/users/cursor.json",
        "users",
        "cursor",
        [
            "id",
            "name",
            "email",
            "phone",
            "organization_id",
            "role",
            "external_id",
            "time_zone",
            "locale",
            "active",
            "created_at",
            "updated_at",
        ],
    ),
    "organizations": (
        "/api/v2/incremental/organizations.json",
        "organizations",
        "time",
        ["id", "name", "domain_names", "external_id", "details", "created_at", "updated_at"],
    ),
    "ticket_events": (
        "/api/v2/incremental/ticket_events.json",
        "ticket_events",
        "time",
        ["id", "ticket_id", "updater_id", "created_at", "event_type", "child_events"],
    ),
    "satisfaction_ratings": (
        "/api/v2/satisfaction_ratings.json",
        "satisfaction_ratings",
        "links",
        ["id", "ticket_id", "requester_id", "assignee_id", "score", "comment", "reason", "created_at", "updated_at"],
    ),
}


class Client:
    def __init__(self, base_url: str, token: str, token_env: str, sleep=time.sleep):
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.sleep = sleep

    def get(self, url: str, params: dict | None = None) -> dict:
        """One page, with retries; the error names the endpoint and the status."""
        endpoint = url.replace(self.base_url, "").split("?")[0]
        delay = 1.0
        last = ""
        for _attempt in range(MAX_ATTEMPTS):
            try:
                response = self.session.get(url, params=params, timeout=TIMEOUT_S)
            except requests.RequestException as e:
                last = f"{e.__class__.__name__}"
                if isinstance(e, requests.ConnectionError) and _attempt == MAX_ATTEMPTS - 1:
                    break
                self.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            if response.status_code in (401, 403):
                raise SourceError(
                    f"service: {endpoint} answered {response.status_code}: check the token in ${self.token_env}"
                )
            if response.status_code == 429:
                wait = float(response.headers.get("Retry-After", delay))
                last = "429 Too Many Requests"
                self.sleep(min(wait, 120))
                continue
            if response.status_code >= 500:
                last = f"{response.status_code}"
                self.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            if response.status_code != 200:
                raise SourceError(f"service: {endpoint} answered {response.status_code}: {response.text[:200]}")
            try:
                return response.json()
            except ValueError:
                raise SourceError(f"service: {endpoint} returned a page that is not valid JSON") from None
        raise SourceError(
            f"service: {endpoint} failed after {MAX_ATTEMPTS} attempts (last: {last}); "
            f"is the service desk at {self.base_url} up?"
        )

    def export(self, path: str, key: str, style: str, start_time: int):
        """Yield the records of one incremental export from `start_time` to the end of the stream."""
        url = self.base_url + path
        params: dict | None = {"start_time": start_time}
        if style == "time" and key == "ticket_events":
            params["include"] = "comment_events"
        if style == "links":
            params["page[size]"] = 100
        while True:
            page = self.get(url, params)
            yield from page.get(key, [])
            if style == "cursor":
                if page.get("end_of_stream") or not page.get("after_cursor"):
                    return
                params = {"cursor": page["after_cursor"]}
            elif style == "time":
                if page.get("end_of_stream") or not page.get("next_page"):
                    return
                url, params = page["next_page"], None
            else:
                if not page.get("meta", {}).get("has_more"):
                    return
                url, params = page["links"]["next"], None


def _flat(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def load(
    con,
    base_url: str,
    token: str | None,
    token_env: str,
    start_date: str | None,
    phone_region: str,
    load_id: str,
    log=print,
) -> LoadReport:
    if not token:
        raise SourceError(
            f"service: no API token: set the environment variable ${token_env} (named by sources.service.token_env)"
        )
    client = Client(base_url, token, token_env)
    start = datetime.fromisoformat(start_date or "2000-01-01").replace(tzinfo=UTC)
    start_time = int(start.timestamp())
    report = LoadReport("service")
    for resource, (path, key, style, columns) in ENDPOINTS.items():
        rows = [{c: _flat(r.get(c)) for c in columns} for r in client.export(path, key, style, start_time)]
        # Incremental exports may repeat a record across pages: the newest version wins.
        latest: dict = {}
        for r in rows:
            latest[r["id"]] = r
        data = arrow_table(list(latest.values()), columns)
        if resource == "users":
            data = data.append_column("phone_e164", e164_column(data["phone"], phone_region))
        replace_raw_table(con, SCHEMA, resource, data, load_id, f"endpoint:{path}", report=report)
        log(f"service: {resource}: {report.rows[resource]:,} records")
    return report
