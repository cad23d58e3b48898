"""benchmarks.model_versions holds a rewrite to the same rows."""

import duckdb

from benchmarks.model_versions import compare


def test_a_rewrite_with_the_same_rows_passes_and_one_that_differs_is_counted(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select range as id, range % 7 as k from range(1000)")
    window = "select id, k from t qualify row_number() over (partition by id order by k) = 1"
    aggregate = "select id, min(k) as k from t group by id"
    same = compare(window, aggregate, warehouse, rounds=1)
    assert same["rows"] == 1000 and same["rows_only_in_old"] == same["rows_only_in_new"] == 0
    assert len(same["seconds"]["old"]) == len(same["seconds"]["new"]) == 1
    differs = compare(window, "select id, k + 1 as k from t where id < 990", warehouse, rounds=1)
    assert differs["rows_only_in_old"] == 1000 and differs["rows_only_in_new"] == 990
