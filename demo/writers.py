"""Write the simulated history in each source system's own format (SOURCES.md): the CRM as a
SQLite database of Salesforce tables, the service desk's records as JSON for the demo API,
logistics as daily CSV folders, the call center as Asterisk CDR, queue_log and IVR files.

A big company is written a batch of customers at a time (`CompanyWriter`): every writer
appends to what the batches before it wrote."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from demo.localtime import LocalClock
from demo.profiles import ALL_CRM_TABLES
from demo.service_desk_api import RESOURCES, ResourceIndex
from demo.story_parts import History
from demo.system_ids import AGENTS

CRM_COLUMNS = {
    "Account": "Name Type Industry Phone Website BillingStreet BillingCity BillingState BillingPostalCode "
    "BillingCountry NumberOfEmployees AnnualRevenue OwnerId Registration_Number__c",
    "Contact": "AccountId FirstName LastName Salutation Title Email Phone MobilePhone MailingStreet "
    "MailingCity MailingState MailingPostalCode MailingCountry Birthdate HasOptedOutOfEmail DoNotCall",
    "Lead": "FirstName LastName Company Email Phone LeadSource Status IsConverted ConvertedAccountId "
    "ConvertedContactId ConvertedDate",
    "Opportunity": "AccountId Name StageName Amount Probability CloseDate IsClosed IsWon LeadSource Type "
    "ForecastCategoryName OwnerId",
    "OpportunityContactRole": "OpportunityId ContactId Role IsPrimary",
    "Product2": "Name ProductCode Family IsActive",
    "Order": "AccountId OpportunityId OrderNumber EffectiveDate Status TotalAmount ShippingStreet "
    "ShippingCity ShippingPostalCode ShippingCountry",
    "OrderItem": "OrderId Product2Id Quantity UnitPrice TotalPrice ServiceDate",
    "Task": "WhoId WhatId AccountId Subject Type Status ActivityDate Description OwnerId",
    "User": "Name Email Department IsActive",
    "Survey_Response__c": "Contact__c Account__c Survey_Type__c Score__c Comment__c Responded_At__c",
}
assert tuple(CRM_COLUMNS) == ALL_CRM_TABLES
COMMON_COLUMNS = ["Id", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"]
SQL_TYPES = {
    "NumberOfEmployees": "INTEGER",
    "AnnualRevenue": "REAL",
    "Amount": "REAL",
    "Probability": "REAL",
    "TotalAmount": "REAL",
    "Quantity": "REAL",
    "UnitPrice": "REAL",
    "TotalPrice": "REAL",
    "Score__c": "REAL",
    "Unit_Cost__c": "REAL",
    "IsDeleted": "BOOLEAN",
    "IsConverted": "BOOLEAN",
    "IsClosed": "BOOLEAN",
    "IsWon": "BOOLEAN",
    "IsPrimary": "BOOLEAN",
    "IsActive": "BOOLEAN",
    "HasOptedOutOfEmail": "BOOLEAN",
    "DoNotCall": "BOOLEAN",
}

LOGISTICS_COLUMNS = {
    "shipments.csv": "shipment_id order_number carrier tracking_number ship_date promised_delivery_date "
    "recipient_name recipient_phone ship_to_address ship_to_city ship_to_postal_code status "
    "updated_at",
    "packing_list.csv": "shipment_id line_no sku description quantity serial_numbers",
    "tracking_events.csv": "tracking_number event_time event_code location signed_by remark",
    "installations.csv": "work_order_id order_number site_name site_address contact_name contact_phone "
    "scheduled_date promised_by_date completed_at status technician "
    "acceptance_signed_by notes updated_at",
}


TRUTH_COLUMNS = {
    "identities": ["source_system", "source_table", "source_record_id", "entity_type", "true_entity_id"],
    "incidents": [
        "kind",
        "true_customer_id",
        "order_number",
        "source_system",
        "source_record_id",
        "due_at",
        "resolved_at",
    ],
    "customers": [
        "true_customer_id",
        "customer_type",
        "display_name",
        "is_prospect",
        "is_loyal",
        "orders",
        "churned_at",
    ],
}
# the profile's further truth files (written by the profiles that plant them)
MORE_TRUTH_COLUMNS = {
    # a person's true names and numbers, whatever each system made of them
    "people": [
        "true_person_id",
        "true_customer_id",
        "given_name",
        "family_name",
        "nickname",
        "known_as",
        "known_as_in",
        "email",
        "mobile",
        "shares_mobile",
        "desk_phone",
        "extension",
    ],
    # customers who lapsed (no order for over 3.5 times their usual interval) and came back
    "win_backs": ["true_customer_id", "lapsed_after", "returned_at", "usual_interval_days", "orders_before"],
    # customers who left whom their account owner called on the history's last day (a CRM task)
    "follow_ups": ["true_customer_id", "task_id", "called_at"],
    # converted leads a customer referred (Lead.Referred_By__c), and who referred them
    "referrals": ["lead_id", "true_customer_id", "referred_by_true_customer_id"],
    # every open opportunity, and whether it is stale (no activity for 21 days or more)
    "opportunities": [
        "opportunity_id",
        "true_customer_id",
        "stage",
        "is_stale",
        "is_past_close_date",
        "created_at",
        "last_activity_at",
        "close_date",
    ],
}
# the folders of `out` the demo writes; a new company replaces them
SYSTEM_FOLDERS = ("crm", "service_desk", "logistics", "call_center", "ground_truth", "held_back")


class CompanyWriter:
    """The four systems and the ground truth under `out`, written a History (a batch of
    customers) at a time; `finish` puts each PBX day file in time order again when several
    batches added to it, as a PBX writes it."""

    def __init__(self, out: Path, encoding: str):
        self.out = out
        self.encoding = encoding
        self.batches = 0
        self.call_center = CallCenterState()
        self.counts = {"accounts": 0, "orders": 0, "tickets": 0, "calls": 0}
        for folder in SYSTEM_FOLDERS:
            shutil.rmtree(out / folder, ignore_errors=True)

    def write(self, history: History, log=print) -> None:
        first = self.batches == 0
        if first:
            log("demo: writing the CRM (SQLite, Salesforce tables)")
        write_crm(history, self.out / "crm" / "crm.sqlite", create=first, tables=history.profile.crm_tables)
        if first:
            log("demo: writing the service desk records (served by `c360 demo-api`)")
        write_service_desk(history, self.out / "service_desk", append=not first)
        if first:
            log(f"demo: writing logistics day folders ({self.encoding})")
        write_logistics(history, self.out / "logistics", self.encoding)
        if first:
            log("demo: writing Asterisk CDR, queue_log and IVR survey files")
        write_call_center(history, self.out / "call_center", history.identities, self.call_center)
        write_truth(history, self.out / "ground_truth", append=not first)
        self.batches += 1
        for name, records in (
            ("accounts", history.crm["Account"]),
            ("orders", history.crm["Order"]),
            ("tickets", history.desk["tickets"]),
            ("calls", history.calls),
        ):
            self.counts[name] += len(records)

    def finish(self) -> None:
        if self.batches > 1:
            sort_call_center_files(self.out / "call_center")
            sort_service_desk_files(self.out / "service_desk")


def write_crm(history: History, path: Path, create: bool = True, tables=ALL_CRM_TABLES) -> None:
    """The batch's rows into the CRM database, the company's `tables` only; `create` starts a new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if create:
        path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    for table, extra in CRM_COLUMNS.items():
        if table not in tables:
            continue
        custom = list(history.profile.crm_custom_fields.get(table, ())) if history.profile else []
        columns = COMMON_COLUMNS + extra.split() + custom
        ddl = ", ".join(f'"{c}" {SQL_TYPES.get(c, "TEXT")}' + (" PRIMARY KEY" if c == "Id" else "") for c in columns)
        if create:
            con.execute(f'CREATE TABLE "{table}" ({ddl})')
        placeholders = ", ".join("?" for _ in columns)
        quoted = ", ".join(f'"{c}"' for c in columns)
        con.executemany(
            f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})',
            ([row.get(c) for c in columns] for row in history.crm[table]),
        )
    con.commit()
    con.close()


