"""Two years in the life of the demo company: orders, shipments, installations, tickets,
calls and surveys, with the trouble real companies have planted in them.

Everything is simulated in the company's local wall-clock time (the profile's time zone;
`demo.localtime` converts, daylight saving time included) and collected as rows in each
source system's own shape; `demo.writers` serialises them. The profile (`demo.profiles`)
says who the company and its customers are and how its systems write them. The truth (who
is who, what went wrong) is collected beside and never loaded.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from demo.company import Customer, CustomerFactory, Organization, Person
from demo.localtime import LocalClock
from demo.profiles import DEFAULT_PROFILE, Profile, load_profile, typo
from demo.service_desk_records import ServiceDeskShaper  # shapes the JSON payloads
from demo.system_ids import AGENTS

HISTORY_DAYS = 730
INSTALLATION_PROMISE_WORKING_DAYS = 15
COMPENSATION_ANSWER_WORKING_DAYS = 3
RATING_FOLLOW_UP_WORKING_DAYS = 2
QUEUES = ["support", "sales", "logistics"]
# Salesforce's default open stages: (StageName, Probability, ForecastCategoryName)
OPEN_STAGES = [
    ("Prospecting", 10, "Pipeline"),
    ("Qualification", 10, "Pipeline"),
    ("Needs Analysis", 20, "Pipeline"),
    ("Value Proposition", 50, "Pipeline"),
    ("Id. Decision Makers", 60, "Pipeline"),
    ("Perception Analysis", 70, "Pipeline"),
    ("Proposal/Price Quote", 75, "Best Case"),
    ("Negotiation/Review", 90, "Commit"),
]
CONTACT_ROLES = ["Decision Maker", "Economic Buyer", "Influencer", "Technical Buyer", "Evaluator", "User"]


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


class WorkingCalendar:
    """The company's own working calendar: weekends and the public holidays of its country
    (and state or province) off, and the weekends a country declares working days to bridge a
    holiday on (China's 调休)."""

    def __init__(self, years: range, country: str = "CN", subdivision: str | None = None):
        self.holidays = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
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
    profile: Profile | None = None
    clock: LocalClock | None = None
    more_truth: dict[str, list[dict]] = field(default_factory=dict)  # the profile's further truth files


class Simulation:
    def __init__(self, n_customers: int, seed: int, end: datetime, profile: Profile | None = None):
        """`end` is the moment the company is written at, in its local time: nothing happens
        after it (a record stamped later would be a record from the future)."""
        self.p = profile or load_profile(DEFAULT_PROFILE)
        self.clock = LocalClock(self.p.time_zone)
        self.rng = random.Random(seed)
        self.end = end.date()
        self.start = self.end - timedelta(days=HISTORY_DAYS)
        self.end_dt = end.replace(microsecond=0)
        self.cal = WorkingCalendar(
            range(self.start.year - 6, end.year + 2), self.p.calendar_country, self.p.calendar_subdivision
        )
        self.n_customers = n_customers
        self.factory = CustomerFactory(self.rng, self.p)
        self.open_opportunities = 0  # numbered across batches: the k-th open one is in stage k mod 8
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
        # every contact of the company with each customer: a CRM activity, an agent's public
        # reply on one of its tickets, an answered call (what answers a rating, for a profile
        # whose follow-up is any contact)
        self.contact_log: dict[str, list[datetime]] = {}
        self.more_truth: dict[str, list[dict]] = defaultdict(list)
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

    def working_time(self, d: date, start_hour: int | None = None, end_hour: int | None = None) -> datetime:
        """A moment of the company's working hours on `d`, or on the next working day."""
        start_hour = self.p.working_hours[0] if start_hour is None else start_hour
        end_hour = self.p.working_hours[1] if end_hour is None else end_hour
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
            self._settle_ratings()
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
                self.p,
                self.clock,
                dict(self.more_truth),
            )
            self._new_batch()

    def _settle_ratings(self) -> None:
        """The bad ratings of the batch that nothing answered within the window: planted
        incidents. Any contact of the company with the customer answers them (a follow-up task,
        a public reply on a ticket, an answered call, a sales activity), whatever its words; the
        first one after the window is when the promise was kept late."""
        for customer_id, who, order_number, key, rated, due in self.unanswered_ratings:
            answers = self.contact_log.get(customer_id, [])
            if not any(rated < when <= due for when in answers):
                late = min((when for when in answers if when > due), default=None)
                self._incident("bad_rating_no_follow_up", who, order_number, "service", f"rating:{key}", due, late)

    def _log_contact(self, c: Customer, when: datetime) -> None:
        self.contact_log.setdefault(c.customer_id, []).append(when)

    def _users_and_products(self) -> None:
        created = datetime.combine(self.start - timedelta(days=900), time(9))
        for i in range(14):
            name, email = self.p.staff_user(self.rng, i)
            dept = "Sales" if i < 10 else ("Service" if i < 12 else "Logistics")
            self.crm["User"].append(self._sf_row("005", created, Name=name, Email=email, Department=dept, IsActive=1))
        for code, name, family, _price, _install in self.p.products:
            self.crm["Product2"].append(
                self._sf_row("01t", created, Name=name, ProductCode=code, Family=family, IsActive=1)
            )
        self.rep_ids = [user["Id"] for user in self.crm["User"] if user["Department"] == "Sales"]
        self.product_ids = {product["ProductCode"]: product["Id"] for product in self.crm["Product2"]}

    def _sf_row(self, prefix: str, created: datetime, modified: datetime | None = None, **cols) -> dict:
        modified = modified or created
        return {
            "Id": self.sf(prefix),
            "CreatedDate": self.clock.sf(created),
            "LastModifiedDate": self.clock.sf(modified),
            "SystemModstamp": self.clock.sf(modified),
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
        profile = self.p
        if org:
            name = profile.account_name(rng, org)
            account = self._sf_row(
                "001",
                created,
                Name=name,
                Type="Prospect" if c.is_prospect else "Customer",
                Industry=org.industry,
                Phone=profile.phone_as_dialled(rng, org.switchboard),
                Website=f"www.{org.domain}",
                BillingStreet=org.street,
                BillingCity=org.city,
                BillingState=org.state,
                BillingPostalCode=org.postal_code,
                BillingCountry=org.country,
                NumberOfEmployees=org.employees,
                AnnualRevenue=org.employees * 350000.0,
                OwnerId=owner,
                Registration_Number__c=org.registration_number or "",
            )
        else:
            person = c.person
            account = self._sf_row(
                "001",
                created,
                Name=profile.person_account_name(rng, person),
                Type="Prospect" if c.is_prospect else "Customer",
                Industry=None,
                Phone=profile.phone_as_dialled(rng, person.mobile),
                Website=None,
                BillingStreet=profile.street(rng, person),
                BillingCity=person.city,
                BillingState=person.state,
                BillingPostalCode=profile.postal_code(rng, person),
                BillingCountry=person.country,
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
        if profile.person_truth:
            self._truth_people(c)
        mood = 0.85 if c.is_loyal else 0.7
        churned_at: datetime | None = None
        if c.is_prospect:
            if profile.open_pipeline:
                self._open_opportunity(c, account["Id"], owner, prospect=True, gone=False)
            self.truth_customers.append(self._truth_customer(c, None, 0))
            return
        # Orders: a renewal process at the customer's own usual interval.
        t = max(created, datetime.combine(self.start, time(9))) + timedelta(days=rng.uniform(0, c.order_interval_days))
        n_orders = 0
        # The simulated history covers the last two years; older accounts start quiet.
        history_start = max(created, datetime.combine(self.start, time(9)))
        next_touch = history_start + timedelta(days=rng.uniform(10, 40))
        next_survey = history_start + timedelta(days=rng.uniform(30, 180))
        # a planned win-back: (goes quiet from, comes back at); the orders placed so far
        win_back = self._plan_win_back(c) if profile.win_back_share else None
        returning = False
        ordered: list[datetime] = []
        while t < self.end_dt:
            if win_back and t >= win_back[0]:
                returning = self._goes_quiet(ordered, win_back[1])
                t = win_back[1] if returning else t
                win_back = None
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
            ordered.append(order_time)
            for _kind in trouble:
                mood -= 0.15
            mood = min(0.95, mood + 0.03)
            self._random_contacts(c, order_time, min(order_time + timedelta(days=c.order_interval_days), self.end_dt))
            if returning:  # back after the gap: its latest order, as the history ends
                self.more_truth["win_backs"].append(
                    dict(
                        true_customer_id=c.truth_id,
                        lapsed_after=ordered[-2].isoformat(),
                        returned_at=order_time.isoformat(),
                        usual_interval_days=round(_median_gap(ordered[:-1]), 1),
                        orders_before=len(ordered) - 1,
                    )
                )
                break
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
        if profile.open_pipeline:
            gone = churned_at is not None and churned_at <= self.end_dt
            self._open_opportunity(c, account["Id"], owner, prospect=False, gone=gone)
        self.truth_customers.append(self._truth_customer(c, churned_at, n_orders))

    def _plan_win_back(self, c: Customer) -> tuple[datetime, datetime] | None:
        """For a share of the regular customers (ordering every 70 days or less, since before
        the history), a win-back: they go quiet for 4.2-5 times their usual interval, then
        order again shortly before the history ends (so that it is their latest order)."""
        interval = c.order_interval_days
        if interval > 70 or c.since_days_before_end <= HISTORY_DAYS or self.rng.random() >= self.p.win_back_share:
            return None
        comes_back = self.end_dt - timedelta(days=self.rng.uniform(0.15, 0.8) * interval)
        return comes_back - timedelta(days=self.rng.uniform(4.2, 5.0) * interval), comes_back

    @staticmethod
    def _goes_quiet(ordered: list[datetime], comes_back: datetime) -> bool:
        """Whether the customer now lapses until `comes_back`: only after four orders, and when
        the gap is over 3.5 times its usual interval (the median of its gaps so far)."""
        return len(ordered) >= 4 and (comes_back - ordered[-1]).days > 3.5 * _median_gap(ordered)

    def _truth_people(self, c: Customer) -> None:
        for person in c.contacts:
            self.more_truth["people"].append(
                dict(
                    true_person_id=person.person_id,
                    true_customer_id=c.truth_id,
                    given_name=person.given_latin,
                    family_name=person.family_latin,
                    nickname=person.nickname or "",
                    known_as=person.known_as or "",
                    known_as_in=person.known_as_in or "",
                    email=person.email or "",
                    mobile=person.mobile,
                    shares_mobile=int(person.shares_mobile),
                    desk_phone=person.desk_phone or "",
                    extension=person.extension or "",
                )
            )

    def _open_opportunity(self, c: Customer, account_id: str, owner: str, prospect: bool, gone: bool) -> None:
        """An open deal: most prospects and about half the active customers have one, a few
        customers who left still have one nobody closed. The k-th is in stage k of the eight
        (every stage occurs); some are stale (no activity for three weeks or more, and half of
        those past their close date). Contact roles name who is involved."""
        rng = self.rng
        if rng.random() >= (0.7 if prospect else 0.1 if gone else 0.45):
            return
        stage, probability, forecast = OPEN_STAGES[self.open_opportunities % len(OPEN_STAGES)]
        self.open_opportunities += 1
        stale = gone or rng.random() < 0.3
        age = rng.uniform(45, 240) if stale else rng.uniform(5, 120)
        created = self.working_time((self.end_dt - timedelta(days=age)).date())
        if stale:
            last_activity = self.end_dt - timedelta(days=rng.uniform(21, max(22.0, age - 5)))
            close = self.end - timedelta(days=rng.randint(1, 45)) if rng.random() < 0.5 else None
        else:
            last_activity = self.end_dt - timedelta(days=rng.uniform(0.2, min(age, 14.0)))
            close = None
        close = close or self.end + timedelta(days=rng.randint(7, 120))
        created = min(created, last_activity - timedelta(hours=1))
        products = self.p.products
        lines = rng.sample(products[:-1], rng.choice([1, 2]))
        amount = float(sum(line[3] * rng.choice([1, 2, 4]) for line in lines))
        opp = self._sf_row(
            "006",
            created,
            last_activity,
            AccountId=account_id,
            Name=f"{c.display_name} - {lines[0][2]} {created:%Y-%m}",
            StageName=stage,
            Amount=amount,
            Probability=probability,
            CloseDate=close.isoformat(),
            IsClosed=0,
            IsWon=0,
            LeadSource=rng.choice(["Web", "Trade Show", "Customer Referral", "Partner Referral", None]),
            Type="New Business" if prospect else "Existing Business",
            ForecastCategoryName=forecast,
            OwnerId=owner,
        )
        self.crm["Opportunity"].append(opp)
        in_crm = [person for person in c.contacts if person.person_id in self.contact_ids]
        involved = rng.sample(in_crm, min(len(in_crm), rng.choice([1, 2, 3])))
        for n, person in enumerate(involved):
            self.crm["OpportunityContactRole"].append(
                self._sf_row(
                    "00K",
                    created,
                    OpportunityId=opp["Id"],
                    ContactId=self.contact_ids[person.person_id],
                    Role="Decision Maker" if n == 0 else rng.choice(CONTACT_ROLES[1:]),
                    IsPrimary=int(n == 0),
                )
            )
        span = (last_activity - created).total_seconds()
        moments = sorted(created + timedelta(seconds=rng.uniform(0, span)) for _ in range(rng.randint(0, 2)))
        for when in [*moments, last_activity]:
            who = self.contact_ids[rng.choice(involved).person_id] if involved else None
            self.crm["Task"].append(
                self._sf_row(
                    "00T",
                    when,
                    WhoId=who,
                    WhatId=opp["Id"],
                    AccountId=account_id,
                    Subject=self.p.open_opportunity_task(rng),
                    Type=rng.choice(["Call", "Email", "Meeting"]),
                    Status="Completed",
                    ActivityDate=when.date().isoformat(),
                    Description=None,
                    OwnerId=owner,
                )
            )
            self._log_contact(c, when)
        self.more_truth["opportunities"].append(
            dict(
                opportunity_id=opp["Id"],
                true_customer_id=c.truth_id,
                stage=stage,
                is_stale=int(stale),
                is_past_close_date=int(close < self.end),
                created_at=created.isoformat(),
                last_activity_at=last_activity.isoformat(),
                close_date=close.isoformat(),
            )
        )

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
        first, last = self.p.contact_name(rng, p)
        row = self._sf_row(
            "003",
            created + timedelta(minutes=rng.randint(1, 600)),
            AccountId=account_id,
            FirstName=first,
            LastName=last,
            **self.p.contact_details(rng, p),
        )
        self.crm["Contact"].append(row)
        self.contact_ids[p.person_id] = row["Id"]
        self.truth("sales", "Contact", row["Id"], c, p)
        if rng.random() < 0.03:  # the same person entered twice, with a slip
            dup = dict(
                row,
                Id=self.sf("003"),
                LastName=typo(rng, p.family_latin),
                FirstName=p.given_latin,
                Email=typo(rng, p.email) if row["Email"] else None,
            )
            self.crm["Contact"].append(dup)
            self.truth("sales", "Contact", dup["Id"], c, p)
        if rng.random() < 0.4:  # came in as a lead and was converted
            lead_created = created - timedelta(days=rng.randint(5, 60))
            org = c.organization
            first, last = self.p.lead_name(rng, p)
            lead = self._sf_row(
                "00Q",
                lead_created,
                created,
                FirstName=first,
                LastName=last,
                Company=(org.name_latin if org else None),
                Email=p.email,
                Phone=self.p.phone_as_dialled(rng, p.mobile),
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
            person = self.p.unconverted_lead_person(rng, i + 1)
            created = self.working_time(self.start + timedelta(days=rng.randrange(HISTORY_DAYS)))
            lead = self._sf_row(
                "00Q",
                created,
                **self.p.unconverted_lead_fields(rng, person),
                Email=person.email,
                Phone=self.p.phone_as_dialled(rng, person.mobile),
                LeadSource=rng.choice(["Web", "Trade Show", "Phone Inquiry"]),
                Status=rng.choice(["Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"]),
                IsConverted=0,
                ConvertedAccountId=None,
                ConvertedContactId=None,
                ConvertedDate=None,
            )
            if created > self.end_dt:
                continue  # the working day after the last one is still to come (its Id stays unused)
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
                Subject=subject or self.p.task_subjects[kind],
                Type=kind,
                Status="Completed",
                ActivityDate=when.date().isoformat(),
                Description=None,
                OwnerId=self.sales_rep(),
            )
        )
        self._log_contact(c, when)
        return True

    def _nps(self, c: Customer, when: datetime, mood: float) -> None:
        """An NPS answer in the CRM's survey object, where the company keeps one."""
        if not self.p.crm_surveys:
            return
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
                Responded_At__c=self.clock.sf(when),
            )
        )

    # ---------- an order and everything that follows from it ----------
    def _order(self, c: Customer, account_id: str, owner: str, when: datetime) -> list[str]:
        rng = self.rng
        products = self.p.products
        lines = rng.sample(products[:-1], rng.choice([1, 1, 2, 2, 3]))
        if rng.random() < 0.3:
            lines.append(products[-1])
        bulk = self.p.bulk_families
        qty = {p[0]: (rng.choice([1, 1, 2, 4]) if p[2] not in bulk else rng.choice([2, 4, 8, 12])) for p in lines}
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
        goods = [p for p in lines if p[2] != self.p.service_family]
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
                self.p.words["wrong_item_subject"],
                self.p.words["wrong_item_text"].format(product=goods[0][1]),
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
                self.p.words["late_subject"],
                self.p.words["late_text"],
                "delivery",
            )
        return trouble

    def _shipment(
        self, c, order_number, ship_day, promised, delivered_day, goods, qty, contact: Person, wrong_item: bool
    ) -> tuple[str, datetime | None]:
        rng = self.rng
        shipment_id = f"SH{self.next_id('shipment'):08d}"
        profile = self.p
        carrier, code = rng.choice(profile.carriers)
        tracking = profile.tracking_number(rng, code)
        shipped_at = datetime.combine(ship_day, time(rng.randint(9, 16), rng.randrange(60)))
        delivered_at = datetime.combine(delivered_day, time(rng.randint(9, 17), rng.randrange(60)))
        org = c.organization
        recipient = profile.recipient_name(rng, contact)
        address = org.street if org else profile.street(rng, contact)
        base = dict(
            shipment_id=shipment_id,
            order_number=order_number,
            carrier=carrier,
            tracking_number=tracking,
            ship_date=ship_day.isoformat(),
            promised_delivery_date=promised.isoformat(),
            recipient_name=recipient,
            recipient_phone=profile.contact_phone(rng, contact),
            ship_to_address=address,
            ship_to_city=org.city if org else contact.city,
            ship_to_postal_code=org.postal_code if org else profile.postal_code(rng, contact),
        )
        stamp = self.clock.with_offset
        self.drop(shipped_at, "shipments.csv", dict(base, status="in_transit", updated_at=stamp(shipped_at)))
        if shipped_at <= self.end_dt:  # a shipment after the history's end was never written
            self.truth("logistics", "shipments", shipment_id, c, contact)
        for line_no, product in enumerate(goods, 1):
            sku = profile.sibling_model.get(product[0], product[0]) if wrong_item and line_no == 1 else product[0]
            desc = next(p[1] for p in profile.products if p[0] == sku)
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
            (shipped_at, "PU", profile.words["picked_up"]),
            (shipped_at + timedelta(hours=rng.randint(4, 20)), "IT", profile.words["in_transit"]),
            (delivered_at - timedelta(hours=rng.randint(3, 6)), "OD", profile.words["out_for_delivery"]),
        ]
        delivered = None
        if delivered_at <= self.end_dt:
            events.append((delivered_at, "DL", profile.words["delivered"]))
            delivered = delivered_at
            self.drop(delivered_at, "shipments.csv", dict(base, status="delivered", updated_at=stamp(delivered_at)))
        for when, ev, remark in events:
            if when <= self.end_dt:
                self.drop(
                    when,
                    "tracking_events.csv",
                    dict(
                        tracking_number=tracking,
                        event_time=stamp(when),
                        event_code=ev,
                        location=(org.city if org else contact.city)
                        if ev in ("OD", "DL")
                        else profile.warehouse_location,
                        signed_by=profile.signed_by(rng, contact) if ev == "DL" else "",
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
        profile = self.p
        site_name = profile.site_name(rng, org)
        created_at = datetime.combine(delivered, time(17, rng.randrange(60)))
        base = dict(
            work_order_id=work_order_id,
            order_number=order_number,
            site_name=site_name,
            site_address=profile.site_address(org),
            contact_name=profile.site_contact_name(rng, contact),
            contact_phone=profile.contact_phone(rng, contact),
            scheduled_date=scheduled.isoformat(),
            promised_by_date=promised_by.isoformat(),
            technician=profile.technician(rng),
            notes="",
        )
        if created_at > self.end_dt:  # the work order is opened at the end of the delivery day
            return False
        self.drop(
            created_at,
            "installations.csv",
            dict(
                base,
                completed_at="",
                status="scheduled",
                acceptance_signed_by="",
                updated_at=self.clock.with_offset(created_at),
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
                    completed_at=self.clock.with_offset(done_at),
                    status="completed",
                    acceptance_signed_by=profile.acceptance_name(rng, contact),
                    updated_at=self.clock.with_offset(done_at),
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
                    profile.words["installation_subject"],
                    profile.words["installation_text"],
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
            text += self.p.words["claim_text"]
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
        self._agent_replied(t, reply)
        t.events.append((reply, "status", {"value": "pending"}))
        solve = reply + timedelta(hours=rng.uniform(2, 96))
        if rng.random() < 0.15:  # reopened by the customer, solved again
            t.events.append((solve, "status", {"value": "solved"}))
            reopen = solve + timedelta(hours=rng.uniform(4, 48))
            t.events.append((reopen, "requester_comment", {}))
            t.events.append((reopen, "status", {"value": "open"}))
            solve = reopen + timedelta(hours=rng.uniform(2, 48))
            t.events.append((solve, "agent_comment", {}))
            self._agent_replied(t, solve)
        t.events.append((solve, "status", {"value": "solved"}))
        t.events.append((solve + timedelta(days=4), "status", {"value": "closed"}))
        if rng.random() < 0.6:
            bad = rng.random() < (0.55 if bad_rating_likely else 0.1)
            rated = solve + timedelta(hours=rng.uniform(1, 40))
            t.rating = ("bad" if bad else "good", self.p.rating_comment(rng, bad), rated)
            if bad:
                c = t.customer
                who = c.truth_id
                due = datetime.combine(
                    self.cal.add_working_days(rated.date(), RATING_FOLLOW_UP_WORKING_DAYS), rated.time()
                )
                follow_at = rated + timedelta(hours=rng.uniform(2, 30))
                # a follow-up is logged as a contact (_follow_up); one not followed up may still be
                # answered by another contact in its window (_settle_ratings decides)
                followed = rng.random() < self.p.follow_up_rate and self._follow_up(t, follow_at, due)
                if not followed:
                    self.unanswered_ratings.append((c.customer_id, who, t.order_number, t.key, rated, due))

    def _agent_replied(self, t: Ticket, when: datetime) -> None:
        if when <= self.end_dt:
            self._log_contact(t.customer, when)

    def _follow_up(self, t: Ticket, when: datetime, due: datetime) -> bool:
        """Follow a bad rating up, one of the profile's ways, at `when` (after the rating):
        a CRM Task in the company's words (the cn company logs every follow-up so, as a call),
        a public reply on the rated ticket, or an answered call from the customer (SOURCES.md's
        PBX records no outbound calls: the customer rings back and is handled). False when it
        could not happen in time (no contact in the CRM, the history ends first)."""
        rng = self.rng
        ways = self.p.follow_up_ways
        way = ways[0] if len(ways) == 1 else rng.choice(ways)
        if way == "task":  # exact: after the rating, not some time that day
            subject = self.p.follow_up_subject(rng)
            return self._sales_touch(t.customer, when, subject=subject, kind="Call", exact=True)
        if way == "reply":
            if when > self.end_dt:
                return False
            t.events.append((when, "agent_comment", {"body": self.p.follow_up_reply(rng, t.requester)}))
            self._agent_replied(t, when)
            return True
        at = self._at_work(when)
        return at <= due and self._call(t.customer, t.requester, at, "support", answered=True)

    def _at_work(self, when: datetime) -> datetime:
        """`when` if it falls in working hours on a working day, else early on the next working day."""
        start, end = self.p.working_hours
        if self.cal.is_working_day(when.date()) and start <= when.hour < end:
            return when
        day = when.date() if when.hour < start else when.date() + timedelta(days=1)
        return self.working_time(day, start, start + 2)

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
                subject, text = self.p.question(rng)
                t = self._ticket(
                    c,
                    person,
                    when,
                    subject,
                    text,
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
        self,
        c: Customer | None,
        person: Person | None,
        when: datetime,
        queue: str,
        number: str | None = None,
        answered: bool = False,
    ) -> bool:
        """A call to the hotline (`answered`: an agent takes it, however long it waited);
        False when it happens after the history ends."""
        rng = self.rng
        start_hour, end_hour = self.p.working_hours
        when = self.working_time(when.date()) if not (start_hour <= when.hour < end_hour) else when
        if when > self.end_dt:
            return False
        if number is None:
            number = person.desk_phone if person.desk_phone and rng.random() < 0.3 else person.mobile
        wait = int(rng.expovariate(1 / 22)) + 2
        patience = rng.expovariate(1 / 160)
        abandoned = patience < wait and not answered
        talk = 0 if abandoned else int(rng.lognormvariate(5.4, 0.5))
        survey = None
        if not abandoned and rng.random() < 0.3:
            csat = max(1, min(5, round(rng.gauss(4.1, 1.0))))
            survey = (csat, 1 if csat >= 4 or rng.random() < 0.3 else 0)
        org = c.organization if c else None
        caller_number = self.p.caller_id(rng, number)
        agent = None if abandoned else rng.choice(AGENTS)
        name, names_caller = self.p.clid_name(rng, person, org, number, caller_number)
        # on a line several people share (the switchboard, a team mobile) a call whose caller-ID
        # names nobody is the organization's: no record says which of its people it was
        shared_line = org is not None and (
            number == org.switchboard or (person.shares_mobile and number == person.mobile)
        )
        known = person is not None and (names_caller or not shared_line)
        self.calls.append(
            Call(
                start=when,
                caller_number=caller_number,
                queue=queue,
                wait_s=int(patience) if abandoned else wait,
                talk_s=talk,
                agent=agent,
                survey=survey,
                caller_name=name,
                truth_person=person.person_id if known else None,
                truth_org=org.organization_id if org else None,
            )
        )
        if c is not None and agent is not None and when + timedelta(seconds=wait + talk) <= self.end_dt:
            self._log_contact(c, when)  # an answered call is a contact (its CDR is written at hang-up)
        return True

    def _unknown_callers(self) -> None:
        """Callers the company does not know: wrong numbers, new prospects."""
        for _ in range(max(5, self.n_customers // 10)):
            when = self.working_time(self.start + timedelta(days=self.rng.randrange(HISTORY_DAYS)))
            self._call(None, None, when, self.rng.choice(QUEUES), number=self.p.unknown_caller_number(self.rng))


def rng_comment(rng: random.Random, promoter: bool, detractor: bool) -> str | None:
    if promoter:
        return rng.choice(["Reliable partner.", "Great support team.", None])
    if detractor:
        return rng.choice(
            ["Deliveries are always late.", "Nobody answers our claims.", "Installation took forever.", None]
        )
    return None


def _median_gap(moments: list[datetime]) -> float:
    """The median of the days between consecutive moments."""
    gaps = sorted((b - a).total_seconds() / 86400 for a, b in zip(moments, moments[1:], strict=False))
    middle = len(gaps) // 2
    return gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2


def simulate(n_customers: int, seed: int, end: datetime, profile: Profile | None = None) -> History:
    return Simulation(n_customers, seed, end, profile).run()


def simulate_in_batches(n_customers: int, seed: int, end: datetime, batch_size: int, profile: Profile | None = None):
    """The History of each batch of `batch_size` customers in turn (see Simulation.batches)."""
    return Simulation(n_customers, seed, end, profile).batches(batch_size)


__all__ = ["Call", "Customer", "History", "Organization", "Person", "sf_id", "simulate"]
