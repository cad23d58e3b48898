"""Shape the simulated tickets into the service desk's own records, as the Zendesk Support
API returns them: organizations, users, tickets, ticket events and satisfaction ratings."""

from __future__ import annotations

from datetime import datetime

from demo.profiles import typo
from demo.story_parts import Ticket
from demo.system_ids import AGENTS, CATEGORY_FIELD_ID, ORDER_NUMBER_FIELD_ID

USER_ID_BASE = 361_000_000_000
ORG_ID_BASE = 362_000_000_000
EVENT_ID_BASE = 363_000_000_000
RATING_ID_BASE = 364_000_000_000
GROUP_ID = 365_000_000_001


def _child(
    event_id: int,
    event_type: str,
    public=None,
    author_id=None,
    field_name=None,
    value=None,
    previous_value=None,
    **extra,
) -> dict:
    """One child event of a ticket audit, with every field SOURCES.md names (null where unused)."""
    return dict(
        id=event_id,
        event_type=event_type,
        public=public,
        author_id=author_id,
        field_name=field_name,
        value=value,
        previous_value=previous_value,
        **extra,
    )


class ServiceDeskShaper:
    """The service desk's records of each batch of simulated tickets, numbered on from the
    batch before: tickets in creation order, users, organizations, events and ratings."""

    def __init__(self, sim):
        first = datetime.combine(sim.start, datetime.min.time())
        profile = sim.p
        zd_time = sim.clock.zd
        self.agent_ids = []
        self.agents: list[dict] = []  # written with the first batch
        for i, agent in enumerate(AGENTS):
            uid = USER_ID_BASE + i + 1
            self.agent_ids.append(uid)
            self.agents.append(
                dict(
                    id=uid,
                    name=profile.agent_name(i, agent),
                    email=f"agent{i + 1}@{profile.company_domain}",
                    phone=None,
                    organization_id=None,
                    role="agent",
                    external_id=None,
                    time_zone=profile.desk_time_zone,
                    locale=profile.desk_locale,
                    active=True,
                    created_at=zd_time(first),
                    updated_at=zd_time(first),
                )
            )
        self.users_made = len(self.agents)
        self.orgs_made = 0
        self.tickets_made = 0
        self.events_made = 0
        self.ratings_made = 0

    def shape(self, sim) -> dict[str, list[dict]]:
        """The batch's records: each ticket the customer has opened by the simulation's end, in
        creation order, with its requester (a desk user, made on first sight), events and rating."""
        users: dict[str, dict] = {}
        orgs: dict[str, dict] = {}
        tickets_out, events_out, ratings_out = [], [], []
        ordered: list[Ticket] = sorted(sim.tickets, key=lambda t: (t.created, t.key))
        key_to_id: dict[int, int] = {}
        for t in ordered:
            if t.created > sim.end_dt:  # a ticket the customer has not opened yet
                continue
            self.tickets_made += 1
            number = self.tickets_made
            t.zendesk_id = number
            key_to_id[t.key] = number
            requester = self._user(sim, users, orgs, t.customer, t.requester, t.created)
            assignee = self.agent_ids[t.assignee] if t.assignee is not None else None
            status, updated = self._ticket_events(sim, t, number, requester, assignee, events_out)
            rating = None
            if t.rating and t.rating[2] <= sim.end_dt:
                rating = self._rating(sim, t, number, requester, assignee, ratings_out)
                key_to_id[-1 - t.key] = ratings_out[-1]["id"]
                updated = max(updated, t.rating[2])
            c = t.customer
            tickets_out.append(
                dict(
                    id=number,
                    external_id=None,
                    via=dict(channel=t.channel),
                    created_at=sim.clock.zd(t.created),
                    updated_at=sim.clock.zd(updated),
                    type="incident" if "complaint" in t.tags else "question",
                    subject=t.subject,
                    description=t.description,
                    priority=t.priority,
                    status=status,
                    requester_id=requester,
                    submitter_id=requester,
                    assignee_id=assignee,
                    organization_id=self._organization(sim, orgs, c, t.created) if c.organization else None,
                    group_id=GROUP_ID,
                    tags=t.tags,
                    custom_fields=[
                        dict(id=ORDER_NUMBER_FIELD_ID, value=t.order_number),
                        dict(id=CATEGORY_FIELD_ID, value=t.category),
                    ],
                    satisfaction_rating=rating,
                    due_at=None,
                )
            )
        _number_incidents(sim, key_to_id)
        agents, self.agents = self.agents, []
        return dict(
            organizations=list(orgs.values()),
            users=agents + list(users.values()),
            tickets=tickets_out,
            ticket_events=events_out,
            satisfaction_ratings=ratings_out,
        )

    def _organization(self, sim, orgs: dict[str, dict], c, when: datetime) -> int | None:
        """The desk organization of the customer's company, made on first sight (or none: the
        agent never linked this requester to one)."""
        rng = sim.rng
        org = c.organization
        if org is None:
            return None
        if org.organization_id not in orgs:
            if rng.random() < 0.05:
                return None  # the agent never linked this requester to an organization
            name = sim.p.desk_org_name(rng, org)
            self.orgs_made += 1
            orgs[org.organization_id] = dict(
                id=ORG_ID_BASE + self.orgs_made,
                name=name,
                domain_names=[org.domain],
                external_id=sim.account_ids[c.customer_id] if rng.random() < 0.4 else None,
                details=org.street,
                created_at=sim.clock.zd(when),
                updated_at=sim.clock.zd(when),
            )
            sim.truth("service", "organizations", str(orgs[org.organization_id]["id"]), c, None)
        return orgs[org.organization_id]["id"]

    def _user(self, sim, users: dict[str, dict], orgs: dict[str, dict], c, p, when: datetime) -> int:
        """The requester's desk user, made on first sight as an agent types it: a typo now and
        then, the e-mail's case changed or left out, a placeholder phone."""
        rng, profile = sim.rng, sim.p
        if p.person_id not in users:
            name = profile.desk_user_name(rng, p)
            if rng.random() < 0.05:
                name = typo(rng, name)
            email = p.email
            roll = rng.random()
            if email is None:
                pass  # the person gave no address
            elif roll < 0.3:
                local, domain = email.split("@")
                email = f"{local.title()}@{domain.upper() if rng.random() < 0.5 else domain}"
            elif roll < 0.33:
                email = typo(rng, email)
            elif roll < 0.38:
                email = None
            phone = profile.contact_phone(rng, p) if rng.random() < 0.6 else None
            if rng.random() < 0.02:
                phone = "0000"  # a placeholder agents type when the caller will not say
            user_id = USER_ID_BASE + 1000 + self.users_made
            self.users_made += 1
            users[p.person_id] = dict(
                id=user_id,
                name=name,
                email=email,
                phone=phone,
                organization_id=self._organization(sim, orgs, c, when) if rng.random() < 0.85 else None,
                role="end-user",
                external_id=sim.contact_ids.get(p.person_id) if rng.random() < 0.2 else None,
                time_zone=profile.desk_time_zone,
                locale=profile.desk_locale,
                active=True,
                created_at=sim.clock.zd(when),
                updated_at=sim.clock.zd(when),
            )
            sim.truth("service", "users", str(users[p.person_id]["id"]), c, p)
        return users[p.person_id]["id"]

    def _ticket_events(
        self, sim, t: Ticket, number: int, requester: int, assignee: int | None, events_out: list[dict]
    ) -> tuple[str, datetime]:
        """The ticket's events up to the simulation's end, as audits with child events; returns
        its status and last update after them."""
        status = "new"
        updated = t.created
        previous = None
        for when, kind, detail in sorted(t.events, key=lambda e: e[0]):
            if when > sim.end_dt:
                continue
            self.events_made += 1
            event_seq = self.events_made
            children = []
            child_base = EVENT_ID_BASE + event_seq * 10
            if kind == "create":
                children = [
                    _child(child_base + 1, "Change", field_name="status", value="new"),
                    _child(child_base + 2, "Comment", public=True, author_id=requester, body=t.description),
                ]
                previous = "new"
            elif kind == "status":
                children = [
                    _child(
                        child_base + 1,
                        "Change",
                        field_name="status",
                        value=detail["value"],
                        previous_value=previous,
                    )
                ]
                previous = status = detail["value"]
            else:
                agent = kind == "agent_comment"
                body = detail.get("body") or sim.p.words["agent_reply" if agent else "customer_reply"]
                author = assignee if agent else requester
                children = [_child(child_base + 1, "Comment", public=True, author_id=author, body=body)]
            events_out.append(
                dict(
                    id=EVENT_ID_BASE + event_seq,
                    ticket_id=number,
                    updater_id=requester if kind in ("create", "requester_comment") else assignee,
                    created_at=sim.clock.zd(when),
                    event_type="Create" if kind == "create" else "Audit",
                    child_events=children,
                )
            )
            updated = max(updated, when)
        return status, updated

    def _rating(
        self, sim, t: Ticket, number: int, requester: int, assignee: int | None, ratings_out: list[dict]
    ) -> dict:
        """The ticket's satisfaction rating as a record of its own; returns it as the ticket shows it."""
        score, comment, rated = t.rating
        self.ratings_made += 1
        ratings_out.append(
            dict(
                id=RATING_ID_BASE + self.ratings_made,
                ticket_id=number,
                requester_id=requester,
                assignee_id=assignee,
                score=score,
                comment=comment,
                reason=None if score == "good" else "Other",
                created_at=sim.clock.zd(rated),
                updated_at=sim.clock.zd(rated),
            )
        )
        return dict(score=score, comment=comment)


def _number_incidents(sim, key_to_id: dict[int, int]) -> None:
    """Planted incidents named tickets and ratings by their simulation key: now they have ids
    (an incident whose ticket is not written yet is dropped)."""
    for incident in sim.incidents:
        ref = incident["source_record_id"]
        if ref.startswith("ticket:"):
            incident["source_record_id"] = str(key_to_id.get(int(ref[7:]), ""))
        elif ref.startswith("rating:"):
            incident["source_record_id"] = str(key_to_id.get(-1 - int(ref[7:]), ""))
    sim.incidents[:] = [i for i in sim.incidents if i["source_record_id"]]
