"""The us demo company is as unlike the cn one as real companies are, and its ground truth says
so: the noise of its names and numbers, its caller-ID names, its shared mobiles, its ways of
following a bad rating up, its open pipeline and its win-backs are all there, and each is
counted from the ground truth against the source files."""

from __future__ import annotations

import csv
import difflib
import json
import re
import sqlite3
import statistics
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import phonenumbers
import pytest

from demo.generate import generate
from demo.story_parts import OPEN_STAGES

AS_OF = datetime(2026, 11, 30, 13, 43)  # UTC: 07:43 in Chicago
CHICAGO = ZoneInfo("America/Chicago")
NO_NAME = {"unknown", "anonymous", "unavailable"}


@pytest.fixture(scope="module")
def us(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("us")
    generate(out, customers=150, seed=7, as_of=AS_OF, log=lambda *_: None, profile="us")
    return out


# ---------- reading the company ----------
def truth(us: Path, name: str) -> list[dict]:
    with open(us / "ground_truth" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def who(us: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    """(system, table, record id) -> {entity type: true id}."""
    found: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for row in truth(us, "identities"):
        found[row["source_system"], row["source_table"], row["source_record_id"]][row["entity_type"]] = row[
            "true_entity_id"
        ]
    return found


def customer_of(entities: dict[str, str]) -> str:
    """The true customer of a record: its organization, else its person."""
    return entities.get("organization") or entities["person"]


def crm(us: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(us / "crm" / "crm.sqlite")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def desk(us: Path, resource: str) -> list[dict]:
    return [json.loads(line) for line in (us / "service_desk" / f"{resource}.jsonl").read_text("utf-8").splitlines()]


def logistics(us: Path, file: str) -> list[dict]:
    rows = []
    for path in sorted((us / "logistics").glob(f"*/{file}")):
        with open(path, encoding="windows-1252", newline="") as f:
            rows += list(csv.DictReader(f))
    return rows


def cdr(us: Path) -> list[list[str]]:
    rows = []
    for path in sorted((us / "call_center" / "cdr").iterdir()):
        rows += list(csv.reader(path.open(encoding="utf-8", newline="")))
    return rows


def utc(text: str) -> datetime:
    """A CRM or desk stamp (UTC), or a PBX wall-clock time of Chicago, as naive UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(".000+0000", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHICAGO)
    return moment.astimezone(UTC).replace(tzinfo=None)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def people(us: Path) -> dict[str, dict]:
    return {row["true_person_id"]: row for row in truth(us, "people")}


def digits(phone: str) -> str:
    """A written NANP number as its ten digits, the extension left out."""
    line = re.split(r"\s*(?:x|ext\.?|Ext)\s*\d+$", phone)[0]
    return re.sub(r"\D", "", line)[-10:]


# ---------- names ----------
def name_kinds(text: str, person: dict) -> set[str]:
    """How a system wrote the person's name (one text), compared with who they are."""
    given, family, nickname, known_as = (
        fold(person["given_name"]),
        fold(person["family_name"]),
        fold(person["nickname"]),
        fold(person["known_as"]),
    )
    written = fold(text).strip()
    kinds = set()
    if written in (f"{family}, {given}", f"{family} {given}"):
        kinds.add("swapped")
    if nickname and written == f"{nickname} {family}":
        kinds.add("nickname")
    if written in (f"{given[0]}. {family}", f"{given[0]} {family}", f"{given[0]}.{family}"):
        kinds.add("initial")
    if known_as and written in (f"{known_as} {family}", f"{family}, {known_as}", f"{family} {known_as}"):
        kinds.add("replaced_given_name")
    canonical = [f"{given} {family}", f"{family}, {given}", f"{family} {given}"]
    if written not in canonical and not kinds:
        if max(difflib.SequenceMatcher(None, written, c).ratio() for c in canonical) >= 0.85:
            kinds.add("typo")
    return kinds


def test_names_carry_every_kind_of_noise_real_systems_have(us):
    persons, entities = people(us), who(us)
    kinds = Counter()

    def count(system, table, record_id, text):
        person = entities[system, table, record_id].get("person")
        if person in persons and text:
            kinds.update(name_kinds(text, persons[person]))

    for record_id, first, last in crm(us, "select Id, FirstName, LastName from Contact"):
        count("sales", "Contact", record_id, f"{first} {last}")
    for user in desk(us, "users"):
        if user["role"] == "end-user":
            count("service", "users", str(user["id"]), user["name"])
    for row in logistics(us, "shipments.csv"):
        count("logistics", "shipments", row["shipment_id"], row["recipient_name"])
    for row in logistics(us, "installations.csv"):
        count("logistics", "installations", row["work_order_id"], row["contact_name"])
    for row in cdr(us):
        count("call_center", "cdr", row[16], re.match(r'"(.*)" <', row[4]).group(1))
    assert kinds["swapped"] >= 20, kinds
    assert kinds["nickname"] >= 20, kinds
    assert kinds["initial"] >= 10, kinds
    assert kinds["typo"] >= 10, kinds
    assert kinds["replaced_given_name"] >= 3, kinds
    # the CRM puts given and family names in each other's fields too
    swapped_fields = sum(
        (first, last)
        == (persons[entities["sales", "Contact", record_id]["person"]]["family_name"],)
        + (persons[entities["sales", "Contact", record_id]["person"]]["given_name"],)
        for record_id, first, last in crm(us, "select Id, FirstName, LastName from Contact")
    )
    assert swapped_fields >= 3


def test_some_fields_are_missing_as_in_real_systems(us):
    (no_email, no_title, no_mobile, no_phone) = crm(
        us,
        "select sum(Email is null), sum(Title is null), sum(MobilePhone is null),"
        " sum(MobilePhone is null and Phone is null) from Contact",
    )[0]
    assert no_email >= 10 and no_title >= 10 and no_mobile >= 10 and no_phone >= 5
    assert sum(user["email"] is None for user in desk(us, "users") if user["role"] == "end-user") >= 5
    assert sum(row["recipient_phone"] == "" for row in logistics(us, "shipments.csv")) >= 5
    assert sum(p["email"] == "" for p in people(us).values()) >= 3, "some people have no address at all"


# ---------- numbers ----------
NANP_FORMATS = {
    "(312) 555-0142": r"\(\d{3}\) \d{3}-\d{4}",
    "312-555-0142": r"\d{3}-\d{3}-\d{4}",
    "312.555.0142": r"\d{3}\.\d{3}\.\d{4}",
    "+1 312 555 0142": r"\+1 \d{3} \d{3} \d{4}",
    "13125550142": r"1\d{10}",
    "3125550142": r"\d{10}",
}


def test_phone_numbers_come_in_every_nanp_format_and_are_the_true_persons(us):
    persons, entities = people(us), who(us)
    written = [p for (p,) in crm(us, "select Phone from Account")]
    rows = crm(us, "select Id, Phone, MobilePhone from Contact")
    written += [p for _, phone, mobile in rows for p in (phone, mobile) if p]
    written += [u["phone"] for u in desk(us, "users") if u["phone"]]
    written += [r["recipient_phone"] for r in logistics(us, "shipments.csv") if r["recipient_phone"]]
    seen = {shape for shape, pattern in NANP_FORMATS.items() for phone in written if re.fullmatch(pattern, phone)}
    assert seen == set(NANP_FORMATS)
    extensions = [p for p in written if re.search(r"(x|ext\.?|Ext) ?\d+$", p)]
    assert len(extensions) >= 10 and any(" x" in p for p in extensions)
    # a contact's mobile is their person's true mobile, in whatever format (a team mobile included)
    for record_id, _, mobile in rows:
        if mobile:
            person = persons[entities["sales", "Contact", record_id]["person"]]
            assert "+1" + digits(mobile) == person["mobile"], (mobile, person)
    # numbers libphonenumber finds possible but not valid (a new area code) are people's numbers too
    not_valid = [
        p["mobile"]
        for p in persons.values()
        if phonenumbers.is_possible_number(n := phonenumbers.parse(p["mobile"])) and not phonenumbers.is_valid_number(n)
    ]
    assert len(not_valid) >= 3
    assert {m[2:] for m in not_valid} & {digits(p) for p in written}, "they are written in the systems"
    assert all(
        phonenumbers.is_valid_number(phonenumbers.parse(p["mobile"])) or p["mobile"][2:5] == "861"
        for p in persons.values()
    )


def test_caller_id_names_are_names_numbers_or_no_name_in_any_case(us):
    names = []
    for row in cdr(us):
        match = re.fullmatch(r'"(.*)" <(.*)>', row[4])
        assert match and match.group(2) == row[1], row[4]
        names.append((match.group(1), row[1]))
    assert sum(name == number for name, number in names) >= 20, "the number itself"
    placeholders = {name for name, _ in names if name.lower() in NO_NAME}
    assert {name.lower() for name in placeholders} == NO_NAME
    assert len(placeholders) >= 6, f"several cases of each: {placeholders}"
    real = [name for name, number in names if re.search(r"[A-Za-z]", name) and name.lower() not in NO_NAME]
    assert len(real) >= 100 and all(len(name) <= 15 for name in real), "CNAM: 15 characters at most"


def test_a_nameless_call_on_a_shared_line_is_its_organizations_alone_in_the_truth(us):
    entities = who(us)
    shared = {p["mobile"][2:] for p in people(us).values() if p["shares_mobile"] == "1"}
    shared |= {digits(phone) for (phone,) in crm(us, "select Phone from Account")}
    org_only = named = 0
    for row in cdr(us):
        entity = entities["call_center", "cdr", row[16]]
        outbound = row[3] == "from-internal"  # an agent calling out: the clid names the agent
        number = row[2] if outbound else row[1]
        name = "" if outbound else re.match(r'"(.*)" <', row[4]).group(1)
        if "organization" in entity and number[-10:] in shared:
            nameless = name.lower() in NO_NAME | {""} or name == row[1]
            assert not (nameless and "person" in entity), (row[4], entity)  # nothing says who it was
            org_only += "person" not in entity
            named += "person" in entity
        else:
            assert "person" in entity, row
    assert org_only >= 5 and named >= 5


def test_team_mobiles_are_shared_inside_one_organization_and_called_from(us):
    persons = people(us)
    teams = defaultdict(list)
    for person in persons.values():
        if person["shares_mobile"] == "1":
            teams[person["mobile"]].append(person)
    assert len(teams) >= 3
    for holders in teams.values():
        assert len(holders) >= 2 and len({p["true_customer_id"] for p in holders}) == 1
    callers = {row[1][-10:] for row in cdr(us)}
    assert {number[2:] for number in teams} & callers, "calls come from a team mobile"
    mobiles = Counter(p["mobile"] for p in persons.values())
    assert all(count == 1 for number, count in mobiles.items() if number not in teams), "no chance sharing"


def test_one_persons_number_shows_up_under_several_spellings_of_their_name(us):
    persons, entities = people(us), who(us)
    spellings = defaultdict(set)  # person -> how the records carrying their own mobile name them

    def add(system, table, record_id, phone, name):
        person = entities[system, table, record_id].get("person")
        if person in persons and phone and name and "+1" + digits(phone) == persons[person]["mobile"]:
            spellings[person].add(name)

    for record_id, first, last, mobile in crm(us, "select Id, FirstName, LastName, MobilePhone from Contact"):
        add("sales", "Contact", record_id, mobile, f"{first} {last}")
    for user in desk(us, "users"):
        add("service", "users", str(user["id"]), user["phone"], user["name"])
    for row in logistics(us, "shipments.csv"):
        add("logistics", "shipments", row["shipment_id"], row["recipient_phone"], row["recipient_name"])
    for row in cdr(us):
        add("call_center", "cdr", row[16], row[1], re.match(r'"(.*)" <', row[4]).group(1))
    varied = [p for p, names in spellings.items() if len({fold(n) for n in names}) >= 3]
    assert len(varied) >= 20
    as_number = [p for p in varied if any(re.fullmatch(r"\+?\d+", n) for n in spellings[p])]
    assert as_number, "... among them the caller-ID name that is the number itself"


# ---------- follow-ups of bad ratings ----------
ILLINOIS = holidays.country_holidays("US", subdiv="IL", years=range(2020, 2028))


def il_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in ILLINOIS


def follow_up_due(rated_utc: datetime) -> datetime:
    """Two Illinois working days after the rating, at its local time of day (UTC)."""
    local = rated_utc.replace(tzinfo=UTC).astimezone(CHICAGO).replace(tzinfo=None)
    day, left = local.date(), 2
    while left:
        day += timedelta(days=1)
        left -= il_working_day(day)
    return utc(datetime.combine(day, local.time()).isoformat(sep=" "))


def company_contacts(us: Path) -> dict[str, list[tuple[datetime, str]]]:
    """Every contact of the company with each true customer, from the source files: CRM tasks,
    agents' public replies on any of its tickets, answered calls from it."""
    entities = who(us)
    contacts = defaultdict(list)
    for account, created, subject in crm(us, "select AccountId, CreatedDate, Subject from Task"):
        contacts[customer_of(entities["sales", "Account", account])].append((utc(created), f"task {subject}"))
    users = desk(us, "users")
    agents = {u["id"] for u in users if u["role"] == "agent"}
    requester = {t["id"]: t["requester_id"] for t in desk(us, "tickets")}
    for event in desk(us, "ticket_events"):
        for child in event["child_events"]:
            if child["event_type"] == "Comment" and child["public"] and child["author_id"] in agents:
                customer = customer_of(entities["service", "users", str(requester[event["ticket_id"]])])
                contacts[customer].append((utc(event["created_at"]), f"reply {event['ticket_id']}"))
    for row in cdr(us):
        if row[14] == "ANSWERED" and ("call_center", "cdr", row[16]) in entities:
            entity = entities["call_center", "cdr", row[16]]
            if "organization" in entity or entity["person"].startswith("P"):  # not an unknown caller
                contacts[customer_of(entity)].append((utc(row[9]), "call"))
    return contacts


def test_bad_ratings_are_answered_by_any_contact_and_the_unanswered_ones_are_planted(us):
    entities, contacts = who(us), company_contacts(us)
    planted = {row["source_record_id"] for row in truth(us, "incidents") if row["kind"] == "bad_rating_no_follow_up"}
    tickets = {t["id"]: t for t in desk(us, "tickets")}
    answered_by = Counter()
    per_customer = defaultdict(list)
    for rating in desk(us, "satisfaction_ratings"):
        rated = utc(rating["created_at"])
        due = follow_up_due(rated)
        if rating["score"] != "bad" or due > AS_OF:
            continue
        customer = customer_of(entities["service", "users", str(rating["requester_id"])])
        answers = [what for when, what in contacts[customer] if rated < when <= due]
        assert (str(rating["id"]) in planted) == (not answers), (rating, answers)
        per_customer[customer].append(bool(answers))
        for what in answers:
            if what == f"reply {rating['ticket_id']}":
                answered_by["reply on the rated ticket"] += 1
            else:
                answered_by[what.split()[0]] += 1
        assert tickets[rating["ticket_id"]]["satisfaction_rating"]["score"] == "bad"
    assert len(planted) >= 5
    assert answered_by["reply on the rated ticket"] and answered_by["call"] and answered_by["task"], answered_by
    # a customer with two bad ratings, one followed up: that follow-up did not answer the other one
    assert any(True in answered and False in answered for answered in per_customer.values())


def test_follow_ups_are_logged_in_the_companys_own_words(us):
    subjects = [s for (s,) in crm(us, "select Subject from Task")]
    assert not [s for s in subjects if "follow" in s.lower()], "no subject says follow-up"
    assert {"Called customer re: survey", "Checked in after rating"} & set(subjects)
    replies = [
        child.get("body", "")
        for event in desk(us, "ticket_events")
        for child in event["child_events"]
        if child["event_type"] == "Comment"
    ]
    assert any("score you gave us" in body or "honest feedback" in body for body in replies)
    assert not [body for body in replies if "follow" in body.lower()]


def test_some_follow_ups_are_calls_the_agents_place_to_a_known_person_some_unanswered(us):
    entities = who(us)
    outbound = [row for row in cdr(us) if row[3] == "from-internal"]
    assert outbound, "agents call customers back"
    for row in outbound:  # from an extension, through the trunk, to the customer's number
        assert re.fullmatch(r"\d{4}", row[1]) and len(row[2]) >= 10 and row[7] == "Dial", row
        assert entities["call_center", "cdr", row[16]], row  # a known customer's number
        assert (row[14] == "ANSWERED") == (row[10] != "" and int(row[13]) > 0), row
    assert {row[14] for row in outbound} == {"ANSWERED", "NO ANSWER"}


# ---------- the CRM's pipeline ----------
def test_open_opportunities_are_in_every_stage_with_contact_roles_and_some_are_stale(us):
    open_deals = crm(us, "select Id, StageName, CloseDate, IsWon from Opportunity where not IsClosed")
    assert {stage for _, stage, _, _ in open_deals} == {stage for stage, _, _ in OPEN_STAGES}
    assert all(not won for *_, won in open_deals)
    roles = crm(us, "select OpportunityId, Role, IsPrimary from OpportunityContactRole")
    with_roles = {opportunity for opportunity, _, _ in roles}
    with_contacts = {
        deal for (deal,) in crm(us, "select Id from Opportunity where AccountId in (select AccountId from Contact)")
    }
    assert {deal for deal, *_ in open_deals} & with_contacts <= with_roles, "who is involved, where the CRM knows"
    assert {role for _, role, primary in roles if not primary} - {"Decision Maker"}
    last_activity = dict(crm(us, "select WhatId, max(CreatedDate) from Task group by WhatId"))
    expected = {row["opportunity_id"]: row for row in truth(us, "opportunities")}
    assert set(expected) == {deal for deal, *_ in open_deals}
    stale = past_close = 0
    for deal, _, close, _ in open_deals:
        idle = AS_OF - utc(last_activity[deal])
        is_stale = idle >= timedelta(days=21)
        assert is_stale == (expected[deal]["is_stale"] == "1"), deal
        assert is_stale or idle <= timedelta(days=14)
        stale += is_stale
        past_close += date.fromisoformat(close) < AS_OF.date()
    assert stale >= 5 and past_close >= 3 and len(open_deals) - stale >= 10


# ---------- win-backs, churn ----------
def orders_by_customer(us: Path) -> dict[str, list[datetime]]:
    entities = who(us)
    orders = defaultdict(list)
    for account, effective in crm(us, 'select AccountId, EffectiveDate from "Order"'):
        orders[customer_of(entities["sales", "Account", account])].append(date.fromisoformat(effective))
    return {customer: sorted(days) for customer, days in orders.items()}


def test_won_back_customers_are_exactly_the_planted_win_backs(us):
    planted = {row["true_customer_id"]: row for row in truth(us, "win_backs")}
    assert len(planted) >= 3
    won_back = set()
    for customer, days in orders_by_customer(us).items():
        if len(days) < 3:
            continue
        gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
        kept = sum(gaps[:-1]) / len(gaps[:-1])  # the interval kept before the latest gap
        if gaps[-1] > 3 * kept:
            won_back.add(customer)
        else:
            assert gaps[-1] < 2.5 * kept, (customer, gaps)  # far from the line: no chance win-back
    assert won_back == set(planted)
    for customer, row in planted.items():
        days = orders_by_customer(us)[customer]
        assert days[-1].isoformat() == row["returned_at"][:10] and days[-2].isoformat() == row["lapsed_after"][:10]
        assert (AS_OF.date() - days[-1]).days < float(row["usual_interval_days"]), "came back recently"
    churned = {row["true_customer_id"] for row in truth(us, "customers") if row["churned_at"]}
    assert churned and not churned & set(planted)


def test_churned_customers_stop_ordering_at_their_churn_date(us):
    orders = orders_by_customer(us)
    churned = [row for row in truth(us, "customers") if row["churned_at"]]
    assert len(churned) >= 10
    for row in churned:
        last = orders.get(row["true_customer_id"], [date.min])[-1]
        assert last < datetime.fromisoformat(row["churned_at"]).date()


def test_the_working_calendar_is_illinois(us):
    days = {date.fromisoformat(d) for (d,) in crm(us, 'select EffectiveDate from "Order"')}
    assert days and all(il_working_day(d) for d in days)
    state_only = {date(2025, 2, 12), date(2025, 3, 3), date(2026, 2, 12), date(2026, 3, 2)}  # Lincoln, Pulaski
    assert not days & state_only
    assert any(d.weekday() < 5 for d in state_only)


def test_the_ground_truth_has_the_cn_profiles_three_files_in_their_formats(us, tmp_path):
    generate(tmp_path, customers=20, seed=1, as_of=AS_OF, log=lambda *_: None)  # cn
    for name in ("identities", "incidents", "customers"):
        assert (us / "ground_truth" / f"{name}.csv").read_text("utf-8").splitlines()[0] == (
            tmp_path / "ground_truth" / f"{name}.csv"
        ).read_text("utf-8").splitlines()[0]
    kinds = {row["kind"] for row in truth(us, "incidents")}
    assert kinds == {
        "installation_overdue",
        "compensation_unanswered",
        "wrong_item_shipped",
        "delivery_late",
        "bad_rating_no_follow_up",
    }
    assert not (tmp_path / "ground_truth" / "people.csv").exists(), "the cn company writes only its three"
    assert statistics.mean(int(row["orders"]) for row in truth(us, "customers")) > 2