def write_service_desk(history: History, folder: Path, append: bool = False) -> None:
    """One JSON Lines file a resource; `c360 demo-api` serves them."""
    folder.mkdir(parents=True, exist_ok=True)
    for resource, records in history.desk.items():
        with open(folder / f"{resource}.jsonl", "a" if append else "w", encoding="utf-8") as f:
            f.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def write_logistics(history: History, root: Path, encoding: str) -> None:
    """The batch's rows of each day's files, after the rows an earlier batch wrote there."""
    for day in sorted(history.logistics):
        folder = root / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        for file, rows in sorted(history.logistics[day].items()):
            columns = LOGISTICS_COLUMNS[file].split()
            path = folder / file
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
            if not path.exists():
                writer.writeheader()
            writer.writerows(rows)
            with open(path, "ab") as f:
                f.write(buffer.getvalue().encode(encoding))


@dataclass
class CallCenterState:
    """What the PBX files carry from one batch to the next: the call counter in the uniqueids,
    and the days whose housekeeping lines are written."""

    calls: int = 0
    days: set = field(default_factory=set)


def write_call_center(
    history: History, root: Path, identities: list[dict], state: CallCenterState | None = None
) -> None:
    """Asterisk `cdr_csv` (no header, quoted), `queue_log` (pipe-separated) and the IVR survey."""
    state = state or CallCenterState()
    clock = history.clock or LocalClock(history.profile.time_zone)
    cdr: dict[str, list[list]] = defaultdict(list)
    queue_log: dict[str, list[tuple[int, str]]] = defaultdict(list)
    surveys: dict[str, list[list]] = defaultdict(list)
    seq = state.calls
    days = sorted({c.start.date() for c in history.calls} - state.days)
    state.days.update(days)
    _pbx_housekeeping(days, clock, history.profile.working_hours, queue_log)
    # the PBX has written nothing after the moment the company is written at
    written_until = clock.epoch(history.end_at)
    for key in queue_log:
        queue_log[key] = [line for line in queue_log[key] if line[0] <= written_until]
    for call in history.calls:
        answer_at = call.start + timedelta(seconds=call.wait_s)
        end_at = answer_at + timedelta(seconds=call.talk_s)
        if end_at > history.end_at:  # still ringing or talking: its CDR line is written at hang-up
            continue
        seq += 1
        key = call.start.strftime("%Y%m%d")
        uid = f"{clock.epoch(call.start)}.{seq}"
        if call.outbound:
            cdr[key].append(_outbound_cdr_row(call, seq, uid, clock))
        else:
            cdr[key].append(_cdr_row(call, seq, uid, history.profile.hotline, clock))
            queue_log[key].extend(_queue_events(call, seq, uid, clock))
        if call.agent is not None and call.survey and end_at + timedelta(seconds=40) <= history.end_at:
            answered_at = clock.wall(end_at + timedelta(seconds=40))
            surveys[key].append([uid, call.caller_number, "csat", call.survey[0], answered_at])
            surveys[key].append([uid, call.caller_number, "fcr", call.survey[1], answered_at])
        identities.extend(_call_truths(call, uid))
    state.calls = seq
    _append_call_center_files(root, cdr, queue_log, surveys)


