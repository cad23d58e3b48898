"""Two years in the life of the demo company: orders, shipments, installations, tickets,
calls and surveys, with the trouble real companies have planted in them.

Everything is simulated in the company's local time (Asia/Shanghai, which has no DST) and
collected as rows in each source system's own shape; `demo.writers` serialises them.
The truth (who is who, what went wrong) is collected beside and never loaded.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from demo import people
from demo.company import Customer, CustomerFactory, Organization, Person

LOCAL_UTC_OFFSET = timedelta(hours=8)
HISTORY_DAYS = 730
INSTALLATION_PROMISE_WORKING_DAYS = 15
COMPENSATION_ANSWER_WORKING_DAYS = 3
ORDER_NUMBER_FIELD_ID = 360001
CATEGORY_FIELD_ID = 360002
HOTLINE = "4008208820"

# (ProductCode, Name, Family, UnitPrice, needs installation)
PRODUCTS = [
    ("QS-5000", "QS-5000 Disk Array 48TB", "Storage", 182000, True),
    ("QS-5100", "QS-5100 Disk Array 96TB", "Storage", 265000, True),
    ("QS-7000", "QS-7000 Disk Array 192TB", "Storage", 418000, True),
    ("QS-9000", "QS-9000 All-Flash Array", "Storage", 560000, True),
    ("QX-R540", "QX-R540 Rack Server", "Servers", 68000, True),
    ("QX-R740", "QX-R740 Rack Server", "Servers", 96000, True),
    ("QX-T340", "QX-T340 Tower Server", "Servers", 32000, False),
    ("QF-200", "QF-200 Firewall", "Security", 24000, False),
    ("QF-800", "QF-800 Next-Gen Firewall", "Security", 88000, True),
    ("QN-24", "QN-24 Access Switch", "Networking", 9800, False),
    ("QN-48", "QN-48 Access Switch", "Networking", 16800, False),
    ("QN-C9", "QN-C9 Core Switch", "Networking", 138000, True),
    ("SV-3Y", "3-Year Support Contract", "Services", 36000, False),
]
SIBLING_MODEL = {
    "QS-5000": "QS-5100",
    "QS-5100": "QS-5000",
    "QS-7000": "QS-5100",
    "QS-9000": "QS-7000",
    "QX-R540": "QX-R740",
    "QX-R740": "QX-R540",
    "QX-T340": "QX-R540",
    "QF-200": "QF-800",
    "QF-800": "QF-200",
    "QN-24": "QN-48",
    "QN-48": "QN-24",
    "QN-C9": "QN-48",
}
CARRIERS = [("SF Express", "SF"), ("JD Logistics", "JDL"), ("ZTO Express", "ZTO")]
QUEUES = ["support", "sales", "logistics"]
AGENTS = [f"Agent/{8000 + i}" for i in range(1, 13)]


def sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce id: 15 characters and the case-safe checksum suffix."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    body = ""
    while n:
        n, r = divmod(n, 62)
        body = alphabet[r] + body
    base = prefix + "5g00000" + body.rjust(5, "0")
    return base + _checksum_char(base[:5]) + _checksum_char(base[5:10]) + _checksum_char(base[10:])


@lru_cache(maxsize=None)  # a few hundred thousand distinct chunks, asked for tens of millions of ids
def _checksum_char(chunk: str) -> str:
    """One character of the case-safe suffix: which of the chunk's five characters are upper case."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[sum(1 << i for i, c in enumerate(chunk) if c.isupper())]


# isoformat rather than strftime: the same text (seconds truncated), several times faster,
# and a big company writes tens of millions of timestamps
def sf_time(local: datetime) -> str:
    return (local - LOCAL_UTC_OFFSET).isoformat(timespec="seconds") + ".000+0000"


def zd_time(local: datetime) -> str:
    return (local - LOCAL_UTC_OFFSET).isoformat(timespec="seconds") + "Z"


def offset_time(local: datetime) -> str:
    return local.isoformat(timespec="seconds") + "+08:00"


class WorkingCalendar:
    """The demo's own working calendar: weekends and Chinese public holidays off, and the
    weekends China declares working days to bridge a holiday on (调休)."""

    def __init__(self, years: range):
        self.holidays = holidays.country_holidays("CN", years=list(years))
        self.working: dict[date, bool] = {}  # asked millions of times about a few thousand days

    def is_working_day(self, d: date) -> bool:
        working = self.working.get(d)
        if working is None:
            working = self.working[d] = self.holidays.is_working_day(d)
        return working

    def add_working_days(self, d: date, n: int) -> date:
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def next_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d


@dataclass
class Ticket:
    key: int
    customer: Customer
    requester: Person
    created: datetime
    channel: str
    subject: str
    description: str
    category: str
    priority: str
    tags: list[str]
    order_number: str | None
    events: list[tuple[datetime, str, dict]] = field(default_factory=list)  # (when, kind, detail)
    status: str = "new"
    assignee: int | None = None
    rating: tuple[str, str, datetime] | None = None  # score, comment, when
    zendesk_id: int = 0


@dataclass
class Call:
    start: datetime
    caller_number: str  # as the carrier delivered it
    queue: str
    wait_s: int
    talk_s: int  # 0 when abandoned
    agent: str | None
    survey: tuple[int, int] | None  # (csat 1-5, fcr 0/1)
    caller_name: str
    truth_person: str | None
    truth_org: str | None


