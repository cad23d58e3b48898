"""identity/sql holds each stage's statements: every file a stage names exists, every file is
named by a stage, and a statement's {names} are filled in (a missing one fails naming it)."""

import re
from pathlib import Path

import pytest

from identity.statements import sql

IDENTITY = Path(__file__).resolve().parents[2] / "identity"


def test_every_statement_named_exists_and_every_file_is_used():
    named = {m for path in IDENTITY.glob("*.py") for m in re.findall(r'\bsql\("([\w/]+)"', path.read_text())}
    files = {str(p.relative_to(IDENTITY / "sql").with_suffix("")) for p in (IDENTITY / "sql").rglob("*.sql")}
    assert named, "no stage reads its SQL from identity/sql"
    assert named - files == set(), "named by a stage, no such file"
    assert files - named == set(), "a file no stage reads"


def test_a_statement_gets_the_tables_it_names():
    statement = sql("working/group_links", table="t", position="p", value="v", where="true")
    assert "from t where v is not null" in statement and "{" not in statement
    with pytest.raises(KeyError, match="table"):
        sql("working/group_links", position="p", value="v", where="true")
