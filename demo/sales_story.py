"""The CRM's part of the story: its users and products, accounts' contacts and leads, sales
touches, NPS surveys, orders and open opportunities.

A part of demo.history.Simulation (a mixin): it reads and writes the simulation's state
(`self.rng`, `self.p`, the collected rows)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from demo.company import Customer, Person
from demo.profiles import typo
from demo.story_parts import (
    CONTACT_ROLES,
    HISTORY_DAYS,
    OPEN_STAGES,
    rng_comment,
)


class SalesStory:
    def _users_and_products(self) -> None:
        created = datetime.combine(self.start - timedelta(days=900), time(9))
        for i in range(14):
            name, email = self.p.staff_user(self.rng, i)
            dept = "Sales" if i < 10 else ("Service" if i < 12 else "Logistics")
            self.crm["User"].append(self._sf_row("005", created, Name=name, Email=email, Department=dept, IsActive=1))
        for code, name, family, price, _install in self.p.products:
            product = self._sf_row("01t", created, Name=name, ProductCode=code, Family=family, IsActive=1)
            if "Unit_Cost__c" in self.p.crm_custom_fields.get("Product2", ()):
                # a margin of 20-45 % from a random stream of its own (the rest of the company unchanged)
                margin = random.Random(f"{self.seed}-cost-{code}").uniform(0.20, 0.45)
                product["Unit_Cost__c"] = round(price * (1 - margin), 2)
            self.crm["Product2"].append(product)
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
        self._deal_roles_and_activity(c, opp, account_id, owner, created, last_activity)
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

    def _deal_roles_and_activity(
        self, c: Customer, opp: dict, account_id: str, owner: str, created: datetime, last_activity: datetime
    ) -> None:
        """Who is involved in an open deal (contact roles, the first the decision maker) and the
        sales tasks on it up to its last activity."""
        rng = self.rng
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
            self._referred_by_a_customer(lead, c, lead_created)
            self.crm["Lead"].append(lead)
            self.truth("sales", "Lead", lead["Id"], c, p)

    def _referred_by_a_customer(self, lead: dict, c: Customer, created: datetime) -> None:
        """Where the CRM records referrals (Lead.Referred_By__c), some converted leads came from
        an earlier customer (truth file referrals). Drawn from a random stream of its own, so
        that the rest of the company is what it was without it."""
        if not self.p.referral_share:
            return
        rng = random.Random(f"{self.seed}-referral-{lead['Id']}")
        if rng.random() >= self.p.referral_share:
            return
        for _ in range(5):  # a customer whose account existed before the lead came in
            if not self.accounts_created:
                return
            account_created, account_id, referrer = rng.choice(self.accounts_created)
            if account_created < created and referrer != c.truth_id:
                lead["LeadSource"] = "Customer Referral"
                lead["Referred_By__c"] = account_id
                self.more_truth["referrals"].append(
                    {"lead_id": lead["Id"], "true_customer_id": c.truth_id, "referred_by_true_customer_id": referrer}
                )
                return

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
        self._completed_task(c, who, when, kind, subject or self.p.task_subjects[kind], self.sales_rep())
        return True

    def _completed_task(self, c: Customer, who: str, when: datetime, kind: str, subject: str, owner: str) -> dict:
        """A completed CRM task of `owner` with contact `who` of the customer, logged as a contact."""
        task = self._sf_row(
            "00T",
            when,
            WhoId=who,
            WhatId=self.account_ids[c.customer_id],
            AccountId=self.account_ids[c.customer_id],
            Subject=subject,
            Type=kind,
            Status="Completed",
            ActivityDate=when.date().isoformat(),
            Description=None,
            OwnerId=owner,
        )
        self.crm["Task"].append(task)
        self._log_contact(c, when)
        return task

    def _call_a_customer_who_left(self, c: Customer, owner: str, churned_at: datetime | None) -> None:
        """On the history's last day, the account owner calls some customers who left within the
        last year (a completed CRM task; truth file follow_ups): the night that day arrives,
        the warehouse's open actions for them turn done. Drawn from a random stream of its own,
        so that the rest of the company is what it was without it."""
        share = self.p.calls_to_customers_who_left
        if not share or churned_at is None or not (self.end - timedelta(days=365) <= churned_at.date() <= self.end):
            return
        rng = random.Random(f"{self.seed}-call-{c.customer_id}")
        if rng.random() >= share or not self.cal.is_working_day(self.end):
            return
        person = rng.choice(c.contacts)
        who = self.contact_ids.get(person.person_id)
        start, end = self.p.working_hours
        minute = rng.randrange(start * 60, end * 60)
        when = datetime.combine(self.end, time(minute // 60, minute % 60, rng.randrange(60)))
        if who is None or when > self.end_dt:
            return
        task = self._completed_task(c, who, when, "Call", self.p.task_subjects["Call"], owner)
        self.more_truth["follow_ups"].append(
            {"true_customer_id": c.truth_id, "task_id": task["Id"], "called_at": self.clock.utc(when).isoformat()}
        )

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
            self._lost_deal(c, account_id, owner, when, total)
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
        self._order_items(order, lines, qty, when)
        return self._fulfil(c, order_number, when, lines, qty, decision_maker)

    def _lost_deal(self, c: Customer, account_id: str, owner: str, when: datetime, total: float) -> None:
        """A competing deal lost some weeks before the order was won."""
        rng = self.rng
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

    def _order_items(self, order: dict, lines: list, qty: dict, when: datetime) -> None:
        """The order's lines: each product at its list price."""
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
