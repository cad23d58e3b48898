"""The `us` demo company: Lakeshore Industrial Supply, a distributor of warehouse and
material-handling equipment in Chicago (America/Chicago, with daylight saving time; the
public holidays of Illinois), whose customers are Midwestern businesses and a few people
buying for themselves. Its warehouse system exports Windows-1252 CSV.

Its systems write people as American systems do: a CRM with the legal name, or a nickname
(Bob for Robert), an initial ("J."), the given and family names swapped or a slip of the
keyboard; a service desk with "Smith, John", "SMITH, John", "john smith" or the mailbox name;
a carrier's label in capitals; a caller-ID name that is the carrier's CNAM ("SMITH ROBERT",
cut at 15 characters), the number itself, UNKNOWN, Anonymous or unavailable. Some people go
by another given name in one system; some give no e-mail address, no phone or no title.
Numbers are NANP numbers in every common format, with extensions on desk phones; a few are in
the area code 861, which the phone-number library does not know yet ("possible", not
"valid"). Some colleagues share a team mobile.

Numbers are fictional where they can be: exchange 555 (555-0100 to 555-0199 are reserved for
fiction; the rest of 555 is not given to subscribers), in the real area codes of each city.
"""

from __future__ import annotations

import random
import re
import unicodedata

from demo.company import CustomerFactory, Organization, Person
from demo.profiles import ALL_CRM_TABLES, Profile, typo

