"""The PBX's part: calls to the hotline from customers and from numbers nobody knows, and
the everyday questions between orders.

A part of demo.history.Simulation (a mixin): it reads and writes the simulation's state
(`self.rng`, `self.p`, the collected rows)."""

from __future__ import annotations

from datetime import datetime, timedelta

from demo.company import Customer, Person
from demo.story_parts import (
    HISTORY_DAYS,
    QUEUES,
    Call,
)
from demo.system_ids import AGENTS


class CallCenterStory:
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

    def _call_out(self, c: Customer, person: Person, when: datetime, answered: bool) -> bool:
        """An agent calls the person's mobile at `when` (`answered`: they pick up and talk);
        False when it happens after the history ends."""
        rng = self.rng
        ring = int(rng.uniform(5, 25)) if answered else 30
        talk = int(rng.lognormvariate(5.0, 0.5)) if answered else 0
        if when + timedelta(seconds=ring + talk) > self.end_dt:
            return False
        org = c.organization
        shared_line = org is not None and person.shares_mobile  # nobody says who picked up there
        self.calls.append(
            Call(
                start=when,
                caller_number="".join(ch for ch in self.p.phone_as_dialled(rng, person.mobile) if ch.isdigit()),
                queue="",
                wait_s=ring,
                talk_s=talk,
                agent=rng.choice(AGENTS),
                survey=None,
                caller_name="",
                truth_person=None if shared_line else person.person_id,
                truth_org=org.organization_id if org else None,
                outbound=True,
            )
        )
        if answered:
            self._log_contact(c, when)
        return True

    def _unknown_callers(self) -> None:
        """Callers the company does not know: wrong numbers, new prospects."""
        for _ in range(max(5, self.n_customers // 10)):
            when = self.working_time(self.start + timedelta(days=self.rng.randrange(HISTORY_DAYS)))
            self._call(None, None, when, self.rng.choice(QUEUES), number=self.p.unknown_caller_number(self.rng))
