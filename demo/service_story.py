"""The service desk's part: complaints and other tickets, how agents work them, ratings and
their follow-ups.

A part of demo.history.Simulation (a mixin): it reads and writes the simulation's state
(`self.rng`, `self.p`, the collected rows)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from demo.company import Person
from demo.story_parts import (
    COMPENSATION_ANSWER_WORKING_DAYS,
    RATING_FOLLOW_UP_WORKING_DAYS,
    Ticket,
)
from demo.system_ids import AGENTS


class ServiceStory:
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
        a public reply on the rated ticket, or an agent calling the requester (now and then
        unanswered first: an attempt is no follow-up). False when it could not happen in time
        (no contact in the CRM, the history ends first)."""
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
        if rng.random() < 0.3:  # nobody picked up; the agent tries again two hours later
            self._call_out(t.customer, t.requester, at, answered=False)
            at = self._at_work(at + timedelta(hours=2))
        return at <= due and self._call_out(t.customer, t.requester, at, answered=True)

    def _at_work(self, when: datetime) -> datetime:
        """`when` if it falls in working hours on a working day, else early on the next working day."""
        start, end = self.p.working_hours
        if self.cal.is_working_day(when.date()) and start <= when.hour < end:
            return when
        day = when.date() if when.hour < start else when.date() + timedelta(days=1)
        return self.working_time(day, start, start + 2)