@dataclass
class History:
    crm: dict[str, list[dict]]
    desk: dict[str, list[dict]]
    logistics: dict[date, dict[str, list[dict]]]
    calls: list[Call]
    identities: list[dict]
    incidents: list[dict]
    customers: list[dict]
    start: date
    end: date
    end_at: datetime  # local: the moment the systems are written at; nothing is stamped after it


class Simulation:
    def __init__(self, n_customers: int, seed: int, end: datetime):
        """`end` is the moment the company is written at, in its local time: nothing happens
        after it (a record stamped later would be a record from the future)."""
        self.rng = random.Random(seed)
        self.end = end.date()
        self.start = self.end - timedelta(days=HISTORY_DAYS)
        self.end_dt = end.replace(microsecond=0)
        self.cal = WorkingCalendar(range(self.start.year - 6, end.year + 2))
        self.n_customers = n_customers
        self.factory = CustomerFactory(self.rng)
        self.counters: dict[str, int] = {}
        self.rep_ids: list[str] = []  # CRM Users of the sales team
        self.product_ids: dict[str, str] = {}  # ProductCode -> CRM Product2 Id
        self.has_orders = False
        self.desk = None  # demo.service_desk_records.ServiceDeskShaper, made with the first batch
        self._new_batch()

    def _new_batch(self) -> None:
        """Empty collections for the next batch of customers (what a batch writes, then drops)."""
        self.customers: list[Customer] = []
        self.crm: dict[str, list[dict]] = defaultdict(list)  # Salesforce table -> rows
        self.logistics: dict[date, dict[str, list[dict]]] = {}
        self.tickets: list[Ticket] = []
        self.calls: list[Call] = []
        self.identities: list[dict] = []
        self.incidents: list[dict] = []
        self.truth_customers: list[dict] = []
        # bad ratings not followed up, settled at the end of the batch (a customer's story is
        # told within one): a follow-up about another of the customer's ratings counts too
        self.unanswered_ratings: list[tuple] = []
        self.follow_ups: dict[str, list[datetime]] = {}
        self.contact_ids: dict[str, str] = {}  # person_id -> CRM Contact Id
        self.account_ids: dict[str, str] = {}  # customer_id -> CRM Account Id

    # ---------- small helpers ----------
    def next_id(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def sf(self, prefix: str) -> str:
        return sf_id(prefix, self.next_id(prefix) + 1000)

    def truth(
        self,
        system: str,
        table: str,
        record_id: str,
        customer: Customer | None,
        person: Person | None,
        unknown_entity: str | None = None,
    ) -> None:
        def record(entity_type: str, entity_id: str) -> None:
            self.identities.append(
                dict(
                    source_system=system,
                    source_table=table,
                    source_record_id=record_id,
                    entity_type=entity_type,
                    true_entity_id=entity_id,
                )
            )

        if person is not None:
            record("person", person.person_id)
        org = customer.organization if customer else (person.organization if person else None)
        if org is not None:
            record("organization", org.organization_id)
        if unknown_entity is not None:
            record("person", unknown_entity)

    def working_time(self, d: date, start_hour: int = 9, end_hour: int = 18) -> datetime:
        d = self.cal.next_working_day(d)
        minute = self.rng.randrange(start_hour * 60, end_hour * 60)
        return datetime.combine(d, time(minute // 60, minute % 60, self.rng.randrange(60)))

    def drop(self, at: datetime, file: str, row: dict) -> None:
        """A logistics record written at `at` (local), delivered in the folder of its day; one
        written after the end of the history does not exist yet."""
        if at <= self.end_dt:
            self.logistics.setdefault(at.date(), {}).setdefault(file, []).append(row)

    def sales_rep(self) -> str:
        return self.rep_ids[self.rng.randrange(10)]

    # ---------- the run ----------
    def run(self) -> History:
        """The whole history at once (a small company)."""
        return next(self.batches(self.n_customers))

    def batches(self, batch_size: int):
        """The history a batch of `batch_size` customers at a time, so that a big company is
        simulated in the memory of one batch: each History holds that batch's records (the
        first also the CRM's users and products, the last also what belongs to no customer).
        Ids and names stay unique across batches; with one batch this is `run()`."""
        from demo.service_desk_records import ServiceDeskShaper  # shapes the JSON payloads

        done = 0
        while done < self.n_customers:
            size = min(batch_size, self.n_customers - done)
            self.customers = self.factory.build(size)
            if done == 0:
                self._users_and_products()
                self.desk = ServiceDeskShaper(self)
            for customer in self.customers:
                self._customer(customer)
            done += size
            last = done >= self.n_customers
            if last:
                self._unconverted_leads()
            for customer_id, who, order_number, key, rated, due in self.unanswered_ratings:
                if not any(rated < when <= due for when in self.follow_ups.get(customer_id, [])):
                    self._incident("bad_rating_no_follow_up", who, order_number, "service", f"rating:{key}", due, None)
            if last:
                self._unknown_callers()
            yield History(
                self.crm,
                self.desk.shape(self),
                self.logistics,
                sorted(self.calls, key=lambda c: c.start),
                self.identities,
                self.incidents,
                self.truth_customers,
                self.start,
                self.end,
                self.end_dt,
            )
            self._new_batch()

    def _users_and_products(self) -> None:
        created = datetime.combine(self.start - timedelta(days=900), time(9))
        for i in range(14):
            family_zh, family = self.rng.choice(people.SURNAMES)
            given_zh, given = self.rng.choice(people.GIVEN_CHARS)
            dept = "Sales" if i < 10 else ("Service" if i < 12 else "Logistics")
            self.crm["User"].append(
                self._sf_row(
                    "005",
                    created,
                    Name=f"{family_zh}{given_zh}",
                    Email=f"{given}.{family}{i}@quntex.com".lower(),
                    Department=dept,
                    IsActive=1,
                )
            )
        for code, name, family, _price, _install in PRODUCTS:
            self.crm["Product2"].append(
                self._sf_row("01t", created, Name=name, ProductCode=code, Family=family, IsActive=1)
            )
        self.rep_ids = [user["Id"] for user in self.crm["User"] if user["Department"] == "Sales"]
        self.product_ids = {product["ProductCode"]: product["Id"] for product in self.crm["Product2"]}

    def _sf_row(self, prefix: str, created: datetime, modified: datetime | None = None, **cols) -> dict:
        modified = modified or created
        return {
            "Id": self.sf(prefix),
            "CreatedDate": sf_time(created),
            "LastModifiedDate": sf_time(modified),
            "SystemModstamp": sf_time(modified),
            "IsDeleted": 0,
            **cols,
        }

    # ---------- one customer's story ----------
    def _customer(self, c: Customer) -> None:
        rng = self.rng
        since = self.end - timedelta(days=c.since_days_before_end)
        created = self.working_time(since)
        org = c.organization
        owner = self.sales_rep()
        if org:
            name = org.name_zh if org.name_zh and rng.random() < 0.9 else org.name_en
            account = self._sf_row(
                "001",
                created,
                Name=name,
                Type="Prospect" if c.is_prospect else "Customer",
                Industry=org.industry,
                Phone=people.phone_as_dialled(rng, org.switchboard),
                Website=f"www.{org.domain}",
                BillingStreet=org.street,
                BillingCity=org.city,
                BillingState=None,
                BillingPostalCode=org.postal_code,
                BillingCountry=org.country,
                NumberOfEmployees=org.employees,
                AnnualRevenue=org.employees * 350000.0,
                OwnerId=owner,
                Registration_Number__c=org.registration_number or "",
            )
        else:
            p = c.person
            account = self._sf_row(
                "001",
                created,
                Name=p.name_native,
                Type="Prospect" if c.is_prospect else "Customer",
                Industry=None,
                Phone=people.phone_as_dialled(rng, p.mobile),
                Website=None,
                BillingStreet=f"{rng.choice(people.STREETS_CN)}{rng.randint(1, 999)}号",
                BillingCity=p.city,
                BillingState=None,
                BillingPostalCode=f"{rng.randint(100000, 799999)}",
                BillingCountry="China",
                NumberOfEmployees=None,
                AnnualRevenue=None,
                OwnerId=owner,
                Registration_Number__c="",
            )
        self.crm["Account"].append(account)
        self.account_ids[c.customer_id] = account["Id"]
        self.truth("sales", "Account", account["Id"], c, None if org else c.person)
        for person in c.contacts:
            if org and rng.random() < 0.1:
                continue  # not every employee is in the CRM; they show up elsewhere
            self._contact(c, person, account["Id"], created)
        mood = 0.85 if c.is_loyal else 0.7
        churned_at: datetime | None = None
        if c.is_prospect:
            self.truth_customers.append(self._truth_customer(c, None, 0))
            return
        # Orders: a renewal process at the customer's own usual interval.
        t = max(created, datetime.combine(self.start, time(9))) + timedelta(days=rng.uniform(0, c.order_interval_days))
        n_orders = 0
        # The simulated history covers the last two years; older accounts start quiet.
        history_start = max(created, datetime.combine(self.start, time(9)))
        next_touch = history_start + timedelta(days=rng.uniform(10, 40))
        next_survey = history_start + timedelta(days=rng.uniform(30, 180))
        while t < self.end_dt:
            while next_touch < t:
                self._sales_touch(c, next_touch)
                next_touch += timedelta(days=rng.uniform(25, 70))
            while next_survey < t:
                self._nps(c, next_survey, mood)
                next_survey += timedelta(days=rng.uniform(150, 210))
            order_time = self.working_time(t.date())
            if order_time > self.end_dt:  # the next working day is still to come
                break
            trouble = self._order(c, account["Id"], owner, order_time)
            n_orders += 1
            for _kind in trouble:
                mood -= 0.15
            mood = min(0.95, mood + 0.03)
            self._random_contacts(c, order_time, min(order_time + timedelta(days=c.order_interval_days), self.end_dt))
            hazard = 0.02 + 0.22 * len(trouble) + (0.1 if mood < 0.4 else 0)
            if c.is_loyal:
                hazard *= 0.15
            if rng.random() < hazard:
                churned_at = order_time + timedelta(days=rng.uniform(10, 40))
                break
            t = order_time + timedelta(days=max(7.0, rng.gauss(c.order_interval_days, c.order_interval_days * 0.25)))
        # Sales keeps in touch until the customer leaves (or the history ends).
        while next_touch < min(churned_at or self.end_dt, self.end_dt):
            self._sales_touch(c, next_touch)
            next_touch += timedelta(days=rng.uniform(25, 70))
        if churned_at is not None:
            # A lapsed customer still calls now and then, and gets the odd survey.
            quiet_until = min(churned_at + timedelta(days=120), self.end_dt)
            while next_survey < quiet_until:
                self._nps(c, next_survey, mood)
                next_survey += timedelta(days=rng.uniform(150, 210))
        self.truth_customers.append(self._truth_customer(c, churned_at, n_orders))

    def _truth_customer(self, c: Customer, churned_at: datetime | None, n_orders: int) -> dict:
        return dict(
            true_customer_id=(c.organization.organization_id if c.organization else c.person.person_id),
            customer_type="organization" if c.organization else "person",
            display_name=c.display_name,
            is_prospect=int(c.is_prospect),
            is_loyal=int(c.is_loyal),
            orders=n_orders,
            churned_at=churned_at.isoformat() if churned_at else "",
        )

    def _contact(self, c: Customer, p: Person, account_id: str, created: datetime) -> None:
        rng = self.rng
        if p.family_zh and rng.random() < 0.8:
            first, last = p.given_zh, p.family_zh
        else:
            first, last = p.given_latin, p.family_latin
        row = self._sf_row(
            "003",
            created + timedelta(minutes=rng.randint(1, 600)),
            AccountId=account_id,
            FirstName=first,
            LastName=last,
            Salutation=rng.choice(["Mr.", "Ms.", None]),
            Title=p.title,
            Email=p.email if rng.random() < 0.9 else None,
            Phone=people.phone_as_dialled(rng, p.desk_phone) if p.desk_phone else None,
            MobilePhone=people.phone_as_dialled(rng, p.mobile) if rng.random() < 0.85 else None,
            MailingStreet=None,
            MailingCity=p.city,
            MailingState=None,
            MailingPostalCode=None,
            MailingCountry=p.country,
            Birthdate=None,
            HasOptedOutOfEmail=int(rng.random() < 0.05),
            DoNotCall=int(rng.random() < 0.03),
        )
        self.crm["Contact"].append(row)
        self.contact_ids[p.person_id] = row["Id"]
        self.truth("sales", "Contact", row["Id"], c, p)
        if rng.random() < 0.03:  # the same person entered twice, with a slip
            dup = dict(
                row,
                Id=self.sf("003"),
                LastName=people.typo(rng, p.family_latin),
                FirstName=p.given_latin,
                Email=people.typo(rng, p.email) if row["Email"] else None,
            )
            self.crm["Contact"].append(dup)
            self.truth("sales", "Contact", dup["Id"], c, p)
        if rng.random() < 0.4:  # came in as a lead and was converted
            lead_created = created - timedelta(days=rng.randint(5, 60))
            org = c.organization
            lead = self._sf_row(
                "00Q",
                lead_created,
                created,
                FirstName=p.given_latin,
                LastName=p.family_latin,
                Company=(org.name_en if org else None),
                Email=p.email,
                Phone=people.phone_as_dialled(rng, p.mobile),
                LeadSource=rng.choice(["Web", "Trade Show", "Partner Referral", "Phone Inquiry"]),
                Status="Closed - Converted",
                IsConverted=1,
                ConvertedAccountId=account_id,
                ConvertedContactId=row["Id"],
                ConvertedDate=created.date().isoformat(),
            )
            self.crm["Lead"].append(lead)
            self.truth("sales", "Lead", lead["Id"], c, p)

    def _unconverted_leads(self) -> None:
        """Prospects who never became customers: their own persons, and nothing else."""
        rng = self.rng
        for i in range(max(10, self.n_customers // 8)):
            family_zh, family = rng.choice(people.SURNAMES)
            given_zh, given = rng.choice(people.GIVEN_CHARS)
            person = Person(
                f"L{i + 1:06d}",
                family_zh,
                given_zh,
                family,
                given.capitalize(),
                f"{given}{family}{rng.randint(100, 999)}@qq.com".lower(),
                people.mobile_number(rng),
                None,
                "",
                "",
                "China",
            )
            created = self.working_time(self.start + timedelta(days=rng.randrange(HISTORY_DAYS)))
            lead = self._sf_row(
                "00Q",
                created,
                FirstName=given_zh,
                LastName=family_zh,
                Company=f"{rng.choice(people.CITIES_CN)[0]}{rng.choice(people.BRAND_CHARS)[0]}科技",
                Email=person.email,
                Phone=people.phone_as_dialled(rng, person.mobile),
                LeadSource=rng.choice(["Web", "Trade Show", "Phone Inquiry"]),
                Status=rng.choice(["Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"]),
                IsConverted=0,
                ConvertedAccountId=None,
                ConvertedContactId=None,
                ConvertedDate=None,
            )
            self.crm["Lead"].append(lead)
            self.truth("sales", "Lead", lead["Id"], None, person)

    def _sales_touch(
        self, c: Customer, when: datetime, subject: str | None = None, kind: str | None = None, exact: bool = False
    ) -> bool:
        """A CRM task with one of the customer's contacts; False when none could be logged (the
        contact is not in the CRM, or the day is past the history's end)."""
        person = self.rng.choice(c.contacts)
        who = self.contact_ids.get(person.person_id)
        when = when if exact else self.working_time(when.date())
        if who is None or when > self.end_dt:
            return False
        kind = kind or self.rng.choice(["Call", "Email", "Meeting", "Visit", "Call"])
        self.crm["Task"].append(
            self._sf_row(
                "00T",
                when,
                WhoId=who,
                WhatId=self.account_ids[c.customer_id],
                AccountId=self.account_ids[c.customer_id],
                Subject=subject
                or {
                    "Call": "Account check-in call",
                    "Email": "Quarterly update",
                    "Meeting": "Capacity planning meeting",
                    "Visit": "On-site visit",
                }[kind],
                Type=kind,
                Status="Completed",
                ActivityDate=when.date().isoformat(),
                Description=None,
                OwnerId=self.sales_rep(),
            )
        )
        return True

    def _nps(self, c: Customer, when: datetime, mood: float) -> None:
        person = self.rng.choice(c.contacts)
        contact = self.contact_ids.get(person.person_id)
        if contact is None or when > self.end_dt or self.rng.random() > 0.4:
            return
        score = max(0, min(10, round(self.rng.gauss(mood * 11, 1.6))))
        when = self.working_time(when.date())
        self.crm["Survey_Response__c"].append(
            self._sf_row(
                "a0X",
                when,
                Contact__c=contact,
                Account__c=self.account_ids[c.customer_id],
                Survey_Type__c="NPS",
                Score__c=score,
                Comment__c=rng_comment(self.rng, score >= 9, score <= 6),
                Responded_At__c=sf_time(when),
            )
        )

    # ---------- an order and everything that follows from it ----------
    def _order(self, c: Customer, account_id: str, owner: str, when: datetime) -> list[str]:
        rng = self.rng
        lines = rng.sample(PRODUCTS[:-1], rng.choice([1, 1, 2, 2, 3]))
        if rng.random() < 0.3:
            lines.append(PRODUCTS[-1])
        qty = {p[0]: (rng.choice([1, 1, 2, 4]) if p[2] != "Networking" else rng.choice([2, 4, 8, 12])) for p in lines}
        total = float(sum(p[3] * qty[p[0]] for p in lines))
        if c.organization is None:
            total = total  # individuals buy the same catalogue, just less often
        decision_maker = rng.choice(c.contacts)
        opp_created = self.working_time((when - timedelta(days=rng.randint(14, 60))).date())
        opp = self._sf_row(
            "006",
            opp_created,
            when,
            AccountId=account_id,
            Name=f"{c.display_name} - {lines[0][2]} {when:%Y-%m}",
            StageName="Closed Won",
            Amount=total,
            Probability=100,
            CloseDate=when.date().isoformat(),
            IsClosed=1,
            IsWon=1,
            LeadSource=None,
            Type="Existing Business" if self.has_orders else "New Business",
            ForecastCategoryName="Closed",
            OwnerId=owner,
        )
        self.crm["Opportunity"].append(opp)
        if decision_maker.person_id in self.contact_ids:
            self.crm["OpportunityContactRole"].append(
                self._sf_row(
                    "00K",
                    opp_created,
                    OpportunityId=opp["Id"],
                    ContactId=self.contact_ids[decision_maker.person_id],
                    Role="Decision Maker",
                    IsPrimary=1,
                )
            )
        if rng.random() < 0.25:  # a competing deal that was lost
            lost_at = self.working_time((when - timedelta(days=rng.randint(20, 90))).date())
            self.crm["Opportunity"].append(
                self._sf_row(
                    "006",
                    lost_at - timedelta(days=30),
                    lost_at,
                    AccountId=account_id,
                    Name=f"{c.display_name} - expansion",
                    StageName="Closed Lost",
                    Amount=total * 0.6,
                    Probability=0,
                    CloseDate=lost_at.date().isoformat(),
                    IsClosed=1,
                    IsWon=0,
                    LeadSource=None,
                    Type="Existing Business",
                    ForecastCategoryName="Omitted",
                    OwnerId=owner,
                )
            )
        order_number = f"{self.next_id('order'):08d}"
        org = c.organization
        ship_city = org.city if org else c.person.city
        order = self._sf_row(
            "801",
            when,
            when,
            AccountId=account_id,
            OpportunityId=opp["Id"],
            OrderNumber=order_number,
            EffectiveDate=when.date().isoformat(),
            Status="Activated",
            TotalAmount=total,
            ShippingStreet=org.street if org else None,
            ShippingCity=ship_city,
            ShippingPostalCode=org.postal_code if org else None,
            ShippingCountry=org.country if org else "China",
        )
        self.crm["Order"].append(order)
        self.has_orders = True
        products = self.product_ids
        for code, _name, _family, price, _inst in lines:
            self.crm["OrderItem"].append(
                self._sf_row(
                    "802",
                    when,
                    OrderId=order["Id"],
                    Product2Id=products[code],
                    Quantity=qty[code],
                    UnitPrice=float(price),
                    TotalPrice=float(price * qty[code]),
                    ServiceDate=None,
                )
            )
        return self._fulfil(c, order_number, when, lines, qty, decision_maker)

    def _fulfil(self, c, order_number, ordered, lines, qty, contact: Person) -> list[str]:
        """Ship, deliver and install one order; returns the trouble that happened."""
        rng = self.rng
        trouble: list[str] = []
        goods = [p for p in lines if p[2] != "Services"]
        if not goods:
            return trouble
        ship_day = self.cal.add_working_days(ordered.date(), rng.randint(1, 4))
        promised = ship_day + timedelta(days=3)
        late = rng.random() < 0.09
        delivered_day = (
            promised + timedelta(days=rng.randint(1, 6)) if late else promised - timedelta(days=rng.randint(0, 2))
        )
        wrong = rng.random() < 0.04
        shipment_id, delivered = self._shipment(
            c, order_number, ship_day, promised, delivered_day, goods, qty, contact, wrong_item=wrong
        )
        org_or_person = c.organization.organization_id if c.organization else c.person.person_id
        if late:
            trouble.append("delivery_late")
            self._incident(
                "delivery_late",
                org_or_person,
                order_number,
                "logistics",
                shipment_id,
                datetime.combine(promised, time(23, 59)),
                delivered,
            )
        if wrong:
            trouble.append("wrong_item_shipped")
            fixed_at = None
            if rng.random() < 0.75:
                redo_ship = self.cal.add_working_days(delivered_day, rng.randint(2, 8))
                _, fixed_at = self._shipment(
                    c,
                    order_number,
                    redo_ship,
                    redo_ship + timedelta(days=3),
                    redo_ship + timedelta(days=rng.randint(1, 3)),
                    goods,
                    qty,
                    contact,
                    wrong_item=False,
                )
            self._incident(
                "wrong_item_shipped",
                org_or_person,
                order_number,
                "logistics",
                shipment_id,
                delivered or datetime.combine(delivered_day, time(15)),
                fixed_at,
            )
            self._complaint(
                c,
                contact,
                order_number,
                delivered or datetime.combine(delivered_day, time(15)),
                "Wrong model delivered",
                f"We ordered {goods[0][1]} but received a different model.",
                "wrong_item",
            )
        needs_install = c.organization is not None and any(p[4] for p in goods)
        if needs_install and delivered is not None:
            if self._installation(c, order_number, delivered.date(), goods):
                trouble.append("installation_overdue")
        if late and delivered is not None and rng.random() < 0.5:
            self._complaint(
                c,
                contact,
                order_number,
                delivered + timedelta(hours=rng.randint(1, 30)),
                "Delivery was late",
                "The shipment arrived days after the promised date.",
                "delivery",
            )
        return trouble

    def _shipment(
        self, c, order_number, ship_day, promised, delivered_day, goods, qty, contact: Person, wrong_item: bool
    ) -> tuple[str, datetime | None]:
        rng = self.rng
        shipment_id = f"SH{self.next_id('shipment'):08d}"
        carrier, code = rng.choice(CARRIERS)
        tracking = f"{code}{rng.randrange(10**11, 10**12)}"
        shipped_at = datetime.combine(ship_day, time(rng.randint(9, 16), rng.randrange(60)))
        delivered_at = datetime.combine(delivered_day, time(rng.randint(9, 17), rng.randrange(60)))
        org = c.organization
        recipient = (
            contact.name_native
            if rng.random() < 0.8
            else rng.choice([contact.name_latin, f"{contact.family_latin} {contact.given_latin}"])
        )
        address = org.street if org else f"{rng.choice(people.STREETS_CN)}{rng.randint(1, 999)}号"
        base = dict(
            shipment_id=shipment_id,
            order_number=order_number,
            carrier=carrier,
            tracking_number=tracking,
            ship_date=ship_day.isoformat(),
            promised_delivery_date=promised.isoformat(),
            recipient_name=recipient,
            recipient_phone=people.phone_as_dialled(rng, contact.mobile),
            ship_to_address=address,
            ship_to_city=org.city if org else contact.city,
            ship_to_postal_code=org.postal_code if org else f"{rng.randint(100000, 799999)}",
        )
        self.drop(shipped_at, "shipments.csv", dict(base, status="in_transit", updated_at=offset_time(shipped_at)))
        if shipped_at <= self.end_dt:  # a shipment after the history's end was never written
            self.truth("logistics", "shipments", shipment_id, c, contact)
        for line_no, product in enumerate(goods, 1):
            sku = SIBLING_MODEL.get(product[0], product[0]) if wrong_item and line_no == 1 else product[0]
            desc = next(p[1] for p in PRODUCTS if p[0] == sku)
            serials = ";".join(f"{sku[:2]}{rng.randrange(10**9):09d}" for _ in range(min(qty[product[0]], 4)))
            self.drop(
                shipped_at,
                "packing_list.csv",
                dict(
                    shipment_id=shipment_id,
                    line_no=line_no,
                    sku=sku,
                    description=desc,
                    quantity=qty[product[0]],
                    serial_numbers=serials,
                ),
            )
        events = [
            (shipped_at, "PU", "Shipped from Suzhou warehouse"),
            (shipped_at + timedelta(hours=rng.randint(4, 20)), "IT", "In transit"),
            (delivered_at - timedelta(hours=rng.randint(3, 6)), "OD", "Out for delivery"),
        ]
        delivered = None
        if delivered_at <= self.end_dt:
            events.append((delivered_at, "DL", "Delivered"))
            delivered = delivered_at
            self.drop(
                delivered_at, "shipments.csv", dict(base, status="delivered", updated_at=offset_time(delivered_at))
            )
        for when, ev, remark in events:
            if when <= self.end_dt:
                self.drop(
                    when,
                    "tracking_events.csv",
                    dict(
                        tracking_number=tracking,
                        event_time=offset_time(when),
                        event_code=ev,
                        location=(org.city if org else contact.city) if ev in ("OD", "DL") else "苏州",
                        signed_by=contact.name_native if ev == "DL" else "",
                        remark=remark,
                    ),
                )
        return shipment_id, delivered

    def _installation(self, c: Customer, order_number: str, delivered: date, goods) -> bool:
        """Schedule and (usually) complete the installation; True when its promise broke."""
        rng = self.rng
        org = c.organization
        contact = rng.choice(org.people)
        promised_by = self.cal.add_working_days(delivered, INSTALLATION_PROMISE_WORKING_DAYS)
        overdue = rng.random() < 0.1
        if overdue:
            done_day = self.cal.add_working_days(promised_by, rng.randint(2, 25))
        else:
            done_day = self.cal.add_working_days(delivered, rng.randint(3, INSTALLATION_PROMISE_WORKING_DAYS))
        work_order_id = f"WO{self.next_id('work_order'):07d}"
        scheduled = self.cal.add_working_days(delivered, rng.randint(2, 10))
        site_name = (
            org.name_zh
            if org.name_zh and rng.random() < 0.6
            else org.name_en.replace("Co., Ltd.", rng.choice(people.EN_SUFFIX_VARIANTS))
        )
        created_at = datetime.combine(delivered, time(17, rng.randrange(60)))
        base = dict(
            work_order_id=work_order_id,
            order_number=order_number,
            site_name=site_name,
            site_address=f"{org.city}{org.street}" if org.name_zh else org.street,
            contact_name=contact.name_native if rng.random() < 0.7 else contact.name_latin,
            contact_phone=people.phone_as_dialled(rng, contact.mobile),
            scheduled_date=scheduled.isoformat(),
            promised_by_date=promised_by.isoformat(),
            technician=f"Tech-{rng.randint(1, 20):02d}",
            notes="",
        )
        if created_at > self.end_dt:  # the work order is opened at the end of the delivery day
            return False
        self.drop(
            created_at,
            "installations.csv",
            dict(
                base, completed_at="", status="scheduled", acceptance_signed_by="", updated_at=offset_time(created_at)
            ),
        )
        self.truth("logistics", "installations", work_order_id, c, contact)
        done_at = datetime.combine(done_day, time(rng.randint(10, 17), rng.randrange(60)))
        completed = done_at <= self.end_dt
        if completed:
            self.drop(
                done_at,
                "installations.csv",
                dict(
                    base,
                    completed_at=offset_time(done_at),
                    status="completed",
                    acceptance_signed_by=contact.name_native,
                    updated_at=offset_time(done_at),
                ),
            )
        if overdue:
            self._incident(
                "installation_overdue",
                org.organization_id,
                order_number,
                "logistics",
                work_order_id,
                datetime.combine(promised_by, time(23, 59)),
                done_at if completed else None,
            )
            if datetime.combine(promised_by, time(12)) < self.end_dt:
                self._complaint(
                    c,
                    contact,
                    order_number,
                    datetime.combine(self.cal.add_working_days(promised_by, 1), time(10)),
                    "Installation overdue",
                    "The installation promised within 15 working days has not happened.",
                    "installation",
                )
        return overdue and datetime.combine(promised_by, time(23, 59)) < self.end_dt

    def _incident(self, kind, customer_truth_id, order_number, system, record_id, due_at, resolved_at) -> None:
        if due_at > self.end_dt:
            return  # not broken (yet) when the history ends
        self.incidents.append(
            dict(
                kind=kind,
                true_customer_id=customer_truth_id,
                order_number=order_number,
                source_system=system,
                source_record_id=record_id,
                due_at=due_at.isoformat(),
                resolved_at=resolved_at.isoformat() if resolved_at and resolved_at <= self.end_dt else "",
            )
        )

    # ---------- service desk and call center ----------
    def _complaint(self, c, person: Person, order_number, when: datetime, subject, text, category) -> None:
        rng = self.rng
        if when > self.end_dt:
            return
        tags = ["complaint"]
        claim = rng.random() < 0.45
        if claim:
            tags.append("compensation_claim")
            text += " We claim compensation for the delay and the extra cost."
        ticket = self._ticket(c, person, when, subject, text, category, "high", tags, order_number)
        unanswered = claim and rng.random() < 0.35
        self._work_ticket(ticket, answer=not unanswered, bad_rating_likely=True)
        if claim:
            due = datetime.combine(self.cal.add_working_days(when.date(), COMPENSATION_ANSWER_WORKING_DAYS), time(18))
            if unanswered:
                self._incident(
                    "compensation_unanswered",
                    c.organization.organization_id if c.organization else c.person.person_id,
                    order_number,
                    "service",
                    f"ticket:{ticket.key}",
                    due,
                    None,
                )
        # The customer also calls about it, sometimes more than once.
        for i in range(rng.choice([0, 1, 1, 2, 3])):
            self._call(c, person, when + timedelta(hours=rng.randint(1, 72) * (i + 1)), "support")

    def _ticket(self, c, person, when, subject, text, category, priority, tags, order_number) -> Ticket:
        ticket = Ticket(
            key=self.next_id("ticket_key"),
            customer=c,
            requester=person,
            created=when,
            channel=self.rng.choice(["email", "web", "voice", "email", "chat", "api"]),
            subject=subject,
            description=text,
            category=category,
            priority=priority,
            tags=tags,
            order_number=order_number,
        )
        ticket.events.append((when, "create", {}))
        self.tickets.append(ticket)
        return ticket

    def _work_ticket(self, t: Ticket, answer: bool, bad_rating_likely: bool) -> None:
        rng = self.rng
        t.assignee = rng.randrange(len(AGENTS))
        now = t.created
        if not answer:
            t.events.append((now + timedelta(minutes=rng.randint(5, 90)), "status", {"value": "open"}))
            return
        reply = now + timedelta(hours=rng.uniform(0.3, 30))
        t.events.append((reply, "agent_comment", {}))
        t.events.append((reply, "status", {"value": "pending"}))
        solve = reply + timedelta(hours=rng.uniform(2, 96))
        if rng.random() < 0.15:  # reopened by the customer, solved again
            t.events.append((solve, "status", {"value": "solved"}))
            reopen = solve + timedelta(hours=rng.uniform(4, 48))
            t.events.append((reopen, "requester_comment", {}))
            t.events.append((reopen, "status", {"value": "open"}))
            solve = reopen + timedelta(hours=rng.uniform(2, 48))
            t.events.append((solve, "agent_comment", {}))
        t.events.append((solve, "status", {"value": "solved"}))
        t.events.append((solve + timedelta(days=4), "status", {"value": "closed"}))
        if rng.random() < 0.6:
            bad = rng.random() < (0.55 if bad_rating_likely else 0.1)
            rated = solve + timedelta(hours=rng.uniform(1, 40))
            t.rating = (
                "bad" if bad else "good",
                rng.choice(["Too slow.", "Nobody called me back.", "Problem not solved."])
                if bad
                else rng.choice(["Thanks!", "Quick and helpful.", ""]),
                rated,
            )
            if bad:
                c = t.customer
                who = c.organization.organization_id if c.organization else c.person.person_id
                due = datetime.combine(self.cal.add_working_days(rated.date(), 2), rated.time())
                # a follow-up only counts when it was logged in the CRM
                follow_at = rated + timedelta(hours=rng.uniform(2, 30))
                followed = rng.random() < 0.55 and self._sales_touch(
                    c,
                    follow_at,
                    subject="Follow-up on support rating",
                    kind="Call",
                    exact=True,  # after the rating, not some time that day
                )
                if followed:
                    self.follow_ups.setdefault(c.customer_id, []).append(follow_at)
                else:
                    self.unanswered_ratings.append((c.customer_id, who, t.order_number, t.key, rated, due))

    def _random_contacts(self, c: Customer, start: datetime, end: datetime) -> None:
        """Questions and calls between orders that have nothing to do with trouble."""
        rng = self.rng
        span = (end - start).total_seconds()
        if span <= 0:
            return
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            when = self.working_time((start + timedelta(seconds=rng.uniform(0, span))).date())
            person = rng.choice(c.contacts)
            if rng.random() < 0.5:
                t = self._ticket(
                    c,
                    person,
                    when,
                    "How to configure RAID levels",
                    "Please advise how to configure the array.",
                    "how_to",
                    rng.choice(["low", "normal"]),
                    ["question"],
                    None,
                )
                if when < self.end_dt - timedelta(days=3) or rng.random() < 0.5:
                    self._work_ticket(t, answer=True, bad_rating_likely=False)
            else:
                self._call(c, person, when, rng.choice(QUEUES))

    def _call(
        self, c: Customer | None, person: Person | None, when: datetime, queue: str, number: str | None = None
    ) -> None:
        rng = self.rng
        when = self.working_time(when.date()) if not (9 <= when.hour < 18) else when
        if when > self.end_dt:
            return
        if number is None:
            number = person.desk_phone if person.desk_phone and rng.random() < 0.3 else person.mobile
        wait = int(rng.expovariate(1 / 22)) + 2
        patience = rng.expovariate(1 / 160)
        abandoned = patience < wait
        talk = 0 if abandoned else int(rng.lognormvariate(5.4, 0.5))
        survey = None
        if not abandoned and rng.random() < 0.3:
            csat = max(1, min(5, round(rng.gauss(4.1, 1.0))))
            survey = (csat, 1 if csat >= 4 or rng.random() < 0.3 else 0)
        org = c.organization if c else None
        self.calls.append(
            Call(
                start=when,
                caller_number=people.caller_id(rng, number),
                queue=queue,
                wait_s=int(patience) if abandoned else wait,
                talk_s=talk,
                agent=None if abandoned else rng.choice(AGENTS),
                survey=survey,
                caller_name=person.name_latin if person else "",
                truth_person=person.person_id if person else None,
                truth_org=org.organization_id if org else None,
            )
        )

    def _unknown_callers(self) -> None:
        """Callers the company does not know: wrong numbers, new prospects."""
        for _ in range(max(5, self.n_customers // 10)):
            when = self.working_time(self.start + timedelta(days=self.rng.randrange(HISTORY_DAYS)))
            self._call(None, None, when, self.rng.choice(QUEUES), number=people.mobile_number(self.rng))


def rng_comment(rng: random.Random, promoter: bool, detractor: bool) -> str | None:
    if promoter:
        return rng.choice(["Reliable partner.", "Great support team.", None])
    if detractor:
        return rng.choice(
            ["Deliveries are always late.", "Nobody answers our claims.", "Installation took forever.", None]
        )
    return None


def simulate(n_customers: int, seed: int, end: datetime) -> History:
    return Simulation(n_customers, seed, end).run()


def simulate_in_batches(n_customers: int, seed: int, end: datetime, batch_size: int):
    """The History of each batch of `batch_size` customers in turn (see Simulation.batches)."""
    return Simulation(n_customers, seed, end).batches(batch_size)


__all__ = ["Call", "Customer", "History", "Organization", "Person", "sf_id", "simulate"]
