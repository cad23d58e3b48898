"""Personal data in the publish of the small demo company: the analyst file holds no e-mail
address or phone number, the contacts file holds them for its owner alone, pseudonyms are keyed
hashes a lookup can still match, and the dashboard shows contact details only to the roles the
config allows, behind a login when the config asks for one."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from c360.config import load_config
from c360.passwords import hash_password
from c360.privacy import HIDDEN, pseudonym, pseudonym_key
from c360.warehouse import contacts_of
from connectors.phones import to_e164
from tests.conftest import c360, config_variant
from tests.warehouse import query, text_columns

pytestmark = pytest.mark.integration

APP = str(Path(__file__).resolve().parents[1] / "dashboards" / "streamlit_app.py")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
# a run of digits that could be dialled, not part of a longer id or hash
DIGITS = re.compile(r"(?<![A-Za-z0-9])\+?\d[\d ().-]{5,}\d(?![A-Za-z0-9])")


def files(config: Path) -> tuple[Path, Path]:
    analyst = (config.parent / "warehouse" / "published" / "current.duckdb").resolve()
    return analyst, contacts_of(analyst)


def known_contacts(config: Path) -> tuple[set[str], set[str]]:
    """Every e-mail (lower case) and phone (E.164) the four source systems hold."""
    work = config.parent / "warehouse" / "work" / "c360.duckdb"
    columns = query(
        work,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema like 'raw_%' and data_type = 'VARCHAR' "
        "and (column_name like '%email%' or column_name like '%e164%')",
    )
    emails, phones = set(), set()
    for schema, table, column in columns:
        values = query(work, f'select distinct "{column}" from {schema}."{table}" where "{column}" is not null')
        target = emails if "email" in column else phones
        target.update(v.strip().lower() if "email" in column else v for (v,) in values)
    return {e for e in emails if "@" in e}, phones


def contact_details_in(file: Path, phones: set[str], region: str) -> list[str]:
    """Every text value of every table in `file` that holds anything shaped like an e-mail
    address, or a phone number the sources know (in any format)."""
    con = duckdb.connect(str(file), read_only=True)
    found = []
    try:
        for schema, table, column in text_columns(con):
            values = con.execute(
                f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            for (value,) in values:
                if EMAIL.search(value) or any(to_e164(run, region) in phones for run in DIGITS.findall(value)):
                    found.append(f"{schema}.{table}.{column}: {value}")
    finally:
        con.close()
    return found


def test_the_analyst_file_holds_no_email_address_or_phone_number(published_company):
    config, _ = published_company
    emails, phones = known_contacts(config)
    assert len(emails) > 100 and len(phones) > 100, "the demo's systems hold contact details"
    analyst, contacts = files(config)
    region = load_config(config).phone_region
    assert contact_details_in(analyst, phones, region) == []
    # the same scan does find them where they are kept: the contacts file
    assert len(contact_details_in(contacts, phones, region)) > 100


def test_the_contacts_file_is_readable_by_its_owner_alone(published_company):
    config, _ = published_company
    analyst, contacts = files(config)
    assert stat.S_IMODE(contacts.stat().st_mode) == 0o400
    assert stat.S_IMODE(analyst.stat().st_mode) == 0o444
    if os.geteuid() != 0 or not shutil.which("runuser"):
        pytest.skip("trying another account's access needs root and runuser")
    folder = Path(tempfile.mkdtemp(prefix="c360-privacy-"))  # pytest's own folders are closed to others
    try:
        os.chmod(folder, 0o755)
        for file in (analyst, contacts):
            shutil.copy2(file, folder / file.name)  # modes kept
        read_as_nobody = ["runuser", "-u", "nobody", "--", "head", "-c", "16"]
        assert subprocess.run([*read_as_nobody, str(folder / analyst.name)], capture_output=True).returncode == 0
        denied = subprocess.run([*read_as_nobody, str(folder / contacts.name)], capture_output=True, text=True)
        assert denied.returncode != 0 and "Permission denied" in denied.stderr
    finally:
        shutil.rmtree(folder)


def customer_with_email(contacts: Path) -> tuple[str, str]:
    """A customer and the real e-mail address the contacts file holds for them."""
    con = duckdb.connect(str(contacts), read_only=True)
    try:
        return con.execute(
            "select customer_id, primary_email from customers where primary_email is not null order by 1 limit 1"
        ).fetchall()[0]
    finally:
        con.close()


def test_pseudonyms_are_keyed_hashes_and_a_lookup_by_email_still_finds_the_customer(published_company):
    config, _ = published_company
    analyst, contacts = files(config)
    customer_id, email = customer_with_email(contacts)
    con = duckdb.connect(str(analyst), read_only=True)
    published = con.execute("select primary_email from marts.dim_customer where customer_id = ?", [customer_id])
    published = published.fetchall()[0][0]
    con.close()
    key = pseudonym_key(load_config(config).warehouse_dir, create=False)
    assert published == pseudonym(key, "e-mail", email.lower())
    assert published != pseudonym(b"another key", "e-mail", email.lower())
    assert hashlib.sha256(email.lower().encode()).hexdigest()[:24] not in published, "not an unkeyed hash"
    out = c360("customer", "--config", str(config), email.upper(), "--first").stdout
    assert customer_id in out and "matched on e-mail" in out
    assert email in out, "the owner of the contacts file sees the real address"


def customer_page(monkeypatch, config: Path, customer_id: str) -> AppTest:
    monkeypatch.setenv("C360_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("views/customer_360.py").run()
    at.text_input(key="customer_search").input(customer_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def golden_email(at: AppTest) -> str:
    golden = at.dataframe[0].value
    return str(golden.loc[golden["field"] == "E-mail", "value"].iloc[0])


def test_the_dashboard_shows_real_contact_details_only_to_the_roles_allowed(monkeypatch, published_company):
    config, _ = published_company
    customer_id, email = customer_with_email(files(config)[1])
    assert golden_email(customer_page(monkeypatch, config, customer_id)) == HIDDEN, "the demo's viewers see none"
    agents = config_variant(
        config, "c360-agents.yml", privacy={"contact_roles": ["agent"]}, dashboard={"default_role": "agent"}
    )
    assert golden_email(customer_page(monkeypatch, agents, customer_id)) == email


def test_a_password_login_keeps_the_dashboard_closed_until_a_user_signs_in(monkeypatch, published_company):
    config, _ = published_company
    locked = config_variant(config, "c360-login.yml", dashboard={"login": "password"})
    monkeypatch.setenv("C360_CONFIG", str(locked))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["c360_users"] = {"alice": {"password": hash_password("correct horse"), "role": "manager"}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.subheader] == ["Sign in to c360"] and not at.metric, "nothing shows before login"
    at.text_input(key="login_user").input("alice")
    at.text_input(key="login_password").input("wrong password")
    at.button[0].click().run()
    assert any("wrong password" in e.value for e in at.error) and not at.metric
    at.text_input(key="login_password").input("correct horse")
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.metric, "the overview shows after signing in"
    assert any("Signed in as alice (manager)" in c.value for c in at.sidebar.caption)


def test_dashboard_password_prints_a_secrets_entry_that_signs_the_user_in():
    from c360.passwords import password_matches

    result = subprocess.run(
        [sys.executable, "-m", "c360.cli", "dashboard-password", "alice", "--role", "agent"],
        input="correct horse\n",
        capture_output=True,
        text=True,
        check=True,
    )
    entry = __import__("tomllib").loads(result.stdout)["c360_users"]["alice"]
    assert entry["role"] == "agent" and "correct horse" not in result.stdout
    assert password_matches("correct horse", entry["password"]) and not password_matches("wrong", entry["password"])


def test_an_oidc_login_shows_only_the_sign_in_button_and_names_a_missing_provider(monkeypatch, published_company):
    config, _ = published_company
    monkeypatch.setenv("C360_CONFIG", str(config_variant(config, "c360-oidc.yml", dashboard={"login": "oidc"})))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("no [auth] section" in e.value for e in at.error) and not at.metric
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a long random string kept secret",
        "client_id": "c360",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception and not at.error
    assert [b.label for b in at.button] == ["Sign in"] and not at.metric, "nothing shows before the provider says who"


def test_the_search_mart_stays_sorted_by_what_the_analyst_file_holds(published_company):
    config, _ = published_company
    con = duckdb.connect(str(files(config)[0]), read_only=True)
    try:
        keys = [r[0] for r in con.execute("select search_key from marts.customer_search").fetchall()]
    finally:
        con.close()
    assert any(k.startswith(("em_", "ph_")) for k in keys) and keys == sorted(keys), "pseudonyms sorted in place"
