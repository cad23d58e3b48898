"""Personal data in the publish: what analysts and dashboards may read, and what only the
account named in the config may.

DuckDB has no users or grants inside a file, so the separation is by file:

- the analyst file (`published/c360-<run>.duckdb`) holds no e-mail address or phone number.
  Where a mart keeps one as a key, it holds a pseudonym instead: a keyed hash (HMAC-SHA256
  with a secret), so analysts can still count and join on it and a lookup can find an exact
  value, but nobody can read it back — an unkeyed hash of a phone number is reversed by
  hashing every possible number. Where a value is only shown, it is masked (`•••• 5678`).
- the contacts file (`published/c360-<run>.contacts.duckdb`) holds the real values, readable
  only by its owner (mode 0400; `privacy.contacts_owner` names another account to own it).

The secret comes from the environment (`$C360_PSEUDONYM_KEY`), else from a key file the
first run creates beside the warehouse, readable by its owner only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import duckdb
import pyarrow as pa

KEY_ENV = "C360_PSEUDONYM_KEY"
KEY_FILE = "secrets/pseudonym.key"

# The schemas analysts and dashboards read; raw, staging and intermediate layers hold the
# sources' contact details and stay in the run's working database.
PUBLISHED_SCHEMAS = ("marts", "identity", "scoring", "calendar", "ops")

MASKED_PHONE = "'•••• ' || right(regexp_replace({v}, '[^0-9]', '', 'g'), 4)"
# a name column of a caller nobody knows holds the caller's number: mask names that are numbers
NAME = "case when regexp_full_match({v}, '\\+?[0-9][0-9 ().-]{{6,}}') then " + MASKED_PHONE + " else {v} end"
MASKED_EMAIL = "left({v}, 1) || '•••@' || split_part({v}, '@', 2)"
CONTACT_KINDS = "('e-mail', 'phone')"

# (schema, table) -> {column: SQL expression of the published value; {v} is the column}
ANALYST_COLUMNS: dict[tuple[str, str], dict[str, str]] = {
    ("marts", "customer_contacts"): {"display_name": NAME},
    ("marts", "dim_customer"): {
        "display_name": NAME,
        "primary_email": "c360_pseudonym('e-mail', lower({v}))",
        "primary_phone": "c360_pseudonym('phone', {v})",
    },
    ("marts", "customer_360"): {"display_name": NAME},
    ("marts", "open_promises"): {"customer_name": NAME},
    ("marts", "customer_search"): {
        "search_key": f"case when kind in {CONTACT_KINDS} then c360_pseudonym(kind, {{v}}) else {{v}} end",
        "matched_value": (
            f"case when kind = 'e-mail' then {MASKED_EMAIL} when kind = 'phone' then {MASKED_PHONE} "
            f"when kind like 'name%' then {NAME} else {{v}} end"
        ),
    },
    ("identity", "shared_identifiers"): {
        "identifier_value": "c360_pseudonym(case identifier_type when 'email' then 'e-mail' else 'phone' end, {v})"
    },
    # the rejected source rows themselves go to the contacts file; reasons and origin stay
    ("ops", "quarantine"): {"raw_record": "cast(null as json)"},
}


def pseudonym_key(warehouse_dir: Path, create: bool = True) -> bytes | None:
    """The pseudonym secret: $C360_PSEUDONYM_KEY, else the warehouse's key file (the run creates
    it with a random key, mode 0600, on first use; a reader without it gets None). Every publish
    must use the same key, or yesterday's pseudonyms stop matching today's."""
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode()
    path = warehouse_dir / KEY_FILE
    if not path.exists() and not create:
        return None
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    try:
        return path.read_text().strip().encode()
    except PermissionError:
        raise PermissionError(
            f"cannot read the pseudonym key {path}: run as the account that owns it, or set ${KEY_ENV}"
        ) from None


def pseudonym(key: bytes, kind: str, value: str) -> str:
    """The keyed hash that stands for a contact value: `em_…` for an e-mail, `ph_…` for a phone."""
    digest = hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:24]
    return ("em_" if kind == "e-mail" else "ph_") + digest


def register_pseudonym_function(con, key: bytes) -> None:
    """`c360_pseudonym(kind, value)` in SQL, vectorised over Arrow batches: computed in Python
    because DuckDB has no HMAC function."""

    def batch(kinds: pa.Array, values: pa.Array) -> pa.Array:
        return pa.array(
            [
                None if v is None else pseudonym(key, k, v)
                for k, v in zip(kinds.to_pylist(), values.to_pylist(), strict=True)
            ],
            pa.string(),
        )

    con.create_function("c360_pseudonym", batch, ["VARCHAR", "VARCHAR"], "VARCHAR", type="arrow", side_effects=False)


def analyst_select(con, schema: str, table: str, catalog: str | None = None) -> str:
    """The SELECT that copies one table into the analyst file, contact columns replaced."""
    rules = ANALYST_COLUMNS.get((schema, table), {})
    columns = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? and table_catalog = coalesce(?, current_database()) "
            "order by ordinal_position",
            [schema, table, catalog],
        ).fetchall()
    ]
    exprs = [f"{rules[c].format(v=quote(c))} as {quote(c)}" if c in rules else quote(c) for c in columns]
    source = f"{quote(catalog)}.{quote(schema)}.{quote(table)}" if catalog else f"{quote(schema)}.{quote(table)}"
    return f"select {', '.join(exprs)} from {source}"


# The contacts file: the real values behind every pseudonym and mask, for the roles allowed them.
CONTACTS_TABLES = {
    "customers": "select customer_id, display_name, primary_email, primary_phone from marts.dim_customer",
    "pseudonyms": f"""
        select distinct c360_pseudonym(kind, search_key) as pseudonym, kind, matched_value as value
        from marts.customer_search where kind in {CONTACT_KINDS}""",
    "quarantine": "select * from ops.quarantine",
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


HIDDEN = "hidden (personal data)"


def contacts_of(published: Path) -> Path:
    """The contacts file published with an analyst file: the real contact details behind its
    pseudonyms, readable by fewer accounts than the analyst file."""
    return published.with_name(published.name.removesuffix(".duckdb") + ".contacts.duckdb")


def real_contacts(published: Path, customer_id: str) -> dict | None:
    """The real display name, e-mail and phone of a customer from the contacts file published
    with `published`, when this account may read it (file permissions decide); else None."""
    path = contacts_of(published)
    if not os.access(path, os.R_OK):
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select display_name, primary_email, primary_phone from customers where customer_id = ?", [customer_id]
        ).fetchall()
    finally:
        con.close()
    return dict(zip(("display_name", "primary_email", "primary_phone"), rows[0], strict=True)) if rows else None


def show_contacts(customer: dict, real: dict | None) -> dict:
    """A customer's profile for display: the real contact details when given, else the
    pseudonyms replaced by a word that says why they are not shown."""
    if real is not None:
        return {**customer, **real}
    return {
        **customer,
        **{c: HIDDEN for c in ("primary_email", "primary_phone") if customer.get(c)},
    }
