"""Read the service desk through its Zendesk-shaped incremental export API, loaded with dlt.

Pagination follows each endpoint's own rules (SOURCES.md): cursor-based for tickets and
users, time-based for organizations and ticket events, `meta.has_more` for ratings. It is
written here rather than with dlt's generic REST paginators because Zendesk's exports end
with `end_of_stream: true` while still returning a next cursor or page, which those
paginators would follow for ever. 429s are honoured with Retry-After; connection errors,
timeouts and 5xx are retried with backoff for `retry_s` seconds (15 by default,
`sources.service.retry_seconds`); a persistent failure then fails the load with the URL and
the last error, and the stored cursor does not move (dlt commits state only with a load).

Incremental: each endpoint keeps the newest timestamp it has loaded in dlt's state; the next
night starts an overlap window earlier to catch late updates, and records already loaded
(same id and timestamp) are recognised and counted, not loaded again. Merged on `id`."""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from queue import Full, Queue

import dlt
import orjson
import pyarrow as pa
import requests

from connectors.batches import SourceTally, finisher, prepare_batch
from connectors.dlt_runs import LoadPlan, pipeline_for, run_plan
from connectors.loader import SourceError, arrow_table_from_columns

SCHEMA = "raw_service"
RETRY_S = 15.0  # how long one request is retried while the desk cannot be reached or fails
MAX_RATE_LIMITED = 6  # 429s in a row for one request: the desk's limit is not what it says
TIMEOUT_S = 30
OVERLAP = timedelta(minutes=10)
BATCH_ROWS = 100_000  # records checked and handed to dlt at a time: the contract check costs ~0.13 s a batch
PREFETCH_PAGES = 4  # pages fetched ahead while the current one is processed
RECENT_PAGES = 4  # pages whose records are recognised when sent again
PROGRESS_EVERY = 1_000_000  # records read between two progress lines

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
    """One service desk. The retry policy: `timeout_s` for an answer, `backoff_s` doubling
    between attempts, and `retry_s` for the whole of one request's failed attempts (tests
    shorten them; `sleep` and `clock` are for tests too)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        token_env: str,
        timeout_s: float = TIMEOUT_S,
        backoff_s: float = 1.0,
        retry_s: float = RETRY_S,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout_s = timeout_s
        self.backoff_s = backoff_s
        self.retry_s = retry_s
        self.sleep = sleep
        self.clock = clock

    def get(self, url: str, params: dict | None = None) -> dict:
        """One page, with retries; the error names the endpoint and the status.

        Failed attempts (no connection, no answer in time, 5xx) are retried with a doubling
        backoff until `retry_s` seconds have passed since the request began: a connection may
        take no longer than what is left of them, and no attempt starts without time left for
        it, so an unreachable desk fails the load within `retry_s`. A 429 is the desk at work:
        its Retry-After is waited out and the retry time starts again."""
        endpoint = url.replace(self.base_url, "").split("?")[0]
        started = self.clock()
        delay = self.backoff_s
        attempts = rate_limited = 0
        last = ""
        while True:
            attempts += 1
            left = started + self.retry_s - self.clock()
            try:
                # connecting may take no longer than the retry time left; a slow answer from a
                # desk that is there gets the whole timeout
                timeout = (max(min(self.timeout_s, left), 0.05), self.timeout_s)
                response = self.session.get(url, params=params, timeout=timeout)
            except requests.RequestException as e:
                last = _why(e)
            else:
                if response.status_code in (401, 403):
                    raise SourceError(
                        f"service: {endpoint} answered {response.status_code}: check the token in ${self.token_env}"
                    )
                if response.status_code == 429:
                    rate_limited += 1
                    if rate_limited >= MAX_RATE_LIMITED:
                        raise SourceError(
                            f"service: {self.base_url}{endpoint} answered 429 Too Many Requests {rate_limited} "
                            "times in a row, each after the wait its Retry-After asked for"
                        )
                    self.sleep(min(float(response.headers.get("Retry-After", delay)), 120))
                    started, delay = self.clock(), self.backoff_s
                    continue
                if response.status_code < 500:
                    if response.status_code != 200:
                        raise SourceError(f"service: {endpoint} answered {response.status_code}: {response.text[:200]}")
                    try:
                        return orjson.loads(response.content)  # several times the standard library's speed
                    except orjson.JSONDecodeError:
                        raise SourceError(f"service: {endpoint} returned a page that is not valid JSON") from None
                last = f"{response.status_code}"
            left = started + self.retry_s - self.clock()
            # wait at most half the time left, so that the next attempt has time too; give up
            # when that is shorter than the backoff itself
            wait = min(delay, left / 2)
            if wait < min(self.backoff_s, self.retry_s / 4):
                raise SourceError(
                    f"service: {self.base_url}{endpoint} failed after {attempts} attempts in "
                    f"{self.clock() - started:.1f} s (last: {last}): check that the service desk is up and that "
                    f"sources.service.base_url is its address (retried for up to {self.retry_s:g} s, "
                    "sources.service.retry_seconds)"
                )
            self.sleep(wait)
            delay = min(delay * 2, 30 * self.backoff_s)

    def export(self, path: str, key: str, style: str, start_time: int):
        """Yield the records of one incremental export from `start_time` to the end of the stream.

        The next pages are fetched in a background thread while this one's records are
        processed, so the load waits on the service desk only, not on the service desk and then
        on itself (the pages must still come one after the other: each names the next)."""
        for records in self.export_pages(path, key, style, start_time):
            yield from records

    def export_pages(self, path: str, key: str, style: str, start_time: int):
        """The same, a page's records at a time (the loader works on whole pages)."""
        for page in prefetched(self._pages(path, key, style, start_time), PREFETCH_PAGES):
            yield page.get(key, [])

    def _pages(self, path: str, key: str, style: str, start_time: int):
        url = self.base_url + path
        params: dict | None = {"start_time": start_time}
        if style == "time" and key == "ticket_events":
            params["include"] = "comment_events"
        if style == "links":
            params["page[size]"] = 100
        while True:
            page = self.get(url, params)
            yield page
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


