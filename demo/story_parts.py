"""What every part of the demo's story shares: its records (tickets, calls, the history it
ends in), its calendar of working days, Salesforce ids and the fixed facts of the company's
systems (stages, roles, queues, promises)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from demo.company import Customer, Person
from demo.localtime import LocalClock
from demo.profiles import Profile

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
    # placed by an agent to the customer (`caller_number` is then the number dialled, `wait_s`
    # the ringing, `agent` the one who dialled): a CDR line of its own, no queue, no survey
    outbound: bool = False


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


def rng_comment(rng: random.Random, promoter: bool, detractor: bool) -> str | None:
    if promoter:
        return rng.choice(["Reliable partner.", "Great support team.", None])
    if detractor:
        return rng.choice(
            ["Deliveries are always late.", "Nobody answers our claims.", "Installation took forever.", None]
        )
    return None


def median_gap(moments: list[datetime]) -> float:
    """The median of the days between consecutive moments."""
    gaps = sorted((b - a).total_seconds() / 86400 for a, b in zip(moments, moments[1:], strict=False))
    middle = len(gaps) // 2
    return gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2