def _pbx_housekeeping(days: list, clock: LocalClock, working_hours: tuple, queue_log: dict) -> None:
    """The PBX's own lines each day: the queue starting, agents logging in five minutes before
    the company's day and off five minutes after it."""
    start_hour, end_hour = working_hours
    for day in days:
        key = day.strftime("%Y%m%d")
        midnight = datetime.combine(day, datetime.min.time())
        queue_log[key].append((clock.epoch(midnight), f"{clock.epoch(midnight)}|NONE|NONE|NONE|QUEUESTART|"))
        login = clock.epoch(midnight + timedelta(hours=start_hour, minutes=-5))
        logoff = clock.epoch(midnight + timedelta(hours=end_hour, minutes=5))
        for agent in AGENTS:
            n = agent.split("/")[1]
            queue_log[key].append((login, f"{login}|NONE|NONE|{agent}|AGENTLOGIN|SIP/{n}"))
            queue_log[key].append((logoff, f"{logoff}|NONE|NONE|{agent}|AGENTLOGOFF|SIP/{n}|{logoff - login}"))


def _cdr_row(call, seq: int, uid: str, hotline: str, clock: LocalClock) -> list:
    """The call's line in Master.csv, as Asterisk's cdr_csv writes it."""
    answered = call.agent is not None
    agent_no = call.agent.split("/")[1] if answered else ""
    return [
        "",
        call.caller_number,
        hotline,
        "from-pstn",
        f'"{call.caller_name}" <{call.caller_number}>',
        f"SIP/trunk-{seq:08x}",
        f"SIP/{agent_no}-{seq:08x}" if answered else "",
        "Queue",
        f"{call.queue},t,,,300",
        *_cdr_times_and_outcome(call, answered, uid, clock),
    ]


