"""Data rot month by month (issue 21): `customer_reachability_monthly` counts, for each month,
the persons known by then by reachability on each channel, tonight's month as customer_contacts
judges each person, and the earlier months with "unanswered recently" as it stood then."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_tonights_month_counts_the_contacts_as_customer_contacts_judges_them(warehouse):
    (month,) = warehouse.execute("select max(month_start_date) from marts.customer_reachability_monthly").fetchone()
    # customer_contacts lists every person the identity map knows, one no record names too
    persons = warehouse.execute(
        "select count(distinct person_id) from marts.customer_identity_map where person_id is not null"
    ).fetchone()[0]
    unnamed = warehouse.execute("select count(*) from marts.customer_contacts where display_name is null").fetchone()
    assert warehouse.execute("select count(*) from marts.customer_contacts").fetchone() == (persons,)
    assert unnamed[0] > 0, "the demo plants callers nobody identified"
    for channel, column in (("phone", "phone_unreachable_reason"), ("email", "email_unreachable_reason")):
        counted = dict(
            warehouse.execute(
                "select coalesce(unreachable_reason, 'reachable'), contacts from marts.customer_reachability_monthly "
                "where month_start_date = ? and channel = ?",
                [month, channel],
            ).fetchall()
        )
        judged = dict(
            warehouse.execute(
                f"select coalesce({column}, 'reachable'), count(*) from marts.customer_contacts group by 1"
            ).fetchall()
        )
        assert counted == judged, channel
        assert judged.get("reachable", 0) > 0 and len(judged) >= 3, "the demo plants several reasons"


def test_every_month_adds_up_and_knows_no_fewer_persons_than_the_month_before(warehouse):
    months = warehouse.execute(
        """select month_start_date, channel, sum(contacts), sum(share_of_contacts), max(measured_at)
           from marts.customer_reachability_monthly group by 1, 2 order by 2, 1"""
    ).fetchall()
    assert len({m[0] for m in months}) >= 12
    for channel in ("phone", "email"):
        rows = [m for m in months if m[1] == channel]
        known = [m[2] for m in rows]
        assert known == sorted(known) and known[0] < known[-1], f"{channel}: persons known grow month by month"
        assert all(abs(m[3] - 1) < 1e-9 for m in rows), "a month's shares add up to 1"
        measured = [m[4] for m in rows]
        assert measured == sorted(measured)
    phone_persons = {m[0]: m[2] for m in months if m[1] == "phone"}
    email_persons = {m[0]: m[2] for m in months if m[1] == "email"}
    assert phone_persons == email_persons, "both channels count the same persons"
