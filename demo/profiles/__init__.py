"""The demo companies. One simulation (`demo.history`) tells every company's story; a profile
holds what makes a company itself: its country, time zone and working calendar, its products
and carriers, its customers' names, places and phone numbers, its own words, and the habits
of its systems (how each one writes a name or a number, which CRM objects it keeps, how a
bad rating is followed up).

`cn` (the default) is a network-equipment supplier in Shanghai; `us` an industrial
distributor in Chicago. A profile is made afresh for each company (`load_profile`): it may
keep state, such as the phone numbers it has handed out.

A hook receives the simulation's random generator and draws from it in a fixed order, so the
same seed gives the same bytes. A behaviour a profile switches off draws nothing, so a
profile stays byte-identical when another gains a feature.
"""

from __future__ import annotations

import importlib
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from demo.company import CustomerFactory, Organization, Person

PROFILE_NAMES = ("cn", "us")
DEFAULT_PROFILE = "cn"

# The Salesforce objects of SOURCES.md the demo can write, in the CRM's table order
ALL_CRM_TABLES = (
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
    "Survey_Response__c",
)


def load_profile(name: str) -> Profile:
    """A fresh profile of the company `name` (one of PROFILE_NAMES)."""
    if name not in PROFILE_NAMES:
        raise ValueError(f"demo: no profile {name!r}; choose one of {', '.join(PROFILE_NAMES)}")
    return importlib.import_module(f"demo.profiles.{name}").PROFILE()


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a swapped pair, a dropped or a doubled letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


