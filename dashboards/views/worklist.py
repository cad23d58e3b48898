"""Worklist: the actions c360 proposed (marts.action_queue) and what became of them. Who owes
what, overdue first, narrowed by status, owner and department; every row opens the customer, and
the list downloads as CSV."""

from functools import partial

import streamlit as st

from dashboards import ui, words
from dashboards.i18n import t
from dashboards.queries import worklist as queries

STATUSES = ("overdue", "open", "done", "superseded")

version, filters = ui.page_header("page.worklist")
st.caption(t("worklist.help"))

figures = queries.summary(version, filters.start, filters.end, filters.tiers)
to_do, overdue, done, superseded = st.columns(4)
to_do.metric(t("worklist.open"), ui.count(figures["open"]), help=t("worklist.open.help"), border=True)
overdue.metric(t("worklist.overdue"), ui.count(figures["overdue"]), help=t("worklist.overdue.help"), border=True)
done.metric(t("worklist.done"), ui.count(figures["done"]), help=t("worklist.done.help"), border=True)
superseded.metric(
    t("worklist.superseded"), ui.count(figures["superseded"]), help=t("worklist.superseded.help"), border=True
)


def actions_of_bar(picked: list) -> None:
    """The actions a clicked bar counts: its owner's, of its status (every department)."""
    owner, status = picked
    shown = queries.actions(version, filters.tiers, (status,), owner, None)
    st.subheader(t("chart.picked", what=f"{words.word('department', owner)} · {t(f'status.{status}')}"))
    st.caption(t("chart.picked.actions", n=ui.count(len(shown))))
    ui.table(
        shown,
        "worklist_of_bar",
        "empty.no_actions",
        every_row=partial(queries.actions.__wrapped__, version, filters.tiers, (status,), owner, None, limit=None),
    )


st.subheader(t("worklist.by_owner"))
owners = queries.by_owner(version, filters.start, filters.end, filters.tiers)
if not owners.empty:
    chart = owners.groupby("owner", as_index=False)[["overdue", "open"]].sum()
    chart = chart.sort_values(["overdue", "open"], ascending=False).head(15)
    ui.chart(
        ui.express(
            "bar",
            chart.melt(id_vars="owner", value_vars=["overdue", "open"], var_name="status", value_name="actions"),
            x="actions",
            y="owner",
            color="status",
            orientation="h",
            category_orders={"owner": chart["owner"].tolist(), "status": ["overdue", "open"]},
            custom_data=["owner", "status"],
        ),
        opens=actions_of_bar,
        key="worklist-by-owner",
    )
ui.table(owners, "worklist_by_owner", "empty.no_actions")

st.subheader(t("worklist.list"))
status_column, owner_column, department_column = st.columns(3)
chosen = status_column.multiselect(
    t("field.status"), STATUSES, default=["overdue", "open"], format_func=lambda s: t(f"status.{s}"), key="wl-status"
)
owner = owner_column.selectbox(
    t("field.owner"),
    [None, *queries.owners(version)],
    format_func=lambda o: words.word("department", o) if o else t("filter.everyone"),
    key="wl-owner",
)
department = department_column.selectbox(
    t("field.department"),
    [None, "sales", "service", "logistics", "call_center"],
    format_func=lambda d: t(f"department.{d}") if d else t("filter.every_department"),
    key="wl-department",
)
ui.table(
    queries.actions(version, filters.tiers, tuple(chosen), owner, department),
    "worklist",
    "empty.no_actions",
    every_row=partial(
        queries.actions.__wrapped__, version, filters.tiers, tuple(chosen), owner, department, limit=None
    ),
)