def _why(error: requests.RequestException) -> str:
    """Why a request got no answer, in a few words: the system's reason where there is one
    ("Connection refused", "Name or service not known"), else the kind of error."""
    if isinstance(error, requests.Timeout):
        return f"no answer in time ({error.__class__.__name__})"
    reason = re.search(r"\[Errno -?\d+\] ([^\"')\]]+)", str(error))
    return reason.group(1).strip() if reason else error.__class__.__name__


_DONE = object()


def prefetched(pages, depth: int):
    """Iterate `pages` in a background thread, `depth` pages ahead of the consumer. An error
    in the thread is raised here; when the consumer stops early, the thread stops too."""
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item) -> bool:
        """Put `item` when there is room; False once the consumer has gone."""
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.2)
                return True
            except Full:
                continue
        return False

    def produce():
        try:
            for page in pages:
                if not offer(page):
                    return
            offer(_DONE)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, raised there
            offer(error)

    thread = threading.Thread(target=produce, name="service-desk-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


def _json(value) -> str:
    """A value as JSON text (orjson: UTF-8 as written, and several times json.dumps)."""
    return orjson.dumps(value).decode()


def records_table(records: list[dict], columns: list[str]):
    """The kept columns of a page's records as Arrow, gathered column by column. A column
    holding objects or lists (via, tags, custom_fields, ...), or values of several kinds (a
    custom field that is text on one ticket and a list on the next), is stored as text: its
    strings as they are, everything else as JSON."""
    gathered = {}
    for column in columns:
        values = [record.get(column) for record in records]
        kinds = set(map(type, values)) - {type(None)}  # map and set run in C: cheaper than testing each value
        if dict in kinds or list in kinds or (len(kinds) > 1 and kinds != {int, float}):
            values = [value if value is None or isinstance(value, str) else _json(value) for value in values]
        gathered[column] = values
    return arrow_table_from_columns(gathered)


STAMP = {"ticket_events": "created_at"}  # the field each export's start_time filters on


def _unix(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def _loaded_since(con, resource: str, stamp_field: str, start_time: int) -> set[tuple]:
    """(id, timestamp) of the records already in raw that the overlap window will send again."""
    try:
        rows = con.execute(
            f'select id, "{stamp_field}" from {SCHEMA}."{resource}" where "{stamp_field}" >= ?',
            [datetime.fromtimestamp(start_time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")],
        ).fetchall()
    except Exception:  # noqa: BLE001 - the first load: no table yet
        return set()
    return {(int(i), str(t)) for i, t in rows}


def _export_resource(
    client: Client, con, resource: str, initial_start: int, tally: SourceTally, region: str, log=print
):
    path, key, style, columns = ENDPOINTS[resource]
    stamp_field = STAMP.get(resource, "updated_at")

    def prepared(batch: list[dict]) -> pa.Table:
        data = records_table(batch, columns)
        return prepare_batch("service", resource, data, f"endpoint:{path}", tally, ("phone",), region, primary_key="id")

    @dlt.resource(name=resource, table_name=resource, primary_key="id", write_disposition="merge")
    def export():
        state = dlt.current.resource_state()
        newest = state.get("newest")
        start_time = max(initial_start, newest - int(OVERLAP.total_seconds())) if newest else initial_start
        known = _loaded_since(con, resource, stamp_field, start_time)
        counts = tally.table(resource)
        batch: list[dict] = []
        # what the last pages held: an export sends a record again only on the next page (a page
        # served twice, or a time-based page starting at the previous page's last second), so a
        # first load of tens of millions of records need not remember them all
        recent: deque[set[tuple]] = deque(maxlen=RECENT_PAGES)
        for records in client.export_pages(path, key, style, start_time):
            counts.read += len(records)
            if counts.read // PROGRESS_EVERY > (counts.read - len(records)) // PROGRESS_EVERY:
                log(f"service: {resource}: {counts.read:,} read so far")  # a first load can take an hour
            fresh = []
            page: set[tuple] = set()
            for record in records:
                identity = (int(record["id"]), str(record.get(stamp_field)))
                if identity in known or identity in page or any(identity in seen for seen in recent):
                    continue  # in the overlap window, or sent again
                page.add(identity)
                fresh.append(record)
            recent.append(page)
            counts.already_loaded += len(records) - len(fresh)
            if fresh:
                # one API writes one timestamp format, so the greatest text is the latest time
                # (a fraction of a second off at worst, well inside the overlap window)
                newest = max(newest or 0, _unix(max(str(r[stamp_field]) for r in fresh)))
                batch.extend(fresh)
            if len(batch) >= BATCH_ROWS:
                yield prepared(batch)
                batch = []
        if batch:
            yield prepared(batch)
        if newest:
            state["newest"] = newest  # committed with the load, so a failed night does not move it

    return export


def plan(
    con,
    base_url: str,
    token: str | None,
    token_env: str,
    start_date: str | None,
    phone_region: str,
    work_db: Path,
    state_dir: Path,
    log=print,
    client: Client | None = None,
    retry_seconds: float = RETRY_S,
) -> LoadPlan:
    if not token:
        raise SourceError(
            f"service: no API token: set the environment variable ${token_env} (named by sources.service.token_env)"
        )
    client = client or Client(base_url, token, token_env, retry_s=retry_seconds)
    initial_start = int(datetime.fromisoformat(start_date or "2000-01-01").replace(tzinfo=UTC).timestamp())
    tally = SourceTally("service")

    @dlt.source(name="service_desk")
    def service_desk():
        return [_export_resource(client, con, r, initial_start, tally, phone_region, log) for r in ENDPOINTS]

    return LoadPlan(
        service_desk(), pipeline_for("service", work_db, state_dir), finisher(con, tally, list(ENDPOINTS), log)
    )


def load(*args, **kwargs):
    """`plan(...)` run directly with dlt (without Dagster); returns the LoadReport."""
    return run_plan(plan(*args, **kwargs))