class Profile:
    """What one demo company is. Subclasses set the attributes and implement the hooks."""

    key: str
    # ---------- the company and its configuration ----------
    company_name: str
    company_domain: str  # staff e-mail addresses
    time_zone: str
    calendar_country: str
    calendar_subdivision: str | None = None  # a state or province with holidays of its own
    phone_region: str
    working_hours: tuple[int, int] = (9, 18)  # the company's day, local hours [start, end)
    logistics_encoding: str
    pbx_encoding = "utf-8"
    crm_tables: tuple[str, ...] = ALL_CRM_TABLES  # the CRM objects it keeps (and the config names)
    hotline: str  # the number customers dial, as the PBX's `dst`
    desk_time_zone: str  # the service desk's name for the zone (Zendesk's list)
    desk_locale: str
    # ---------- what it sells and how it ships ----------
    # (ProductCode, Name, Family, UnitPrice, needs installation); the last one is the service plan
    products: list[tuple[str, str, str, int, bool]]
    service_family: str = "Services"
    bulk_families: frozenset[str] = frozenset()  # ordered by the dozen, not one by one
    sibling_model: dict[str, str]  # the look-alike a picker takes by mistake
    carriers: list[tuple[str, str]]  # (carrier, code)
    warehouse_location: str  # where shipments are picked up (tracking event location)
    # ---------- its customers ----------
    organization_share = 0.85  # the rest are individuals buying for themselves
    # ---------- its words ----------
    task_subjects: dict[str, str]  # CRM Task subject of a routine touch, by Type
    words: dict[str, str]  # complaint subjects and texts, tracking remarks
    # ---------- habits: a feature switched off draws no random number ----------
    open_pipeline = False  # open opportunities in every stage, some stale
    win_back_share = 0.0  # share of the regular customers that lapse and come back
    # share of the customers who left within the last year whom their account owner calls on the last day
    calls_to_customers_who_left = 0.3
    # the CRM's optional custom fields the company has (SOURCES.md): {object: (field, ...)}
    crm_custom_fields: dict[str, tuple[str, ...]] = {}
    # share of converted leads a customer referred (needs Lead.Referred_By__c)
    referral_share = 0.0
    follow_up_rate = 0.55  # share of bad ratings followed up
    follow_up_ways: tuple[str, ...] = ("task",)  # task (CRM activity), reply (on the ticket), call
    person_truth = False  # ground_truth/people.csv: every person's true names and numbers

    @property
    def crm_surveys(self) -> bool:
        return "Survey_Response__c" in self.crm_tables

    def config(self) -> dict:
        """The `company` section of the config this company writes."""
        company = {"name": self.company_name, "time_zone": self.time_zone, "calendar_country": self.calendar_country}
        if self.calendar_subdivision:
            company["calendar_subdivision"] = self.calendar_subdivision
        start, end = self.working_hours
        company["working_hours"] = {"start": f"{start:02d}:00", "end": f"{end:02d}:00"}
        company["phone_region"] = self.phone_region
        return company

    # ---------- hooks: customers (demo.company.CustomerFactory) ----------
    def new_organization(self, factory: CustomerFactory) -> Organization:
        raise NotImplementedError

    def new_individual(self, factory: CustomerFactory) -> Person:
        raise NotImplementedError

    def unconverted_lead_person(self, rng: random.Random, number: int) -> Person:
        """A prospect who never became a customer (person id L<number>)."""
        raise NotImplementedError

    def unconverted_lead_fields(self, rng: random.Random, person: Person) -> dict:
        """FirstName, LastName and Company of that prospect's Lead."""
        raise NotImplementedError

    def staff_user(self, rng: random.Random, number: int) -> tuple[str, str]:
        """(Name, Email) of the company's CRM user `number`."""
        raise NotImplementedError

    def agent_name(self, number: int, agent: str) -> str:
        """The service-desk name of agent `number` (0-based), PBX agent `agent`."""
        return f"Support {agent.split('/')[1]}"

    # ---------- hooks: how each system writes a number ----------
    def phone_as_dialled(self, rng: random.Random, e164: str) -> str:
        raise NotImplementedError

    def contact_phone(self, rng: random.Random, person: Person) -> str:
        """The number a system records for reaching the person (shipments, work orders, desk)."""
        return self.phone_as_dialled(rng, person.mobile)

    def caller_id(self, rng: random.Random, e164: str) -> str:
        """The PBX's `src`: the number as the carrier delivered it."""
        raise NotImplementedError

    def unknown_caller_number(self, rng: random.Random) -> str:
        """E.164 of a caller the company does not know."""
        raise NotImplementedError

    # ---------- hooks: how each system writes a name ----------
    def account_name(self, rng: random.Random, org: Organization) -> str:
        raise NotImplementedError

    def person_account_name(self, rng: random.Random, person: Person) -> str:
        return person.name_native

    def street(self, rng: random.Random, person: Person) -> str:
        """An individual's street, as the CRM or a shipment gives it."""
        raise NotImplementedError

    def postal_code(self, rng: random.Random, person: Person) -> str:
        raise NotImplementedError

    def contact_name(self, rng: random.Random, person: Person) -> tuple[str, str]:
        """(FirstName, LastName) of the person's CRM Contact."""
        raise NotImplementedError

    def contact_details(self, rng: random.Random, person: Person) -> dict:
        """The Contact's other fields, Salutation to DoNotCall."""
        raise NotImplementedError

    def lead_name(self, rng: random.Random, person: Person) -> tuple[str, str]:
        """(FirstName, LastName) of the Lead the person came in as."""
        return person.given_latin, person.family_latin

    def recipient_name(self, rng: random.Random, person: Person) -> str:
        raise NotImplementedError

    def signed_by(self, rng: random.Random, person: Person) -> str:
        """Who signed for a delivery, as the carrier's tracking event gives it."""
        return person.name_native

    def site_name(self, rng: random.Random, org: Organization) -> str:
        raise NotImplementedError

    def site_address(self, org: Organization) -> str:
        return org.street

    def site_contact_name(self, rng: random.Random, person: Person) -> str:
        raise NotImplementedError

    def acceptance_name(self, rng: random.Random, person: Person) -> str:
        return person.name_native

    def technician(self, rng: random.Random) -> str:
        return f"Tech-{rng.randint(1, 20):02d}"

    def tracking_number(self, rng: random.Random, code: str) -> str:
        return f"{code}{rng.randrange(10**11, 10**12)}"

    def desk_org_name(self, rng: random.Random, org: Organization) -> str:
        raise NotImplementedError

    def desk_user_name(self, rng: random.Random, person: Person) -> str:
        raise NotImplementedError

    def clid_name(
        self, rng: random.Random, person: Person | None, org: Organization | None, number: str, delivered: str
    ) -> tuple[str, bool]:
        """The caller-ID name of the CDR's `clid` for a call from `number` (E.164), delivered as
        `delivered`, and whether it names the caller."""
        return (person.name_latin, True) if person else ("", False)

    # ---------- hooks: words ----------
    def question(self, rng: random.Random) -> tuple[str, str]:
        """(subject, text) of a customer's routine question."""
        raise NotImplementedError

    def rating_comment(self, rng: random.Random, bad: bool) -> str:
        raise NotImplementedError

    def follow_up_subject(self, rng: random.Random) -> str:
        """The subject of a CRM Task that follows a bad rating up."""
        raise NotImplementedError

    def follow_up_reply(self, rng: random.Random, person: Person) -> str:
        """An agent's public reply on a badly rated ticket."""
        raise NotImplementedError

    def open_opportunity_task(self, rng: random.Random) -> str:
        """The subject of a CRM Task on an open opportunity."""
        raise NotImplementedError
