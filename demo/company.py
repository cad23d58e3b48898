"""The demo company's customers as they really are (the ground truth): organizations with
their people, and individuals who buy for themselves. Every source system later records
them imperfectly."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from demo import people


@dataclass
class Person:
    person_id: str
    family_zh: str | None  # None for people abroad, who have no name in characters
    given_zh: str | None
    family_latin: str
    given_latin: str
    email: str
    mobile: str  # E.164
    desk_phone: str | None  # E.164; for staff of an organization often its switchboard
    title: str
    city: str
    country: str
    organization: Organization | None = None

    @property
    def name_native(self) -> str:
        """Name as written at home: characters, family name first; Latin elsewhere."""
        if self.family_zh:
            return self.family_zh + self.given_zh
        return f"{self.given_latin} {self.family_latin}"

    @property
    def name_latin(self) -> str:
        return f"{self.given_latin} {self.family_latin}"


@dataclass
class Organization:
    organization_id: str
    name_zh: str | None
    name_en: str
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
            return self.organization.name_zh or self.organization.name_en
        return self.person.name_native


def _org_name(rng: random.Random, used: set[str]) -> tuple[str, str, str]:
    """(brand characters, brand pinyin, slug), unique so distinct companies stay distinct;
    two-character brands first, longer ones as the shorter run short (30 characters give
    870 two-character brands, 24,360 of three, 657,720 of four, 17 million of five)."""
    for attempt in range(200):
        parts = rng.sample(people.BRAND_CHARS, 2 if attempt < 20 else 3 if attempt < 60 else 4 if attempt < 120 else 5)
        brand_zh = "".join(p[0] for p in parts)
        if brand_zh not in used:
            used.add(brand_zh)
            brand_py = "".join(p[1] for p in parts).capitalize()
            return brand_zh, brand_py, brand_py.lower()
    raise RuntimeError("demo: ran out of company names; add characters to people.BRAND_CHARS")


def _person(rng, person_id, city, country, domain, desk_phone, abroad) -> Person:
    if abroad:
        given, family = rng.choice(people.WESTERN_FIRST), rng.choice(people.WESTERN_LAST)
        family_zh = given_zh = None
        local = f"{given}.{family}".lower()
        mobile = (
            "+659" + f"{rng.randrange(9)}{rng.randrange(10**6):06d}"  # 99xx xxxx is not allocated
            if country == "Singapore"
            else (
                "+49151" + f"{rng.randrange(10**8):08d}"
                if country == "Germany"
                else "+1408" + f"{rng.randrange(2, 10)}{rng.randrange(10**6):06d}"
            )
        )
    else:
        family_zh, family = rng.choice(people.SURNAMES)
        chars = rng.sample(people.GIVEN_CHARS, rng.choice([1, 2, 2]))
        given_zh = "".join(c[0] for c in chars)
        given = "".join(c[1] for c in chars).capitalize()
        local = rng.choice([f"{given}.{family}", f"{family}{given}", f"{given[0]}{family}"]).lower()
        mobile = people.mobile_number(rng)
    title = rng.choice(
        [
            "IT Manager",
            "CIO",
            "Procurement Manager",
            "Network Engineer",
            "Operations Director",
            "System Administrator",
            "CEO",
            "Finance Manager",
        ]
    )
    return Person(
        person_id, family_zh, given_zh, family, given, f"{local}@{domain}", mobile, desk_phone, title, city, country
    )


def _make_email_unique(person: Person, used: set[str]) -> None:
    """Two people never share a mailbox: the second wei.zhang gets wei.zhang2."""
    local, domain = person.email.split("@")
    candidate, n = person.email, 1
    while candidate in used:
        n += 1
        candidate = f"{local}{n}@{domain}"
    person.email = candidate
    used.add(candidate)


class CustomerFactory:
    """Customers a batch at a time, numbered and kept distinct (brands, mailboxes) across all
    batches: about 85 % organizations (5 % of them abroad) and 15 % individuals; 8 % prospects."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_brands: set[str] = set()
        self.used_emails: set[str] = set()
        self.customer_no = 0
        self.person_no = 0
        self.org_no = 0
        self.twin_brands: list[tuple[str, str, str, str]] = []

    def build(self, n_customers: int) -> list[Customer]:
        return [self._next() for _ in range(n_customers)]

    def _next(self) -> Customer:
        rng = self.rng
        self.customer_no += 1
        customer_id = f"C{self.customer_no:06d}"
        since = rng.choice([rng.randint(731, 2200), rng.randint(30, 730)])
        interval = rng.lognormvariate(4.3, 0.45)  # median ~75 days
        is_loyal = rng.random() < 0.35
        is_prospect = rng.random() < 0.08
        if rng.random() < 0.85:
            self.org_no += 1
            abroad = rng.random() < 0.05
            industry_zh, industry_en, industry = rng.choice(people.INDUSTRIES)
            if abroad:
                city, country, prefix, digits, suffix = rng.choice(people.CITIES_ABROAD)
                brand_zh, brand_py, slug = _org_name(rng, self.used_brands)
                name_zh = None
                name_en = f"{brand_py} {industry_en} {suffix}"
                # a subscriber number never starts with 0 or 1 (libphonenumber rejects those)
                switchboard = prefix + f"{rng.randrange(2 * 10 ** (digits - 1), 10**digits)}"
                city_latin, street, postal = city, f"{rng.randint(1, 200)} Harbour Road", f"{rng.randint(10000, 99999)}"
                tld = {"Singapore": "sg", "Germany": "de", "United States": "com"}[country]
            else:
                city, city_latin, area = rng.choice(people.CITIES_CN)
                country = "China"
                # Some brands exist twice in different cities: same name, different company.
                if self.twin_brands and rng.random() < 0.03:
                    brand_zh, brand_py, slug, twin_city = self.twin_brands.pop()
                    if twin_city == city:
                        city, city_latin, area = next(c for c in people.CITIES_CN if c[0] != twin_city)
                else:
                    brand_zh, brand_py, slug = _org_name(rng, self.used_brands)
                    self.twin_brands.append((brand_zh, brand_py, slug, city))
                name_zh = f"{city}{brand_zh}{industry_zh}有限公司"
                name_en = f"{city_latin} {brand_py} {industry_en} Co., Ltd."
                switchboard = people.landline_number(rng, area)
                street = f"{rng.choice(people.STREETS_CN)}{rng.randint(1, 999)}号"
                postal = f"{rng.randint(100000, 799999)}"
                tld = "com.cn"
            domain = f"{slug}{self.org_no}.{tld}"
            org = Organization(
                organization_id=f"O{self.org_no:06d}",
                name_zh=name_zh,
                name_en=name_en,
                city=city,
                city_latin=city_latin,
                country=country,
                industry=industry,
                registration_number=(people.registration_number(rng) if not abroad and rng.random() < 0.7 else None),
                switchboard=switchboard,
                domain=domain,
                street=street,
                postal_code=postal,
                employees=rng.choice([20, 50, 120, 300, 800, 2500, 10000]),
            )
            for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
                self.person_no += 1
                desk = switchboard if rng.random() < 0.5 else None
                p = _person(rng, f"P{self.person_no:06d}", city, country, domain, desk, abroad)
                _make_email_unique(p, self.used_emails)
                p.organization = org
                org.people.append(p)
            return Customer(customer_id, org, None, since, interval, is_loyal, is_prospect)
        self.person_no += 1
        city, city_latin, _ = rng.choice(people.CITIES_CN)
        mail = rng.choice(["163.com", "qq.com", "126.com", "sina.com"])
        p = _person(rng, f"P{self.person_no:06d}", city, "China", mail, None, False)
        _make_email_unique(p, self.used_emails)
        return Customer(customer_id, None, p, since, interval * 2.5, is_loyal, is_prospect)


def build_customers(n_customers: int, rng: random.Random) -> list[Customer]:
    """All customers at once (a small company)."""
    return CustomerFactory(rng).build(n_customers)
