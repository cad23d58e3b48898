"""The demo's service desk speaks the Zendesk-shaped endpoints over real HTTP."""

from __future__ import annotations

import requests

from tests.conftest import TOKEN


def get(base, path, token=TOKEN, **params):
    return requests.get(base + path, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_a_wrong_token_is_refused_with_401(demo_api):
    assert get(demo_api, "/api/v2/incremental/tickets/cursor.json", token="wrong", start_time=0).status_code == 401


def test_cursor_export_pages_until_end_of_stream(demo_api):
    page = get(demo_api, "/api/v2/incremental/tickets/cursor.json", start_time=0).json()
    ids = [t["id"] for t in page["tickets"]]
    while not page["end_of_stream"]:
        page = get(demo_api, "/api/v2/incremental/tickets/cursor.json", cursor=page["after_cursor"]).json()
        ids += [t["id"] for t in page["tickets"]]
    assert ids and len(ids) == len(set(ids))


def test_time_based_export_returns_records_updated_since_start_time(demo_api):
    from datetime import datetime

    page = get(demo_api, "/api/v2/incremental/organizations.json", start_time=0).json()
    assert page["organizations"] and page["end_of_stream"] and page["count"] == len(page["organizations"])
    later = get(demo_api, "/api/v2/incremental/organizations.json", start_time=page["end_time"]).json()
    assert later["organizations"], "the record at end_time is served again (overlap, not a gap)"
    for org in later["organizations"]:
        assert datetime.fromisoformat(org["updated_at"].replace("Z", "+00:00")).timestamp() >= page["end_time"]


def test_satisfaction_ratings_page_by_links_next(demo_api):
    page = get(demo_api, "/api/v2/satisfaction_ratings.json", start_time=0, **{"page[size]": 10}).json()
    seen = [r["id"] for r in page["satisfaction_ratings"]]
    assert len(seen) == 10 and page["meta"]["has_more"]
    while page["meta"]["has_more"]:
        page = requests.get(page["links"]["next"], headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).json()
        seen += [r["id"] for r in page["satisfaction_ratings"]]
    assert len(seen) == len(set(seen)) > 10
