from datetime import datetime

import duckdb
import pyarrow as pa

from identity.graph import components, new_id, stable_ids


def ids_for(keys, clusters, previous, known=frozenset(), first_seen=None):
    con = duckdb.connect()
    con.register(
        "records_frame",
        pa.table(
            {
                "record_key": keys,
                "cluster": clusters,
                "previous": pa.array(previous, pa.string()),
                "first_seen_at": pa.array(first_seen or [None] * len(keys), pa.timestamp("us")),
            }
        ),
    )
    con.execute("create temp table records as select * from records_frame")
    con.register("known_frame", pa.table({"id": pa.array(sorted(known), pa.string())}))
    con.execute("create temp table known as select * from known_frame")
    history = stable_ids(con, "records", "cluster", "previous", "cus_", "known", "ids")
    ids = dict(con.execute("select record_key, id from ids").fetchall())
    con.close()
    return ids, history


def test_links_make_connected_components():
    labels = components(5, [0, 1], [1, 2])
    assert labels[0] == labels[1] == labels[2] and len({labels[2], labels[3], labels[4]}) == 3


def test_a_new_cluster_gets_an_id_from_its_smallest_record_key_every_time():
    first, _ = ids_for(["b", "a", "c"], [1, 1, 2], [None, None, None])
    again, _ = ids_for(["b", "a", "c"], [7, 7, 3], [None, None, None])
    assert first == again
    assert first["a"] == first["b"] == new_id("cus_", "a") and first["c"] == new_id("cus_", "c")


def test_a_new_cluster_gets_its_id_from_its_first_seen_record_as_the_night_it_appeared_did():
    # the night a shipment arrived alone, its customer got an id from it; a call from the same
    # number came a week later with a smaller key: a rebuild of both mints the nights' id
    first_night, _ = ids_for(["logistics|shipments|S1"], [1], [None], first_seen=[datetime(2026, 3, 1)])
    rebuilt, _ = ids_for(
        ["logistics|shipments|S1", "call_center|cdr|C9"],
        [4, 4],
        [None, None],
        first_seen=[datetime(2026, 3, 1), datetime(2026, 3, 8)],
    )
    assert rebuilt["call_center|cdr|C9"] == rebuilt["logistics|shipments|S1"] == first_night["logistics|shipments|S1"]
    # an unknown time comes last; equal times fall back to the smallest key
    unknown, _ = ids_for(["a", "b"], [1, 1], [None, None], first_seen=[None, datetime(2026, 3, 8)])
    assert unknown["a"] == new_id("cus_", "b")
    tied, _ = ids_for(["b", "a"], [1, 1], [None, None], first_seen=[datetime(2026, 3, 8)] * 2)
    assert tied["b"] == new_id("cus_", "a")


def test_an_id_stays_when_new_records_join_its_customer():
    ids, history = ids_for(["a", "b", "new"], [1, 1, 1], ["cus_x", "cus_x", None])
    assert set(ids.values()) == {"cus_x"} and history.empty


def test_a_merge_keeps_the_id_with_most_records_and_retires_the_other_pointing_to_it():
    ids, history = ids_for(["a", "b", "c"], [1, 1, 1], ["cus_small", "cus_big", "cus_big"])
    assert set(ids.values()) == {"cus_big"}
    assert history.to_dict("records") == [
        {"previous_id": "cus_small", "current_id": "cus_big", "change": "merge", "records": 1}
    ]


def test_a_tie_between_merged_ids_is_broken_by_the_smaller_id():
    ids, _ = ids_for(["a", "b"], [1, 1], ["cus_2", "cus_1"])
    assert set(ids.values()) == {"cus_1"}


def test_a_split_keeps_the_id_where_most_records_stay_and_records_where_the_rest_went():
    ids, history = ids_for(["a", "b", "c"], [1, 1, 2], ["cus_x", "cus_x", "cus_x"])
    assert ids["a"] == ids["b"] == "cus_x" and ids["c"] != "cus_x"
    assert history.to_dict("records") == [
        {"previous_id": "cus_x", "current_id": ids["c"], "change": "split", "records": 1}
    ]


def test_a_new_id_never_reuses_a_retired_one():
    retired = new_id("cus_", "a")
    ids, _ = ids_for(["a"], [1], [None], known={retired})
    assert ids["a"] != retired and ids["a"].startswith("cus_")
