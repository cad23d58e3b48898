"""The demo companies: deterministic, and every file follows its real format (SOURCES.md), on
both profiles (cn, the default, and us)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from demo.generate import generate
from demo.story_parts import sf_id

END = date(2026, 6, 30)
PROFILES = ["cn", "us"]
CDR_COLUMNS = 18
QUEUE_EVENTS = {
    "ENTERQUEUE",
    "CONNECT",
    "COMPLETEAGENT",
    "COMPLETECALLER",
    "ABANDON",
    "EXITWITHTIMEOUT",
    "RINGNOANSWER",
    "TRANSFER",
    "AGENTLOGIN",
    "AGENTLOGOFF",
    "PAUSE",
    "UNPAUSE",
    "QUEUESTART",
}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def config_of(company: Path) -> dict:
    return yaml.safe_load((company / "c360.yml").read_text(encoding="utf-8"))


def logistics_encoding(company: Path) -> str:
    return config_of(company)["sources"]["logistics"]["encoding"]


@pytest.fixture(scope="module", params=PROFILES)
def company(tmp_path_factory, request) -> Path:
    out = tmp_path_factory.mktemp(f"demo_{request.param}")
    generate(out, customers=120, seed=3, end=END, log=lambda *_: None, profile=request.param)
    return out


def profile_of(company: Path) -> str:
    return "us" if config_of(company)["company"]["calendar_country"] == "US" else "cn"


def test_same_seed_gives_the_same_bytes(company, tmp_path):
    generate(tmp_path, customers=120, seed=3, end=END, log=lambda *_: None, profile=profile_of(company))
    assert digest(tmp_path) == digest(company)


def test_another_seed_gives_another_company(company, tmp_path):
    generate(tmp_path, customers=120, seed=4, end=END, log=lambda *_: None, profile=profile_of(company))
    assert digest(tmp_path)["crm/crm.sqlite"] != digest(company)["crm/crm.sqlite"]


def test_the_two_profiles_are_two_companies(company):
    config = config_of(company)["company"]
    expected = {
        "cn": ("Quntex Networks", "Asia/Shanghai", "CN", None, "CN"),
        "us": ("Lakeshore Industrial Supply", "America/Chicago", "US", "IL", "US"),
    }[profile_of(company)]
    actual = (
        config["name"],
        config["time_zone"],
        config["calendar_country"],
        config.get("calendar_subdivision"),
        config["phone_region"],
    )
    assert actual == expected
    assert config_of(company)["sources"]["call_center"]["pbx_time_zone"] == config["time_zone"]


def test_crm_has_the_salesforce_tables_its_config_names_with_the_common_columns(company):
    con = sqlite3.connect(company / "crm" / "crm.sqlite")
    tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    standard = {
        "Account",
        "Contact",
        "Lead",
        "Opportunity",
        "OpportunityContactRole",
        "Product2",
        "Order",
        "OrderItem",
        "Task",
        "User",
    }
    # the custom survey object is the cn company's own: the us company's CRM has none
    assert tables == standard | ({"Survey_Response__c"} if profile_of(company) == "cn" else set())
    assert set(config_of(company)["sources"]["sales"]["tables"]) == tables
    for table in tables:
        columns = [r[1] for r in con.execute(f'pragma table_info("{table}")')]
        assert columns[:5] == ["Id", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"], table
        assert con.execute(f'select count(*) from "{table}"').fetchone()[0] > 0, table
    contact_columns = [r[1] for r in con.execute('pragma table_info("Contact")')]
    assert {"AccountId", "FirstName", "LastName", "Email", "MobilePhone", "HasOptedOutOfEmail", "DoNotCall"} <= set(
        contact_columns
    )


def test_crm_ids_are_18_character_salesforce_ids_with_valid_checksums(company):
    con = sqlite3.connect(company / "crm" / "crm.sqlite")
    ids = [r[0] for r in con.execute("select Id from Account union all select Id from Contact")]
    assert ids and all(len(i) == 18 for i in ids)
    for i in ids[:50]:
        body = i[:15]
        suffix = "".join(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[
                sum(1 << b for b, c in enumerate(body[k * 5 : k * 5 + 5]) if c.isupper())
            ]
            for k in range(3)
        )
        assert i[15:] == suffix
    assert sf_id("001", 1) != sf_id("001", 2)


def test_crm_times_are_utc_iso_8601(company):
    con = sqlite3.connect(company / "crm" / "crm.sqlite")
    for (stamp,) in con.execute('select SystemModstamp from "Order" limit 20'):
        assert datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").utcoffset().total_seconds() == 0


def test_cdr_files_are_headerless_asterisk_records(company):
    files = sorted((company / "call_center" / "cdr").glob("Master-*.csv"))
    assert files
    for path in files[:30]:
        assert re.fullmatch(r"Master-\d{8}\.csv", path.name)
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            assert len(row) == CDR_COLUMNS
            start, answer, end = row[9], row[10], row[11]
            assert datetime.strptime(start, "%Y-%m-%d %H:%M:%S").strftime("%Y%m%d") == path.name[7:15]
            assert datetime.strptime(end, "%Y-%m-%d %H:%M:%S") >= datetime.strptime(start, "%Y-%m-%d %H:%M:%S")
            assert row[14] in {"ANSWERED", "NO ANSWER", "BUSY", "FAILED"}
            assert (answer == "") == (row[14] != "ANSWERED")
            assert 0 <= int(row[13]) <= int(row[12])  # billsec <= duration
            assert re.fullmatch(r"\d+\.\d+", row[16])


def test_queue_log_lines_are_pipe_separated_events(company):
    files = sorted((company / "call_center" / "queue_log").glob("queue_log-*"))
    assert files
    events = Counter()
    for path in files[:30]:
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("|")
            assert 5 <= len(fields) <= 10
            int(fields[0])
            events[fields[4]] += 1
    assert set(events) <= QUEUE_EVENTS
    assert events["ENTERQUEUE"] and events["CONNECT"] and events["ABANDON"]


def test_ivr_survey_has_its_header_and_scales(company):
    files = sorted((company / "call_center" / "ivr_survey").glob("survey-*.csv"))
    assert files
    for path in files[:30]:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for r in rows:
            assert r["question"] in {"csat", "fcr"}
            assert int(r["score"]) in (range(1, 6) if r["question"] == "csat" else (0, 1))


def test_logistics_folders_are_days_of_csv_in_the_configured_encoding(company):
    encoding = logistics_encoding(company)
    assert encoding == {"cn": "gb18030", "us": "windows-1252"}[profile_of(company)]
    folders = sorted(p for p in (company / "logistics").iterdir())
    assert folders and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name) for p in folders)
    headers = {
        "shipments.csv": "shipment_id,order_number,carrier,tracking_number,ship_date,promised_delivery_date,"
        "recipient_name,recipient_phone,ship_to_address,ship_to_city,ship_to_postal_code,status,updated_at",
        "packing_list.csv": "shipment_id,line_no,sku,description,quantity,serial_numbers",
        "tracking_events.csv": "tracking_number,event_time,event_code,location,signed_by,remark",
        "installations.csv": "work_order_id,order_number,site_name,site_address,contact_name,contact_phone,"
        "scheduled_date,promised_by_date,completed_at,status,technician,acceptance_signed_by,notes,updated_at",
    }
    seen = set()
    for folder in folders:
        for path in folder.glob("*.csv"):
            text = path.read_bytes().decode(encoding)
            assert text.split("\n", 1)[0] == headers[path.name]
            seen.add(path.name)
            if path.name == "shipments.csv":
                for r in csv.DictReader(io.StringIO(text)):
                    assert datetime.fromisoformat(r["updated_at"]).utcoffset() is not None
    assert seen == set(headers)
    text = "".join(p.read_bytes().decode(encoding) for f in folders for p in f.glob("shipments.csv"))
    if profile_of(company) == "cn":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), "recipient names in characters need GB18030"
    else:
        assert any(ch in "éáñüÉÑ" for ch in text), "accented names need a codec beyond ASCII"
        assert not text.isascii()


def test_service_desk_records_have_the_zendesk_fields(company):
    folder = company / "service_desk"
    tickets = [json.loads(line) for line in (folder / "tickets.jsonl").read_text(encoding="utf-8").splitlines()]
    assert tickets
    for t in tickets:
        assert {"id", "via", "created_at", "updated_at", "status", "requester_id", "tags", "custom_fields"} <= set(t)
        assert t["status"] in {"new", "open", "pending", "hold", "solved", "closed", "deleted"}
        assert t["via"]["channel"] in {"email", "web", "voice", "chat", "api"}
    assert any("compensation_claim" in t["tags"] for t in tickets)
    events = [json.loads(line) for line in (folder / "ticket_events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(c["event_type"] in {"Comment", "Change"} for e in events for c in e["child_events"])


def _line(phone: str) -> str:
    """The number of a phone field without its extension, as digits (the last ten or eleven)."""
    return re.sub(r"\D", "", re.split(r"\s*(?:x|ext\.?|Ext)\s*\d+$", phone)[0])[-10:]


def test_identities_differ_across_systems_as_in_real_companies(company):
    con = sqlite3.connect(company / "crm" / "crm.sqlite")
    holders = {}
    for phone, last, first in con.execute("select Phone, LastName, FirstName from Contact where Phone is not null"):
        holders.setdefault(_line(phone), set()).add((last, first))
    assert any(len(names) > 1 for names in holders.values()), "several people share a switchboard number"
    names = [r[0] for r in con.execute("select LastName from Contact")]
    if profile_of(company) == "cn":
        assert any(re.search(r"[\u4e00-\u9fff]", n) for n in names) and any(n.isascii() for n in names)
    else:
        assert all(not re.search(r"[\u4e00-\u9fff]", n) for n in names)
    users = [
        json.loads(line) for line in (company / "service_desk" / "users.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert any(u["email"] and u["email"] != u["email"].lower() for u in users), "e-mail case differs"
    assert any(u["name"] and u["name"].isascii() for u in users if u["role"] == "end-user"), "pinyin names"


def test_ground_truth_names_every_planted_incident_kind_and_is_kept_apart(company):
    truth = company / "ground_truth"
    incidents = list(csv.DictReader(open(truth / "incidents.csv", encoding="utf-8")))
    kinds = {i["kind"] for i in incidents}
    assert kinds == {
        "installation_overdue",
        "compensation_unanswered",
        "wrong_item_shipped",
        "delivery_late",
        "bad_rating_no_follow_up",
    }
    identities = list(csv.DictReader(open(truth / "identities.csv", encoding="utf-8")))
    assert {i["source_system"] for i in identities} == {"sales", "service", "logistics", "call_center"}
    customers = list(csv.DictReader(open(truth / "customers.csv", encoding="utf-8")))
    assert any(c["churned_at"] for c in customers) and any(
        c["is_loyal"] == "1" and not c["churned_at"] for c in customers
    )
    assert "ground_truth" not in (company / "c360.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=PROFILES)
def batched_company(tmp_path_factory, request) -> Path:
    """A company written 50 customers at a time, as a big one is (demo.generate.BATCH_CUSTOMERS)."""
    out = tmp_path_factory.mktemp(f"batched_{request.param}")
    generate(out, customers=120, seed=3, end=END, log=lambda *_: None, batch_customers=50, profile=request.param)
    return out


def test_a_company_written_in_batches_keeps_every_id_unique_across_them(batched_company):
    con = sqlite3.connect(batched_company / "crm" / "crm.sqlite")
    assert con.execute("select count(*) from Account").fetchone()[0] == 120
    assert con.execute("select count(*) from User").fetchone()[0] == 14  # written once, not per batch
    numbers = [n for (n,) in con.execute('select OrderNumber from "Order"')]
    assert len(numbers) == len(set(numbers)) > 120
    con.close()
    desk = batched_company / "service_desk"
    for resource in ("tickets", "users", "organizations", "ticket_events", "satisfaction_ratings"):
        ids = [json.loads(line)["id"] for line in (desk / f"{resource}.jsonl").read_text().splitlines()]
        assert len(ids) == len(set(ids)), resource
    tickets = [json.loads(line)["id"] for line in (desk / "tickets.jsonl").read_text().splitlines()]
    assert sorted(tickets) == list(range(1, len(tickets) + 1))  # numbered on from batch to batch
    uniqueids = [
        row[16] for path in (batched_company / "call_center" / "cdr").iterdir() for row in csv.reader(path.open())
    ]
    assert len(uniqueids) == len(set(uniqueids))
    identities = [
        (r["source_system"], r["source_table"], r["source_record_id"], r["entity_type"])
        for r in csv.DictReader((batched_company / "ground_truth" / "identities.csv").open())
    ]
    assert len(identities) == len(set(identities))


def test_a_company_written_in_batches_keeps_each_file_as_its_system_writes_it(batched_company):
    from demo.service_desk_api import RESOURCES, unix_time

    desk = batched_company / "service_desk"
    for resource, stamp in RESOURCES.items():  # as the desk's export serves them: a page is one read
        records = [json.loads(line) for line in (desk / f"{resource}.jsonl").read_text().splitlines()]
        order = [(unix_time(r[stamp]), r["id"]) for r in records]
        assert order == sorted(order) and len(records) > 10, f"{resource} is not in export order"
    for path in (batched_company / "call_center" / "queue_log").iterdir():
        epochs = [int(line.split("|")[0]) for line in path.read_text().splitlines()]
        assert epochs == sorted(epochs), f"{path.name} is not in time order"
        assert sum("QUEUESTART" in line for line in path.read_text().splitlines()) == 1
    for path in (batched_company / "call_center" / "cdr").iterdir():
        starts = [row[9] for row in csv.reader(path.open())]
        assert starts == sorted(starts), f"{path.name} is not in time order"
    for path in (batched_company / "call_center" / "ivr_survey").iterdir():
        assert path.read_text().count("uniqueid,caller_number") == 1
    encoding = logistics_encoding(batched_company)
    for folder in (batched_company / "logistics").iterdir():
        for path in folder.iterdir():
            assert path.read_bytes().decode(encoding).count("\n") >= 2  # one header, then rows
            header = path.read_bytes().decode(encoding).splitlines()[0]
            assert path.read_bytes().decode(encoding).splitlines().count(header) == 1, path
    truth = batched_company / "ground_truth"
    for path in truth.glob("*.csv"):  # each truth file has its header once, whatever the batches
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines.count(lines[0]) == 1, path.name
