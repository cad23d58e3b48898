"""Open promises: the work queue of broken and at-risk promises by department and age."""

from functools import partial

import streamlit as st

from dashboards import data, ui, words
from dashboards.i18n import t
from dashboards.queries import open_promises as queries

version, filters = ui.page_header("page.open_promises", dated=False)
st.caption(t("promises.help"))

open_now, at_risk = queries.open_and_at_risk(version, filters.tiers)
left, right = st.columns(2)
left.metric(t("kpi.open_promises"), ui.count(open_now), help=t("kpi.open_promises.help"))
right.metric(t("promises.at_risk"), ui.count(at_risk), help=t("promises.at_risk.help"))

ages = queries.promises_by_age(version, filters.tiers)


def promises_of_bar(picked: list) -> None:
    """The promises a clicked bar counts: its department, kind and age."""
    department, kind, bucket = picked
    shown = queries.promises_of_bar(version, filters.tiers, department, kind, bucket)
    what = [words.word("department", department), words.word("kind", kind), words.word("overdue_bucket", bucket)]
    st.subheader(t("chart.picked", what=" · ".join(what)))
    st.caption(t("chart.picked.promises", n=ui.count(len(shown))))
    ui.table(
        shown,
        "open_promises_of_bar",
        "empty.no_promises",
        {"status": "promise_status"},
        every_row=partial(queries.promises_of_bar.__wrapped__, version, filters.tiers, *picked, limit=None),
    )


if not ages.empty:
    ui.chart(
        ui.express(
            "bar",
            ages,
            x="overdue_business_days",
            y="promises",
            color="kind",
            facet_col="department",
            category_orders={"overdue_business_days": data.OVERDUE_BUCKETS},
            custom_data=["department", "kind", "overdue_business_days"],
        ),
        opens=promises_of_bar,
        key="promises_by_age_chart",
    )
ui.table(ages, "open_promises_by_age", "empty.no_promises")

st.subheader(t("promises.queue"))
queue = queries.promise_queue(version, filters.tiers)
departments = sorted(queue["department"].dropna().unique()) if not queue.empty else []
picked = st.multiselect(
    t("filter.departments"), departments, placeholder=t("filter.all"), format_func=lambda d: words.word("department", d)
)


def every_promise():
    """The whole queue (for the download), of the departments picked."""
    every = queries.promise_queue.__wrapped__(version, filters.tiers, limit=None)
    return every[every["department"].isin(picked)] if picked else every


ui.table(
    queue[queue["department"].isin(picked)] if picked else queue,
    "open_promises_queue",
    "empty.no_promises",
    {"status": "promise_status"},
    every_row=every_promise,
)
