"""The logistics system's part: shipping, delivering and installing an order, and the
incidents when a promise breaks.

A part of demo.history.Simulation (a mixin): it reads and writes the simulation's state
(`self.rng`, `self.p`, the collected rows)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from demo.company import Customer, Person
from demo.story_parts import (
    INSTALLATION_PROMISE_WORKING_DAYS,
)


class LogisticsStory:
    def _fulfil(self, c, order_number, ordered, lines, qty, contact: Person) -> list[str]:
        """Ship, deliver and install one order; returns the trouble that happened."""
        rng = self.rng
        trouble: list[str] = []
        goods = [p for p in lines if p[2] != self.p.service_family]
        if not goods:
            return trouble
        ship_day = self.cal.add_working_days(ordered.date(), rng.randint(1, 4))
        promised = ship_day + timedelta(days=3)
        late = rng.random() < 0.09
        delivered_day = (
            promised + timedelta(days=rng.randint(1, 6)) if late else promised - timedelta(days=rng.randint(0, 2))
        )
        wrong = rng.random() < 0.04
        shipment_id, delivered = self._shipment(
            c, order_number, ship_day, promised, delivered_day, goods, qty, contact, wrong_item=wrong
        )
        org_or_person = c.organization.organization_id if c.organization else c.person.person_id
        if late:
            trouble.append("delivery_late")
            self._incident(
                "delivery_late",
                org_or_person,
                order_number,
                "logistics",
                shipment_id,
                datetime.combine(promised, time(23, 59)),
                delivered,
            )
        if wrong:
            trouble.append("wrong_item_shipped")
            fixed_at = None
            if rng.random() < 0.75:
                redo_ship = self.cal.add_working_days(delivered_day, rng.randint(2, 8))
                _, fixed_at = self._shipment(
                    c,
                    order_number,
                    redo_ship,
                    redo_ship + timedelta(days=3),
                    redo_ship + timedelta(days=rng.randint(1, 3)),
                    goods,
                    qty,
                    contact,
                    wrong_item=False,
                )
            self._incident(
                "wrong_item_shipped",
                org_or_person,
                order_number,
                "logistics",
                shipment_id,
                delivered or datetime.combine(delivered_day, time(15)),
                fixed_at,
            )
            self._complaint(
                c,
                contact,
                order_number,
                delivered or datetime.combine(delivered_day, time(15)),
                self.p.words["wrong_item_subject"],
                self.p.words["wrong_item_text"].format(product=goods[0][1]),
                "wrong_item",
            )
        needs_install = c.organization is not None and any(p[4] for p in goods)
        if needs_install and delivered is not None:
            if self._installation(c, order_number, delivered.date(), goods):
                trouble.append("installation_overdue")
        if late and delivered is not None and rng.random() < 0.5:
            self._complaint(
                c,
                contact,
                order_number,
                delivered + timedelta(hours=rng.randint(1, 30)),
                self.p.words["late_subject"],
                self.p.words["late_text"],
                "delivery",
            )
        return trouble

    def _shipment(
        self, c, order_number, ship_day, promised, delivered_day, goods, qty, contact: Person, wrong_item: bool
    ) -> tuple[str, datetime | None]:
        rng = self.rng
        shipment_id = f"SH{self.next_id('shipment'):08d}"
        profile = self.p
        carrier, code = rng.choice(profile.carriers)
        tracking = profile.tracking_number(rng, code)
        shipped_at = datetime.combine(ship_day, time(rng.randint(9, 16), rng.randrange(60)))
        delivered_at = datetime.combine(delivered_day, time(rng.randint(9, 17), rng.randrange(60)))
        org = c.organization
        recipient = profile.recipient_name(rng, contact)
        address = org.street if org else profile.street(rng, contact)
        base = dict(
            shipment_id=shipment_id,
            order_number=order_number,
            carrier=carrier,
            tracking_number=tracking,
            ship_date=ship_day.isoformat(),
            promised_delivery_date=promised.isoformat(),
            recipient_name=recipient,
            recipient_phone=profile.contact_phone(rng, contact),
            ship_to_address=address,
            ship_to_city=org.city if org else contact.city,
            ship_to_postal_code=org.postal_code if org else profile.postal_code(rng, contact),
        )
        stamp = self.clock.with_offset
        self.drop(shipped_at, "shipments.csv", dict(base, status="in_transit", updated_at=stamp(shipped_at)))
        if shipped_at <= self.end_dt:  # a shipment after the history's end was never written
            self.truth("logistics", "shipments", shipment_id, c, contact)
        for line_no, product in enumerate(goods, 1):
            sku = profile.sibling_model.get(product[0], product[0]) if wrong_item and line_no == 1 else product[0]
            desc = next(p[1] for p in profile.products if p[0] == sku)
            serials = ";".join(f"{sku[:2]}{rng.randrange(10**9):09d}" for _ in range(min(qty[product[0]], 4)))
            self.drop(
                shipped_at,
                "packing_list.csv",
                dict(
                    shipment_id=shipment_id,
                    line_no=line_no,
                    sku=sku,
                    description=desc,
                    quantity=qty[product[0]],
                    serial_numbers=serials,
                ),
            )
        events = [
            (shipped_at, "PU", profile.words["picked_up"]),
            (shipped_at + timedelta(hours=rng.randint(4, 20)), "IT", profile.words["in_transit"]),
            (delivered_at - timedelta(hours=rng.randint(3, 6)), "OD", profile.words["out_for_delivery"]),
        ]
        delivered = None
        if delivered_at <= self.end_dt:
            events.append((delivered_at, "DL", profile.words["delivered"]))
            delivered = delivered_at
            self.drop(delivered_at, "shipments.csv", dict(base, status="delivered", updated_at=stamp(delivered_at)))
        for when, ev, remark in events:
            if when <= self.end_dt:
                self.drop(
                    when,
                    "tracking_events.csv",
                    dict(
                        tracking_number=tracking,
                        event_time=stamp(when),
                        event_code=ev,
                        location=(org.city if org else contact.city)
                        if ev in ("OD", "DL")
                        else profile.warehouse_location,
                        signed_by=profile.signed_by(rng, contact) if ev == "DL" else "",
                        remark=remark,
                    ),
                )
        return shipment_id, delivered

    def _installation(self, c: Customer, order_number: str, delivered: date, goods) -> bool:
        """Schedule and (usually) complete the installation; True when its promise broke."""
        rng = self.rng
        org = c.organization
        contact = rng.choice(org.people)
        promised_by = self.cal.add_working_days(delivered, INSTALLATION_PROMISE_WORKING_DAYS)
        overdue = rng.random() < 0.1
        if overdue:
            done_day = self.cal.add_working_days(promised_by, rng.randint(2, 25))
        else:
            done_day = self.cal.add_working_days(delivered, rng.randint(3, INSTALLATION_PROMISE_WORKING_DAYS))
        work_order_id = f"WO{self.next_id('work_order'):07d}"
        scheduled = self.cal.add_working_days(delivered, rng.randint(2, 10))
        profile = self.p
        site_name = profile.site_name(rng, org)
        created_at = datetime.combine(delivered, time(17, rng.randrange(60)))
        base = dict(
            work_order_id=work_order_id,
            order_number=order_number,
            site_name=site_name,
            site_address=profile.site_address(org),
            contact_name=profile.site_contact_name(rng, contact),
            contact_phone=profile.contact_phone(rng, contact),
            scheduled_date=scheduled.isoformat(),
            promised_by_date=promised_by.isoformat(),
            technician=profile.technician(rng),
            notes="",
        )
        if created_at > self.end_dt:  # the work order is opened at the end of the delivery day
            return False
        self.drop(
            created_at,
            "installations.csv",
            dict(
                base,
                completed_at="",
                status="scheduled",
                acceptance_signed_by="",
                updated_at=self.clock.with_offset(created_at),
            ),
        )
        self.truth("logistics", "installations", work_order_id, c, contact)
        done_at = datetime.combine(done_day, time(rng.randint(10, 17), rng.randrange(60)))
        completed = done_at <= self.end_dt
        if completed:
            self.drop(
                done_at,
                "installations.csv",
                dict(
                    base,
                    completed_at=self.clock.with_offset(done_at),
                    status="completed",
                    acceptance_signed_by=profile.acceptance_name(rng, contact),
                    updated_at=self.clock.with_offset(done_at),
                ),
            )
        if overdue:
            self._incident(
                "installation_overdue",
                org.organization_id,
                order_number,
                "logistics",
                work_order_id,
                datetime.combine(promised_by, time(23, 59)),
                done_at if completed else None,
            )
            if datetime.combine(promised_by, time(12)) < self.end_dt:
                self._complaint(
                    c,
                    contact,
                    order_number,
                    datetime.combine(self.cal.add_working_days(promised_by, 1), time(10)),
                    profile.words["installation_subject"],
                    profile.words["installation_text"],
                    "installation",
                )
        return overdue and datetime.combine(promised_by, time(23, 59)) < self.end_dt

    def _incident(self, kind, customer_truth_id, order_number, system, record_id, due_at, resolved_at) -> None:
        if due_at > self.end_dt:
            return  # not broken (yet) when the history ends
        self.incidents.append(
            dict(
                kind=kind,
                true_customer_id=customer_truth_id,
                order_number=order_number,
                source_system=system,
                source_record_id=record_id,
                due_at=due_at.isoformat(),
                resolved_at=resolved_at.isoformat() if resolved_at and resolved_at <= self.end_dt else "",
            )
        )

    # ---------- service desk and call center ----------