def _outbound_cdr_row(call, seq: int, uid: str, clock: LocalClock) -> list:
    """A call an agent placed, as cdr_csv writes it: from the agent's extension (its name in
    the clid) through the trunk to the number dialled; ringing out unanswered is NO ANSWER."""
    extension = call.agent.split("/")[1]
    return [
        "",
        extension,
        call.caller_number,
        "from-internal",
        f'"{call.agent}" <{extension}>',
        f"SIP/{extension}-{seq:08x}",
        f"SIP/trunk-{seq:08x}",
        "Dial",
        f"SIP/trunk/{call.caller_number},30",
        *_cdr_times_and_outcome(call, call.talk_s > 0, uid, clock),
    ]


def _cdr_times_and_outcome(call, answered: bool, uid: str, clock: LocalClock) -> list:
    """start, answer, end, duration, billsec, disposition, amaflags, uniqueid, userfield."""
    answer_at = call.start + timedelta(seconds=call.wait_s)
    end_at = answer_at + timedelta(seconds=call.talk_s)
    return [
        clock.wall(call.start),
        clock.wall(answer_at) if answered else "",
        clock.wall(end_at),
        call.wait_s + call.talk_s,
        call.talk_s,
        "ANSWERED" if answered else "NO ANSWER",
        "DOCUMENTATION",
        uid,
        "",
    ]


def _queue_events(call, seq: int, uid: str, clock: LocalClock) -> list[tuple[int, str]]:
    """The call's queue_log lines (epoch, line): entering the queue, then connected to an agent
    (now and then after another let it ring) and completed or transferred, or abandoned."""
    start = clock.epoch(call.start)
    answer_at = call.start + timedelta(seconds=call.wait_s)
    end_at = answer_at + timedelta(seconds=call.talk_s)
    lines = [(start, f"{start}|{uid}|{call.queue}|NONE|ENTERQUEUE||{call.caller_number}|1")]
    wait_end = clock.epoch(answer_at)
    if call.agent is None:
        lines.append((wait_end, f"{wait_end}|{uid}|{call.queue}|NONE|ABANDON|1|1|{call.wait_s}"))
        return lines
    if seq % 9 == 0:  # an agent let it ring first
        lines.append((start + 1, f"{start + 1}|{uid}|{call.queue}|Agent/80{(seq % 12) + 1:02d}|RINGNOANSWER|15000"))
    lines.append(
        (
            wait_end,
            f"{wait_end}|{uid}|{call.queue}|{call.agent}|CONNECT|{call.wait_s}|{start}.{seq}1|{min(call.wait_s, 6)}",
        )
    )
    done = clock.epoch(end_at)
    if seq % 50 == 0:
        lines.append(
            (
                done,
                f"{done}|{uid}|{call.queue}|{call.agent}|TRANSFER|8100|from-internal|{call.wait_s}|{call.talk_s}",
            )
        )
    else:
        event = "COMPLETEAGENT" if seq % 3 == 0 else "COMPLETECALLER"
        lines.append((done, f"{done}|{uid}|{call.queue}|{call.agent}|{event}|{call.wait_s}|{call.talk_s}|1"))
    return lines


def _call_truths(call, uid: str) -> list[dict]:
    """The truth of each call: the person (an unknown caller is one entity per number) and
    organization; a nameless call on a line an organization's people share is the organization's
    alone."""
    truths = []
    if call.truth_person or not call.truth_org:
        truths.append(("person", call.truth_person or "U" + call.caller_number.lstrip("+0")))
    if call.truth_org:
        truths.append(("organization", call.truth_org))
    return [
        dict(
            source_system="call_center",
            source_table="cdr",
            source_record_id=uid,
            entity_type=entity_type,
            true_entity_id=entity_id,
        )
        for entity_type, entity_id in truths
    ]


