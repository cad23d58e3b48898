"""METRICS.md is made from the metric definitions' dbt doc blocks, and the marts use them: one
definition, shown alike by `dbt docs` and the page."""

from __future__ import annotations

import glob
import re

from c360.metrics_page import BLOCKS, PAGE, ROOT, doc_blocks, metrics_markdown


def test_metrics_md_is_what_the_doc_blocks_make():
    assert PAGE.read_text(encoding="utf-8") == metrics_markdown(), "run `make metrics` and commit METRICS.md"


def test_every_definition_is_used_by_a_mart_and_every_mart_names_only_definitions_there_are():
    blocks = set(doc_blocks()) - {"metrics_intro"}
    used = set()
    for path in glob.glob(str(ROOT / "dbt_project" / "models" / "**" / "*.yml"), recursive=True):
        used |= set(re.findall(r"""doc\(["'](\w+)["']\)""", open(path, encoding="utf-8").read()))
    assert blocks - used == set(), f"definitions no model shows: {sorted(blocks - used)}"
    assert {u for u in used if u.startswith("metrics_")} <= blocks


def test_a_changed_definition_changes_the_page(tmp_path):
    changed = tmp_path / "_metrics.md"
    changed.write_text(BLOCKS.read_text(encoding="utf-8").replace("× 100", "× 1000", 1), encoding="utf-8")
    assert metrics_markdown(changed) != PAGE.read_text(encoding="utf-8")