# (given name, the nicknames it goes by)
GIVEN = [
    ("Robert", ["Bob", "Rob", "Bobby"]),
    ("William", ["Bill", "Will"]),
    ("Elizabeth", ["Liz", "Beth", "Betsy"]),
    ("Katherine", ["Kate", "Kathy", "Katie"]),
    ("James", ["Jim", "Jimmy"]),
    ("Michael", ["Mike"]),
    ("Jennifer", ["Jen", "Jenny"]),
    ("Richard", ["Rick", "Rich"]),
    ("Margaret", ["Peggy", "Maggie", "Meg"]),
    ("Thomas", ["Tom"]),
    ("Christopher", ["Chris"]),
    ("Patricia", ["Pat", "Trish"]),
    ("Joseph", ["Joe"]),
    ("Daniel", ["Dan", "Danny"]),
    ("Anthony", ["Tony"]),
    ("Deborah", ["Deb", "Debbie"]),
    ("Susan", ["Sue"]),
    ("Rebecca", ["Becky"]),
    ("Steven", ["Steve"]),
    ("Matthew", ["Matt"]),
    ("Andrew", ["Andy", "Drew"]),
    ("Jonathan", ["Jon"]),
    ("Nicholas", ["Nick"]),
    ("Samantha", ["Sam"]),
    ("Alexander", ["Alex"]),
    ("Victoria", ["Vicky", "Tori"]),
    ("Timothy", ["Tim"]),
    ("Edward", ["Ed", "Ted"]),
    ("Charles", ["Chuck", "Charlie"]),
    ("Gregory", ["Greg"]),
    ("Kimberly", ["Kim"]),
    ("Benjamin", ["Ben"]),
    ("Jacqueline", ["Jackie"]),
    ("Donald", ["Don"]),
    ("Kenneth", ["Ken"]),
    ("Lawrence", ["Larry"]),
    ("Stephanie", ["Steph"]),
    ("Cynthia", ["Cindy"]),
    ("Pamela", ["Pam"]),
    ("Maria", []),
    ("María", []),
    ("José", []),
    ("Carlos", []),
    ("Luis", []),
    ("Priya", []),
    ("Wei", []),
    ("Aisha", []),
    ("Kevin", []),
    ("Brian", []),
    ("Laura", []),
    ("Emily", []),
    ("Jessica", []),
    ("Ashley", []),
    ("Tyler", []),
    ("Kayla", []),
    ("Dmitri", []),
    ("Tomasz", []),
    ("Agnieszka", []),
    ("Ngoc", []),
    ("Hyun-woo", []),
    ("Sean", []),
    ("Megan", []),
    ("Mary Ann", []),
    ("DeShawn", []),
]
FAMILY = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernández",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Pérez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Kowalski",
    "Nowak",
    "Novak",
    "O'Brien",
    "O'Connor",
    "McDonald",
    "Van Dyke",
    "De La Cruz",
    "Núñez",
    "Peña",
    "Müller",
    "Schmidt",
    "Patel",
    "Kim",
    "Chen",
    "Washington",
    "Olson",
    "Lindqvist",
]
# a given name some people use instead of their own in one system (an anglicised name, a middle name)
ANGLICISED = {"Wei": "David", "Ngoc": "Nicole", "Hyun-woo": "Harry", "Dmitri": "Jim", "Agnieszka": "Agnes"}
MIDDLE_NAMES = ["Anne", "Lee", "Marie", "Ray", "Lynn", "Jo", "Dale", "Grace", "Wade"]
TITLES = [
    "Warehouse Manager",
    "Operations Manager",
    "Purchasing Manager",
    "Facilities Manager",
    "Plant Manager",
    "Buyer",
    "Director of Operations",
    "Maintenance Supervisor",
    "Owner",
    "Controller",
    "Logistics Coordinator",
    "VP Supply Chain",
]
# (city, state, area codes, ZIP prefix)
CITIES = [
    ("Chicago", "IL", ("312", "773", "872"), "606"),
    ("Chicago", "IL", ("312", "773", "872"), "606"),
    ("Chicago", "IL", ("773", "872"), "606"),
    ("Naperville", "IL", ("630", "331"), "605"),
    ("Aurora", "IL", ("630", "331"), "605"),
    ("Joliet", "IL", ("815", "779"), "604"),
    ("Rockford", "IL", ("815", "779"), "611"),
    ("Kankakee", "IL", ("815", "779"), "609"),
    ("DeKalb", "IL", ("815", "779"), "601"),
    ("Elgin", "IL", ("847", "224"), "601"),
    ("Schaumburg", "IL", ("847", "224"), "601"),
    ("Waukegan", "IL", ("847", "224"), "600"),
    ("Peoria", "IL", ("309",), "616"),
    ("Bloomington", "IL", ("309",), "617"),
    ("Springfield", "IL", ("217", "447"), "627"),
    ("Champaign", "IL", ("217", "447"), "618"),
    ("Cicero", "IL", ("708", "464"), "608"),
    ("Oak Lawn", "IL", ("708", "464"), "604"),
    ("Milwaukee", "WI", ("414",), "532"),
    ("Gary", "IN", ("219",), "464"),
    ("Indianapolis", "IN", ("317",), "462"),
    ("St. Louis", "MO", ("314",), "631"),
    ("Des Moines", "IA", ("515",), "503"),
    ("Minneapolis", "MN", ("612",), "554"),
]
CITIES_CANADA = [("Toronto", "ON", ("416", "647"), "M5V"), ("Windsor", "ON", ("519",), "N9A")]
# the overlay of 815/779 that libphonenumber's metadata does not know yet: possible, not valid
NEW_AREA_CODES = {"815": "861", "779": "861"}
STREETS = [
    "Industrial Dr",
    "Commerce Dr",
    "Enterprise Pkwy",
    "Distribution Way",
    "Main St",
    "Lake St",
    "Madison St",
    "Western Ave",
    "Archer Ave",
    "Cicero Ave",
    "Halsted St",
    "Ogden Ave",
    "Roosevelt Rd",
    "Route 59",
    "Jefferson St",
    "Maple Ave",
    "Oak St",
    "Elm St",
    "Washington Blvd",
    "Higgins Rd",
]
PLACES = [
    "Prairie",
    "Midwest",
    "Heartland",
    "Great Lakes",
    "Northern",
    "Fox Valley",
    "Des Plaines",
    "Illini",
    "River City",
    "Tri-County",
    "Keystone",
    "Liberty",
    "Summit",
    "Pioneer",
    "Cardinal",
    "Riverbend",
    "Windy City",
    "Lincoln",
    "Sangamon",
    "Kankakee",
    "DuPage",
    "Calumet",
    "Rock River",
    "Oakbrook",
    "North Shore",
    "Evergreen",
    "Sterling",
    "Crossroads",
    "Badger",
    "Hoosier",
]
# (trade in the name, Salesforce Industry)
TRADES = [
    ("Cold Storage", "Food & Beverage"),
    ("Foods", "Food & Beverage"),
    ("Beverage Distributors", "Food & Beverage"),
    ("Fulfillment", "Transportation"),
    ("Logistics", "Transportation"),
    ("Freight", "Transportation"),
    ("Manufacturing", "Manufacturing"),
    ("Machine Works", "Machinery"),
    ("Plastics", "Manufacturing"),
    ("Packaging", "Manufacturing"),
    ("Hardware", "Retail"),
    ("Home Center", "Retail"),
    ("Auto Parts", "Retail"),
    ("Farm Supply", "Agriculture"),
    ("Grain Co-op", "Agriculture"),
    ("Medical Supply", "Healthcare"),
]
LEGAL_SUFFIXES = [", Inc.", " LLC", " Corp.", " Co.", " Inc."]
FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "aol.com", "comcast.net", "sbcglobal.net", "icloud.com"]
PRODUCTS = [
    ("LR-1200", "Pallet Rack Starter Bay 12 ft", "Racking", 4800, True),
    ("LR-1600", "Pallet Rack Starter Bay 16 ft", "Racking", 6200, True),
    ("DL-6800", "Hydraulic Dock Leveler 6x8", "Dock Equipment", 9800, True),
    ("DL-7800", "Hydraulic Dock Leveler 7x8", "Dock Equipment", 11400, True),
    ("VL-20", "Vertical Lift Module VLM-20", "Automation", 86000, True),
    ("CV-50", "Powered Belt Conveyor 50 ft", "Conveyors", 24500, True),
    ("CV-25", "Powered Belt Conveyor 25 ft", "Conveyors", 14200, True),
    ("PJ-55E", "Electric Pallet Jack 5500 lb", "Material Handling", 7900, False),
    ("PJ-45M", "Manual Pallet Jack 4500 lb", "Material Handling", 650, False),
    ("SH-4824", "Steel Shelving Unit 48x24", "Shelving", 420, False),
    ("SH-7224", "Steel Shelving Unit 72x24", "Shelving", 560, False),
    ("SG-10", "Warehouse Safety Gate Kit", "Safety", 310, False),
    ("PM-1Y", "Annual Preventive Maintenance Plan", "Services", 5400, False),
]
SIBLING_MODEL = {
    "LR-1200": "LR-1600",
    "LR-1600": "LR-1200",
    "DL-6800": "DL-7800",
    "DL-7800": "DL-6800",
    "VL-20": "CV-50",
    "CV-50": "CV-25",
    "CV-25": "CV-50",
    "PJ-55E": "PJ-45M",
    "PJ-45M": "PJ-55E",
    "SH-4824": "SH-7224",
    "SH-7224": "SH-4824",
    "SG-10": "SH-4824",
}
CARRIERS = [
    ("UPS Freight", "UPS"),
    ("FedEx Freight", "FXF"),
    ("Estes Express Lines", "EXLA"),
    ("Saia LTL Freight", "SAIA"),
]
AGENT_NAMES = [
    "Megan R.",
    "Tyler B.",
    "Denise W.",
    "Marcus J.",
    "Keisha L.",
    "Brandon K.",
    "Rosa M.",
    "Kyle S.",
    "Erin P.",
    "Jamal H.",
    "Courtney D.",
    "Nate F.",
]
# what a PBX writes as the caller's name when the carrier sends none
NO_NAME = ["UNKNOWN", "Unknown", "unknown", "Anonymous", "ANONYMOUS", "anonymous", "unavailable", "UNAVAILABLE"]
NO_NAME += ["Unavailable", "UNKNOWN"]


