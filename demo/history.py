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
from datetime import date, datetime, time, timedelta

from demo.call_center_story import CallCenterStory
from demo.company import Customer, CustomerFactory, Organization, Person
from demo.localtime import LocalClock
from demo.logistics_story import LogisticsStory
from demo.profiles import DEFAULT_PROFILE, Profile, load_profile
from demo.sales_story import SalesStory
from demo.service_desk_records import ServiceDeskShaper  # shapes the JSON payloads
from demo.service_story import ServiceStory
from demo.story_parts import HISTORY_DAYS, Call, History, Ticket, WorkingCalendar, median_gap, sf_id


class Simulation(SalesStory, LogisticsStory, ServiceStory, CallCenterStory):
    def __init__(self, n_customers: int, seed: int, end: datetime, profile: Profile | None = None):
        """`end` is the moment the company is written at, in its local time: nothing happens
        after it (a record stamped later would be a record from the future)."""
        self.p = profile or load_profile(DEFAULT_PROFILE)
        self.clock = LocalClock(self.p.time_zone)
        self.rng = random.Random(seed)
        self.seed = seed
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
        # (created, Account Id, true customer id) of the batch's accounts, in the order written:
        # who may have referred a later lead
        self.accounts_created: list[tuple[datetime, str, str]] = []

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

    def _log_contact(self, c: Customer, when: datetime) -> None:
        self.contact_log.setdefault(c.customer_id, []).append(when)

    def _customer(self, c: Customer) -> None:
        rng = self.rng
        since = self.end - timedelta(days=c.since_days_before_end)
        created = self.working_time(since)
        org = c.organization
        owner = self.sales_rep()
        profile = self.p
        account = self._account(c, created, owner)
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
                self._note_win_back(c, ordered)
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
        self._call_a_customer_who_left(c, owner, churned_at)
        self.truth_customers.append(self._truth_customer(c, churned_at, n_orders))

    def _account(self, c: Customer, created: datetime, owner: str) -> dict:
        """The customer's CRM account: its company's, or a person buying for themself."""
        rng, profile, org = self.rng, self.p, c.organization
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
        self.accounts_created.append((created, account["Id"], c.truth_id))
        self.truth("sales", "Account", account["Id"], c, None if org else c.person)
        return account

    def _note_win_back(self, c: Customer, ordered: list[datetime]) -> None:
        """The truth of a win-back: when the customer lapsed and came back, at what usual pace."""
        order_time = ordered[-1]
        self.more_truth["win_backs"].append(
            dict(
                true_customer_id=c.truth_id,
                lapsed_after=ordered[-2].isoformat(),
                returned_at=order_time.isoformat(),
                usual_interval_days=round(median_gap(ordered[:-1]), 1),
                orders_before=len(ordered) - 1,
            )
        )

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
        return len(ordered) >= 4 and (comes_back - ordered[-1]).days > 3.5 * median_gap(ordered)

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


def simulate(n_customers: int, seed: int, end: datetime, profile: Profile | None = None) -> History:
    return Simulation(n_customers, seed, end, profile).run()


def simulate_in_batches(n_customers: int, seed: int, end: datetime, batch_size: int, profile: Profile | None = None):
    """The History of each batch of `batch_size` customers in turn (see Simulation.batches)."""
    return Simulation(n_customers, seed, end, profile).batches(batch_size)


__all__ = ["Call", "Customer", "History", "Organization", "Person", "sf_id", "simulate"]
