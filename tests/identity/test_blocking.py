"""Which organization pairs splink compares: a value too many records carry does not block."""

import pandas as pd

from identity.matching import MAX_RECORDS_PER_BLOCKING_VALUE, match

TOWER = "1 harbour road"


def organizations() -> pd.DataFrame:
    """More tenants of one tower than a blocking value may hold, each its own company; two of
    them share a switchboard. Two companies on a quiet street; two more share a phone but not
    an address."""
    tenants = MAX_RECORDS_PER_BLOCKING_VALUE + 10
    rows = [
        {"name_key": f"tenant {i:03d}", "address": TOWER, "phone": "+85220000001" if i < 2 else None}
        for i in range(tenants)
    ]
    rows += [
        {"name_key": "quiet street one", "address": "9 quiet street", "phone": None},
        {"name_key": "quiet street two", "address": "9 quiet street", "phone": None},
        {"name_key": "apart one", "address": "3 east road", "phone": "+85220000002"},
        {"name_key": "apart two", "address": "4 west road", "phone": "+85220000002"},
    ]
    frame = pd.DataFrame(rows)
    return frame.assign(node_id=range(len(frame)), city="hong kong", domain=None, registration_number=None)[
        ["node_id", "name_key", "city", "domain", "phone", "registration_number", "address"]
    ]


def test_an_address_too_many_organizations_share_does_not_block_but_is_still_compared():
    nodes = organizations()
    result = match(nodes, "organizations", threshold=0.0)
    pairs = {(min(a, b), max(a, b)): p for a, b, p in result.links.itertuples(index=False)}
    tenants = MAX_RECORDS_PER_BLOCKING_VALUE + 10
    quiet, apart = (tenants, tenants + 1), (tenants + 2, tenants + 3)
    # the tower blocks nothing (it would have been 1,770 pairs); the phone and the quiet street do
    assert set(pairs) == {(0, 1), quiet, apart}
    assert result.pairs_compared == 3
    # the two tenants sharing a phone are compared on their address too: it counts for them
    assert pairs[(0, 1)] > pairs[apart]