def _append_call_center_files(root: Path, cdr: dict, queue_log: dict, surveys: dict) -> None:
    """Each day's lines appended to its files (a later batch of the same day adds to them)."""
    for sub in ("cdr", "queue_log", "ivr_survey"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for key, rows in cdr.items():
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
        with open(root / "cdr" / f"Master-{key}.csv", "a", encoding="utf-8") as f:
            f.write(buffer.getvalue())
    for key, lines in queue_log.items():
        with open(root / "queue_log" / f"queue_log-{key}", "a", encoding="utf-8") as f:
            f.write("".join(line + "\n" for _, line in sorted(lines, key=lambda x: x[0])))
    for key, rows in surveys.items():
        path = root / "ivr_survey" / f"survey-{key}.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if not path.exists():
            writer.writerow(["uniqueid", "caller_number", "question", "score", "answered_at"])
        writer.writerows(rows)
        with open(path, "a", encoding="utf-8") as f:
            f.write(buffer.getvalue())


def sort_call_center_files(root: Path) -> None:
    """Each PBX day file in time order (stable), as the PBX appends it: CDR by start, queue_log
    by epoch, the survey by its call's uniqueid (the call's start) under its header."""
    for path in (root / "cdr").glob("Master-*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.sort(key=lambda line: next(csv.reader([line]))[9])  # start
        path.write_text("".join(lines), encoding="utf-8")
    for path in (root / "queue_log").glob("queue_log-*"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.sort(key=lambda line: int(line.split("|", 1)[0]))
        path.write_text("".join(lines), encoding="utf-8")
    for path in (root / "ivr_survey").glob("survey-*.csv"):
        header, *lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.sort(key=lambda line: int(line.split(".", 1)[0]))  # the uniqueid's epoch
        path.write_text(header + "".join(lines), encoding="utf-8")


EXPORT_ORDERED = ".export-order"  # in a service_desk folder: its files are in export order


def sort_service_desk_files(folder: Path) -> None:
    """Each resource file in the order its export serves it (by the time the export filters
    on, then id), as a service desk's own store keeps it. Written batch after batch, a page of
    a thousand records lay in up to 50 places of a 5 GB file: at a million customers the demo
    desk read each page line by line from disk (~0.3 s) and the service-desk load waited on it.
    In order, a page is one read. The desk's own index gives the order; the file is read at
    once (5.5 GB for the ticket events of a million customers), its lines written in that order
    to a new file that then replaces it; `EXPORT_ORDERED` marks a folder done."""
    for resource, stamp_field in RESOURCES.items():
        path = folder / f"{resource}.jsonl"
        if not path.exists():
            continue
        index = ResourceIndex(path, stamp_field)
        index.refresh()
        if np.all(index.offsets[1:] > index.offsets[:-1]):
            continue  # already in export order
        data = path.read_bytes()
        ordered = path.with_name(path.name + ".ordered")
        with open(ordered, "wb", buffering=16 * 2**20) as out:
            for offset, length in zip(index.offsets.tolist(), index.lengths.tolist(), strict=True):
                out.write(data[offset : offset + length] + b"\n")
        ordered.replace(path)
    (folder / EXPORT_ORDERED).touch()


def write_truth(history: History, folder: Path, append: bool = False) -> None:
    """The answers, kept beside the company and never loaded by the pipeline: the three files
    of every profile, and the further ones of the profile (each with its header, also when a
    batch has no rows for it)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        (name, rows, TRUTH_COLUMNS[name])
        for name, rows in (
            ("identities", history.identities),
            ("incidents", history.incidents),
            ("customers", history.customers),
        )
    ]
    profile = history.profile
    more = [name for name in MORE_TRUTH_COLUMNS if _plants(profile, name)] if profile else []
    files += [(name, history.more_truth.get(name, []), MORE_TRUTH_COLUMNS[name]) for name in more]
    for name, rows, columns in files:
        with open(folder / f"{name}.csv", "a" if append else "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
            if not append:
                writer.writeheader()
            writer.writerows(rows)


def _plants(profile, truth_file: str) -> bool:
    """Whether the profile plants what a further truth file records."""
    return {
        "people": profile.person_truth,
        "win_backs": bool(profile.win_back_share),
        "opportunities": profile.open_pipeline,
        "follow_ups": bool(profile.calls_to_customers_who_left),
        "referrals": bool(profile.referral_share),
    }[truth_file]
