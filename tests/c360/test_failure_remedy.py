"""A failed night's message says what to do where the error alone does not."""

import re
import shutil

from c360.run import with_remedy


def test_a_full_disk_says_how_much_is_free_and_what_to_do(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "c360.duckdb").write_bytes(b"\0" * 2**20)
    failure = 'c360_dbt_marts: IO Error: Could not write file "work/c360.duckdb": No space left on device'
    explained = with_remedy(failure, tmp_path)
    assert explained.startswith(failure)
    free = float(re.search(r"has (\d+\.\d) GiB free now", explained).group(1))
    assert abs(free - shutil.disk_usage(tmp_path).free / 2**30) < 1  # the disk the warehouse is on
    assert "the working database takes 0.0 GiB" in explained
    assert "move warehouse.dir to a larger disk" in explained


def test_any_other_failure_is_left_as_it_is(tmp_path):
    failure = "load_sales: sales: table(s) Foo named in sources.sales.tables do not exist"
    assert with_remedy(failure, tmp_path) == failure