def ascii_fold(text: str) -> str:
    """José Núñez -> Jose Nunez, as systems that keep ASCII only write it."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def base_name(name: str) -> str:
    """An organization's name without its legal suffix."""
    for suffix in LEGAL_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def nanp_as_written(rng: random.Random, e164: str, extension: str | None = None) -> str:
    """A NANP number the way people and systems write it: (312) 555-0142, 312-555-0142,
    312.555.0142, +1 312 555 0142, 13125550142, 3125550142, ...; a desk extension as x123
    or ext. 123."""
    n = e164[2:]
    a, b, c = n[:3], n[3:6], n[6:]
    text = rng.choice(
        [
            f"({a}) {b}-{c}",
            f"({a}) {b}-{c}",
            f"{a}-{b}-{c}",
            f"{a}-{b}-{c}",
            f"{a}.{b}.{c}",
            f"+1 {a} {b} {c}",
            f"1{n}",
            n,
            f"+1{n}",
            f"1-{a}-{b}-{c}",
            f"+1 ({a}) {b}-{c}",
        ]
    )
    if extension:
        text += rng.choice([f" x{extension}", f" x{extension}", f" ext. {extension}", f" Ext {extension}"])
    return text


class UsProfile(Profile):
    key = "us"
    company_name = "Lakeshore Industrial Supply"
    company_domain = "lakeshoreindustrial.com"
    time_zone = "America/Chicago"
    calendar_country = "US"
    calendar_subdivision = "IL"  # Lincoln's Birthday, Casimir Pulaski Day, Election Day
    phone_region = "US"
    working_hours = (8, 17)
    logistics_encoding = "windows-1252"  # the warehouse system's CSV export, as Excel on Windows writes it
    crm_tables = tuple(t for t in ALL_CRM_TABLES if t != "Survey_Response__c")  # no survey object
    hotline = "8885550100"
    desk_time_zone = "Central Time (US & Canada)"
    desk_locale = "en-US"
    products = PRODUCTS
    bulk_families = frozenset({"Shelving", "Safety"})
    sibling_model = SIBLING_MODEL
    carriers = CARRIERS
    warehouse_location = "Joliet, IL"
    organization_share = 0.88
    task_subjects = {
        "Call": "Quarterly check-in",
        "Email": "Sent updated price sheet",
        "Meeting": "Layout review meeting",
        "Visit": "Site walk-through",
    }
    words = {
        "wrong_item_subject": "Wrong part received",
        "wrong_item_text": "We ordered {product} and got a different model.",
        "late_subject": "Shipment arrived late",
        "late_text": "Our delivery showed up days after the date we were promised.",
        "installation_subject": "Install not done yet",
        "installation_text": "Your crew was supposed to finish the installation by now and hasn't.",
        "claim_text": " We're requesting a credit for the downtime and extra labor this caused.",
        "picked_up": "Picked up at Joliet DC",
        "in_transit": "In transit",
        "out_for_delivery": "Out for delivery",
        "delivered": "Delivered",
        "agent_reply": "Thanks for reaching out - I'm checking on this now.",
        "customer_reply": "This is still not working.",
    }
    open_pipeline = True
    win_back_share = 0.25
    # its CRM records who referred a lead (an optional custom field, SOURCES.md)
    crm_custom_fields = {"Lead": ("Referred_By__c",), "Product2": ("Unit_Cost__c",)}
    referral_share = 0.3
    follow_up_rate = 0.6
    follow_up_ways = ("task", "reply", "call")
    person_truth = True

    def __init__(self):
        self.numbers: set[str] = set()  # every number handed out: two people never share one by chance

    # ---------- numbers ----------
    def _number(self, rng: random.Random, area_codes: tuple[str, ...], new_code_share: float = 0.0) -> str:
        """A number no one has yet in one of the area codes (555 exchange while there is room)."""
        for attempt in range(60):
            area = rng.choice(area_codes)
            if area in NEW_AREA_CODES and rng.random() < new_code_share:
                area = NEW_AREA_CODES[area]
            if attempt < 30:
                line = rng.randrange(100, 10000)
                exchange = "555"
            else:  # the 555 numbers of the area code are taken: any exchange (not N11, not 555)
                exchange = f"{rng.randrange(200, 1000)}"
                if exchange[1:] == "11" or exchange == "555":
                    continue
                line = rng.randrange(10000)
            if exchange == "555" and line == 1212:  # directory assistance
                continue
            number = f"+1{area}{exchange}{line:04d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number
        raise RuntimeError(f"demo: no free number left in area codes {area_codes}")

    def phone_as_dialled(self, rng: random.Random, e164: str) -> str:
        return nanp_as_written(rng, e164)

    def contact_phone(self, rng: random.Random, person: Person) -> str | None:
        """Mostly the mobile; the desk line with its extension now and then; 3 % left empty."""
        roll = rng.random()
        if roll < 0.03:
            return None
        if person.desk_phone and roll < 0.18:
            return nanp_as_written(rng, person.desk_phone, person.extension)
        return nanp_as_written(rng, person.mobile)

    def caller_id(self, rng: random.Random, e164: str) -> str:
        national = e164[2:]
        return rng.choice([national, national, "1" + national, "+1" + national])

    def unknown_caller_number(self, rng: random.Random) -> str:
        city = rng.choice(CITIES)
        return self._number(rng, city[2], new_code_share=0.1)

    # ---------- customers ----------
    def _person(self, rng, person_id, city, domain, desk_phone, shared_domain: bool) -> Person:
        name, city_state, codes, zip3 = city
        given, nicknames = rng.choice(GIVEN)
        family = rng.choice(FAMILY)
        nickname = rng.choice(nicknames) if nicknames and rng.random() < 0.6 else None
        known_as = known_as_in = None
        if rng.random() < 0.06:
            known_as = ANGLICISED.get(given) or rng.choice(MIDDLE_NAMES)
            known_as_in = rng.choice(["service", "logistics", "call_center"])
        first, last = _slug(nickname if nickname and rng.random() < 0.3 else given), _slug(family)
        local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}", f"{first}_{last}"])
        if shared_domain:  # a free mailbox: the name is seldom enough
            local += rng.choice(["", str(rng.randint(1, 99)), str(rng.randint(1950, 2004))])
        email = None if rng.random() < 0.04 else f"{local}@{domain}"
        mobile = self._number(rng, codes, new_code_share=0.3)
        title = rng.choice(TITLES) if rng.random() < 0.9 else None
        person = Person(person_id, None, None, family, given, email, mobile, desk_phone, title, name, "United States")
        person.state, person.nickname, person.known_as, person.known_as_in = city_state, nickname, known_as, known_as_in
        return person

    def new_organization(self, factory: CustomerFactory) -> Organization:
        """An organization in the Midwest (4 % in Canada); 3 % take a name another company has
        elsewhere. Half its people give the switchboard as their desk phone, most with an
        extension; in a quarter of those with two people or more, some share a team mobile."""
        rng = factory.rng
        factory.org_no += 1
        canada = rng.random() < 0.04
        city = rng.choice(CITIES_CANADA if canada else CITIES)
        trade, industry = rng.choice(TRADES)
        if factory.twins and rng.random() < 0.03:
            name, twin_city = factory.twins.pop()
            if twin_city == city[0]:
                city = next(c for c in CITIES if c[0] != twin_city)
        else:
            name = self._org_name(rng, factory.used_names, trade)
            factory.twins.append((name, city[0]))
        city_name, state, codes, zip3 = city
        slug = _slug(base_name(name))
        domain = f"{slug}.com" if slug + ".com" not in factory.used_names else f"{slug}{factory.org_no}.com"
        factory.used_names.add(domain)
        switchboard = self._number(rng, codes)
        org = Organization(
            organization_id=f"O{factory.org_no:06d}",
            name_native=None,
            name_latin=name,
            city=city_name,
            city_latin=city_name,
            country="Canada" if canada else "United States",
            industry=industry,
            registration_number=(f"{rng.randint(10, 99)}-{rng.randrange(10**7):07d}" if rng.random() < 0.4 else None),
            switchboard=switchboard,
            domain=domain,
            street=self._street(rng),
            postal_code=self._postal_code(rng, zip3, canada),
            employees=rng.choice([12, 25, 60, 150, 400, 1200, 5000]),
            state=state,
        )
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
            on_switchboard = rng.random() < 0.5
            p = self._person(
                rng, factory.next_person_id(), city, domain, switchboard if on_switchboard else None, False
            )
            if on_switchboard and rng.random() < 0.75:
                p.extension = str(rng.randint(101, 499))
            p.country = org.country
            factory.make_email_unique(p)
            p.organization = org
            org.people.append(p)
        if len(org.people) >= 2 and rng.random() < 0.25:
            team = self._number(rng, codes)
            for p in rng.sample(org.people, min(len(org.people), rng.choice([2, 2, 3]))):
                self.numbers.discard(p.mobile)
                p.mobile, p.shares_mobile = team, True
        return org

    def new_individual(self, factory: CustomerFactory) -> Person:
        """A contractor or farmer buying for themself, at home in Illinois, with a free mailbox."""
        rng = factory.rng
        city = rng.choice([c for c in CITIES if c[1] == "IL"])
        person = self._person(rng, factory.next_person_id(), city, rng.choice(FREE_MAIL), None, True)
        person.street = self._street(rng, suite=False)
        person.postal_code = self._postal_code(rng, city[3], False)
        factory.make_email_unique(person)
        return person

    def _org_name(self, rng: random.Random, used: set[str], trade: str) -> str:
        for _ in range(500):
            family = rng.choice(FAMILY)
            base = rng.choice(
                [
                    f"{rng.choice(PLACES)} {trade}",
                    f"{rng.choice(PLACES)} {trade}",
                    f"{family} {trade}",
                    f"{family} & Sons {trade}",
                    f"{family} Brothers {trade}",
                    f"{rng.choice(PLACES)} {family} {trade}",
                ]
            )
            if base not in used:
                used.add(base)
                return base + rng.choice(LEGAL_SUFFIXES)
        raise RuntimeError("demo: ran out of company names; add places or trades")

    @staticmethod
    def _street(rng: random.Random, suite: bool = True) -> str:
        street = f"{rng.randint(100, 9899)} {rng.choice(STREETS)}"
        if suite and rng.random() < 0.3:
            street += rng.choice([f", Suite {rng.randint(1, 9)}00", f", Unit {rng.choice('ABCDEF')}"])
        return street

    @staticmethod
    def _postal_code(rng: random.Random, prefix: str, canada: bool) -> str:
        if canada:
            return f"{prefix} {rng.randint(1, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(1, 9)}"
        return f"{prefix}{rng.randrange(100):02d}"

    def unconverted_lead_person(self, rng: random.Random, number: int) -> Person:
        city = rng.choice(CITIES)
        person = self._person(rng, f"L{number:06d}", city, rng.choice(FREE_MAIL), None, True)
        person.title = None
        return person

    def unconverted_lead_fields(self, rng: random.Random, person: Person) -> dict:
        company = f"{rng.choice(FAMILY)} {rng.choice(TRADES)[0]}" if rng.random() < 0.7 else None
        first, last = self.lead_name(rng, person)
        return dict(FirstName=first, LastName=last, Company=company)

    def staff_user(self, rng: random.Random, number: int) -> tuple[str, str]:
        given, _ = rng.choice(GIVEN)
        family = rng.choice(FAMILY)
        return f"{given} {family}", f"{_slug(given)}.{_slug(family)}@{self.company_domain}"

    def agent_name(self, number: int, agent: str) -> str:
        return AGENT_NAMES[number % len(AGENT_NAMES)]

    # ---------- names ----------
    @staticmethod
    def _given(person: Person, system: str) -> str:
        """The given name a system knows the person by: another one in the system where they use it."""
        return person.known_as if person.known_as and person.known_as_in == system else person.given_latin

    def account_name(self, rng: random.Random, org: Organization) -> str:
        roll = rng.random()
        if roll < 0.1:
            return base_name(org.name_latin) + " Inc"
        if roll < 0.15:
            return org.name_latin.upper()
        return org.name_latin

    def person_account_name(self, rng: random.Random, person: Person) -> str:
        given = person.nickname if person.nickname and rng.random() < 0.3 else person.given_latin
        return f"{given} {person.family_latin}"

    def street(self, rng: random.Random, person: Person) -> str:
        return person.street or self._street(rng, suite=False)

    def postal_code(self, rng: random.Random, person: Person) -> str:
        return person.postal_code or f"{rng.randrange(60000, 63000)}"

    def contact_name(self, rng: random.Random, person: Person) -> tuple[str, str]:
        """The CRM's Contact: mostly the legal name; a nickname, an initial, the two names in
        each other's fields, or a typo now and then."""
        given, family = person.given_latin, person.family_latin
        roll = rng.random()
        if roll < 0.1 and person.nickname:
            return person.nickname, family
        if roll < 0.14:
            return f"{given[0]}.", family
        if roll < 0.18:
            return family, given
        if roll < 0.22:
            return given, typo(rng, family)
        if roll < 0.24:
            return typo(rng, given), family
        return given, family

    def contact_details(self, rng: random.Random, person: Person) -> dict:
        return dict(
            Salutation=rng.choice(["Mr.", "Ms.", "Mrs.", "Dr.", None, None]),
            Title=person.title if rng.random() < 0.85 else None,
            Email=person.email if rng.random() < 0.88 else None,
            Phone=nanp_as_written(rng, person.desk_phone, person.extension) if person.desk_phone else None,
            MobilePhone=nanp_as_written(rng, person.mobile) if rng.random() < 0.85 else None,
            MailingStreet=person.street,
            MailingCity=person.city,
            MailingState=person.state,
            MailingPostalCode=person.postal_code,
            MailingCountry=rng.choice(["United States", "USA", "US"])
            if person.country == "United States"
            else "Canada",
            Birthdate=None,
            HasOptedOutOfEmail=int(rng.random() < 0.06),
            DoNotCall=int(rng.random() < 0.05),
        )

    def lead_name(self, rng: random.Random, person: Person) -> tuple[str, str]:
        given = person.nickname if person.nickname and rng.random() < 0.3 else person.given_latin
        return given, person.family_latin

    def recipient_name(self, rng: random.Random, person: Person) -> str:
        """The name on a carrier's label."""
        given, family = self._given(person, "logistics"), person.family_latin
        name = rng.choice(
            [
                f"{given} {family}".upper(),
                f"{given} {family}".upper(),
                f"{given} {family}",
                f"{given} {family}",
                f"{given[0]} {family}".upper(),
                f"{family}, {given}",
                f"{person.nickname or given} {family}",
                f"ATTN: {given} {family}",
            ]
        )
        return ascii_fold(name) if rng.random() < 0.5 else name

    def signed_by(self, rng: random.Random, person: Person) -> str:
        family = ascii_fold(person.family_latin).upper()
        return rng.choice([family, f"{person.given_latin[0]} {family}", f"{person.given_latin[0]}.{family}"])

    def site_name(self, rng: random.Random, org: Organization) -> str:
        base = base_name(org.name_latin)
        return rng.choice(
            [org.name_latin, base, f"{base} - {org.city} DC", f"{base} Warehouse", org.name_latin.upper()]
        )

    def site_contact_name(self, rng: random.Random, person: Person) -> str:
        given = self._given(person, "logistics")
        return f"{person.nickname if person.nickname and rng.random() < 0.4 else given} {person.family_latin}"

    def acceptance_name(self, rng: random.Random, person: Person) -> str:
        return rng.choice([f"{person.given_latin[0]}. {person.family_latin}", person.name_latin])

    def technician(self, rng: random.Random) -> str:
        return f"Tech {rng.randint(1, 20):02d}"

    def tracking_number(self, rng: random.Random, code: str) -> str:
        if code == "UPS":
            alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
            return "1Z" + "".join(rng.choice(alphabet) for _ in range(6)) + f"03{rng.randrange(10**8):08d}"
        digits = {"FXF": 12, "EXLA": 10, "SAIA": 11}[code]
        return f"{rng.randrange(10 ** (digits - 1), 10**digits)}"

    def desk_org_name(self, rng: random.Random, org: Organization) -> str:
        base = base_name(org.name_latin)
        return rng.choice([org.name_latin, base, f"{base} Inc", base.upper(), org.name_latin.replace(",", "")])

    def desk_user_name(self, rng: random.Random, person: Person) -> str:
        """The service desk's name: as the person typed it in a form or an e-mail header."""
        given, family = self._given(person, "service"), person.family_latin
        roll = rng.random()
        if roll < 0.38:
            name = f"{given} {family}"
        elif roll < 0.48:
            name = f"{family}, {given}"
        elif roll < 0.54:
            name = f"{family.upper()}, {given}"
        elif roll < 0.60:
            name = f"{family} {given}"
        elif roll < 0.65:
            name = f"{given} {family}".lower()
        elif roll < 0.77:
            name = f"{person.nickname or given} {family}"
        elif roll < 0.83:
            name = f"{given[0]}. {family}"
        elif roll < 0.87 and person.email:
            name = person.email.split("@")[0]  # the desk made the user from an e-mail without a name
        elif roll < 0.92:
            name = f"{given} {family}".upper()
        else:
            name = f"{given} {family}"
        return ascii_fold(name) if rng.random() < 0.3 else name

    def clid_name(
        self, rng: random.Random, person: Person | None, org: Organization | None, number: str, delivered: str
    ) -> tuple[str, bool]:
        """The caller-ID name: the carrier's CNAM, at most 15 characters, or none at all (the
        number itself, UNKNOWN, Anonymous, unavailable, in any case). A business line's CNAM
        is the business."""
        roll = rng.random()
        if roll < 0.25:
            return delivered, False
        if roll < 0.40:
            return rng.choice(NO_NAME), False
        if roll < 0.43:
            return "", False
        if person is None:  # someone the company does not know
            given, _ = rng.choice(GIVEN)
            return ascii_fold(f"{rng.choice(FAMILY)} {given}").upper()[:15], True
        shared_line = person.shares_mobile and number == person.mobile or number == person.desk_phone
        if org is not None and shared_line and rng.random() < 0.5:
            return ascii_fold(base_name(org.name_latin)).upper()[:15], False
        given, family = self._given(person, "call_center"), person.family_latin
        name = rng.choice(
            [
                f"{family} {given}".upper(),
                f"{family} {given}".upper(),
                f"{given} {family}",
                f"{person.nickname or given} {family}".upper(),
                f"{given[0]} {family}".upper(),
            ]
        )
        return ascii_fold(name)[:15], True

    # ---------- words ----------
    def question(self, rng: random.Random) -> tuple[str, str]:
        return rng.choice(
            [
                ("Beam load rating question", "What is the load rating per beam level for the 12 ft bays?"),
                ("Dock leveler reset", "How do we reset the dock leveler after a power outage?"),
                ("Conveyor belt tracking", "The belt keeps drifting to one side. Any tips?"),
                ("Replacement wheels", "Can you quote replacement wheels for our pallet jacks?"),
            ]
        )

    def rating_comment(self, rng: random.Random, bad: bool) -> str:
        if bad:
            return rng.choice(["Took way too long.", "No one called me back.", "Issue still not fixed.", ""])
        return rng.choice(["Thanks!", "Quick turnaround.", "", "Great help from Megan."])

    def follow_up_subject(self, rng: random.Random) -> str:
        return rng.choice(
            [
                "Called customer re: survey",
                "Checked in after rating",
                "Spoke w/ customer about support experience",
                "Left voicemail re: CSAT score",
                "Reached out after low CSAT",
            ]
        )

    def follow_up_reply(self, rng: random.Random, person: Person) -> str:
        name = person.nickname or person.given_latin
        return rng.choice(
            [
                f"Hi {name}, I saw the score you gave us on this request and I'm sorry we fell short. "
                "I've asked our service lead to call you today.",
                f"{name}, thanks for the honest feedback. I'd like to make this right - when is a good time to talk?",
            ]
        )

    def open_opportunity_task(self, rng: random.Random) -> str:
        return rng.choice(
            [
                "Sent quote",
                "Pricing call",
                "Layout drawing sent",
                "Demo at customer site",
                "Budget discussion",
                "Reviewed proposal with buyer",
            ]
        )


PROFILE = UsProfile
