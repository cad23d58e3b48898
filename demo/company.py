"""The demo company's customers as they really are (the ground truth): organizations with
their people, and individuals who buy for themselves. Every source system later records
them imperfectly. Who they are (names, places, numbers) is the profile's (demo.profiles)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from demo.profiles import Profile


@dataclass
class Person:
    person_id: str
    family_native: str | None  # the name in the home script (characters); None where it is Latin
    given_native: str | None
    family_latin: str
    given_latin: str
    email: str | None
    mobile: str  # E.164
    desk_phone: str | None  # E.164; for staff of an organization often its switchboard
    title: str | None
    city: str
    country: str
    organization: Organization | None = None
    state: str | None = None  # state or province, where addresses carry one
    street: str | None = None  # an individual's own address, where the profile keeps one
    postal_code: str | None = None
    extension: str | None = None  # the person's extension on the desk phone
    nickname: str | None = None  # the short name they go by (Bob for Robert)
    known_as: str | None = None  # another given name, used in one system (`known_as_in`)
    known_as_in: str | None = None
    shares_mobile: bool = False  # the mobile is a team phone several colleagues give

    @property
    def name_native(self) -> str:
        """Name as written at home: characters, family name first; Latin elsewhere."""
        if self.family_native:
            return self.family_native + self.given_native
        return f"{self.given_latin} {self.family_latin}"

    @property
    def name_latin(self) -> str:
        return f"{self.given_latin} {self.family_latin}"


@dataclass
class Organization:
    organization_id: str
    name_native: str | None  # the name in the home script; None where it is Latin
    name_latin: str
    city: str
    city_latin: str
    country: str
    industry: str
    registration_number: str | None
    switchboard: str  # E.164
    domain: str
    street: str
    postal_code: str
    employees: int
    people: list[Person] = field(default_factory=list)
    state: str | None = None


@dataclass
class Customer:
    """A buying customer: an organization, or a person who buys for themself."""

    customer_id: str
    organization: Organization | None
    person: Person | None
    since_days_before_end: int  # when the customer relationship started
    order_interval_days: float  # the customer's own usual interval between orders
    is_loyal: bool  # loyal customers rarely leave, whatever happens
    is_prospect: bool  # in the CRM, never ordered

    @property
    def contacts(self) -> list[Person]:
        return self.organization.people if self.organization else [self.person]

    @property
    def display_name(self) -> str:
        if self.organization:
            return self.organization.name_native or self.organization.name_latin
        return self.person.name_native

    @property
    def truth_id(self) -> str:
        """The ground truth's id of the customer: its organization's, else its person's."""
        return self.organization.organization_id if self.organization else self.person.person_id


class CustomerFactory:
    """Customers a batch at a time, numbered and kept distinct (names, mailboxes) across all
    batches: organizations (the profile's share) and individuals; 8 % prospects. The profile
    makes each organization and person; the factory keeps the counters they share."""

    def __init__(self, rng: random.Random, profile: Profile):
        self.rng = rng
        self.profile = profile
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()
        self.customer_no = 0
        self.person_no = 0
        self.org_no = 0
        self.twins: list[tuple] = []  # names given once, that a second company may take too

    def build(self, n_customers: int) -> list[Customer]:
        return [self._next() for _ in range(n_customers)]

    def next_person_id(self) -> str:
        self.person_no += 1
        return f"P{self.person_no:06d}"

    def make_email_unique(self, person: Person) -> None:
        """Two people never share a mailbox: the second wei.zhang gets wei.zhang2."""
        if person.email is None:
            return
        local, domain = person.email.split("@")
        candidate, n = person.email, 1
        while candidate in self.used_emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        person.email = candidate
        self.used_emails.add(candidate)

    def _next(self) -> Customer:
        rng = self.rng
        self.customer_no += 1
        customer_id = f"C{self.customer_no:06d}"
        since = rng.choice([rng.randint(731, 2200), rng.randint(30, 730)])
        interval = rng.lognormvariate(4.3, 0.45)  # median ~75 days
        is_loyal = rng.random() < 0.35
        is_prospect = rng.random() < 0.08
        if rng.random() < self.profile.organization_share:
            org = self.profile.new_organization(self)
            return Customer(customer_id, org, None, since, interval, is_loyal, is_prospect)
        person = self.profile.new_individual(self)
        return Customer(customer_id, None, person, since, interval * 2.5, is_loyal, is_prospect)
