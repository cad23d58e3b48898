"""Customer 360: find one customer by name, phone, e-mail, order number or id, and see the
whole story: the golden record and where each field came from, value and lifecycle, churn risk
and why, the next best action, open promises, satisfaction over time, and every touchpoint."""

from functools import partial

import pandas as pd
import streamlit as st

from c360.privacy import HIDDEN, show_contacts
from dashboards import auth, data, ui, words
from dashboards.i18n import t
from dashboards.queries import customer_360 as queries

version, filters = ui.page_header("page.customer_360")

if "customer_search" not in st.session_state and st.query_params.get("customer"):
    st.session_state["customer_search"] = st.query_params["customer"]  # a link to one customer opens them
text = st.text_input(t("search.label"), key="customer_search", placeholder=t("search.placeholder"))
if not text.strip():
    st.info(t("search.hint"))
    st.stop()

matches = queries.search_customers(version, text.strip())
if matches.empty:
    st.warning(t("search.none", query=text.strip()))
    st.stop()

labels = {
    row.customer_id: f"{row.display_name} · {words.word('customer_type', row.customer_type)} · "
    f"{row.customer_id} ({words.match(row.matched_on)})"
    for row in matches.itertuples()
}
chosen = st.selectbox(t("search.matches", n=len(matches)), list(labels), format_func=labels.get)
st.query_params["customer"] = chosen  # the view's link opens this customer
customer = queries.customer_profile(version, chosen)
# real e-mail and phone only for a role the config allows (c360.privacy, dashboards/auth.py)
role = st.session_state.get("c360_viewer_role", "")
customer = show_contacts(customer, queries.customer_contacts(version, chosen) if auth.may_see_contacts(role) else None)

st.header(customer["display_name"])
cols = st.columns(4)
cols[0].metric(t("field.value_tier"), words.word("tier", customer.get("value_tier")) or t("value.na"), border=True)
cols[1].metric(
    t("field.lifecycle_stage"), words.word("lifecycle", customer.get("lifecycle_stage")) or t("value.na"), border=True
)
risk = customer.get("churn_risk")
cols[2].metric(t("field.churn_risk"), ui.pct(None if risk is None else 100 * risk), border=True)
cols[3].metric(t("field.open_promises"), ui.count(customer.get("open_promises")), border=True)
if customer.get("churn_reasons"):
    st.markdown(f"**{t('field.churn_reasons')}:** {words.sentence(customer['churn_reasons'])}")
if customer.get("next_best_action"):
    action = words.sentence(customer["next_best_action"])
    reason = words.sentence(customer.get("next_best_action_reason"))
    st.success(f"**{t('field.next_best_action')}:** {action} — {reason or ''}")

st.subheader(t("customer.golden_record"))
GOLDEN = ["display_name", "primary_email", "primary_phone", "city", "country", "industry"]
golden = [
    {
        t("column.field"): t(f"field.{f}"),
        # a contact the viewer's role may not see says so in the viewer's language
        t("column.value"): t("value.hidden") if customer.get(f) == HIDDEN else customer.get(f),
        t("column.source"): customer.get(f"{f}_source"),
    }
    for f in GOLDEN
]
golden += [
    {
        t("column.field"): t(f"field.{f}"),
        t("column.value"): words.value_in_words(f, customer.get(f)),
        t("column.source"): "c360",
    }
    for f in [
        "customer_id",
        "customer_type",
        "source_systems",
        "first_seen_at",
        "is_contactable",
        "revenue_12m",
        "orders_12m",
        "last_order_at",
        "open_tickets",
        "csat_pct_90d",
        "nps_last",
        "calls_90d",
        "last_touch_at",
    ]
]
ui.table(pd.DataFrame(golden).map(ui.as_text), f"customer_{chosen}_profile")

st.subheader(t("customer.open_promises"))
ui.table(
    queries.customer_promises(version, chosen),
    f"customer_{chosen}_promises",
    "empty.no_promises",
    {"status": "promise_status"},
)

st.subheader(t("customer.actions"))
ui.table(queries.customer_actions(version, chosen), f"customer_{chosen}_actions", "empty.no_actions")

st.subheader(t("customer.people"))
ui.table(queries.customer_people(version, chosen), f"customer_{chosen}_people", "empty.no_people")

st.subheader(t("customer.opportunities"))
ui.table(queries.customer_opportunities(version, chosen), f"customer_{chosen}_opportunities", "empty.no_opportunities")

st.subheader(t("customer.satisfaction"))
satisfaction = queries.customer_satisfaction(version, chosen)


def answers_of_point(picked: list) -> None:
    """The customer's answers a clicked point of satisfaction over time stands on."""
    month, channel = pd.Timestamp(picked[0]).date(), picked[1]
    shown = queries.customer_answers_of_month(version, chosen, month, channel)
    st.caption(t("chart.picked.month_answers", month=f"{month:%Y-%m}", channel=words.word("channel", channel)))
    ui.table(shown, f"customer_{chosen}_answers_{month:%Y_%m}", "empty.no_answers")


# the customer's satisfaction month by month (CSAT, or the NPS score where only NPS was asked),
# with how many answers each point rests on; not the number of answers itself
for measure, top in (("csat_pct", 100), ("nps_score_avg", 10)):
    measured = satisfaction.dropna(subset=[measure])
    if not measured.empty:
        figure = ui.express(
            "line",
            measured,
            layout={"yaxis_range": [0, top * 1.05]},
            x="month",
            y=measure,
            color="channel",
            markers=True,
            hover_data=["responses", "bad_answers"],
            custom_data=["month", "channel"],
        )
        # the month of the publish is partial; a point opens the answers it stands on
        ui.chart(figure, data.publish_info(version)["as_of"], opens=answers_of_point, key=f"satisfaction-{measure}")
        break
ui.table(satisfaction, f"customer_{chosen}_satisfaction", "empty.no_answers")

st.subheader(t("customer.verbatims"))
ui.table(queries.customer_verbatims(version, chosen), f"customer_{chosen}_verbatims", "empty.no_customer_verbatims")

st.subheader(t("customer.timeline"))
departments, channels = queries.customer_departments_and_channels(version, chosen)
left, right = st.columns(2)
picked_departments = left.multiselect(
    t("filter.departments"), departments, placeholder=t("filter.all"), format_func=lambda d: words.word("department", d)
)
picked_channels = right.multiselect(
    t("filter.channels"), channels, placeholder=t("filter.all"), format_func=lambda c: words.word("channel", c)
)
whole_history = st.toggle(t("customer.whole_history"), value=True)
info = data.publish_info(version)
start, end = (info["first_day"], info["as_of"]) if whole_history else (filters.start, filters.end)
timeline = queries.customer_timeline(version, chosen, start, end, tuple(picked_departments), tuple(picked_channels))
st.caption(t("caption.timeline", n=f"{len(timeline):,}", start=f"{start}", end=f"{end}", zone=data.company_zone().key))
ui.table(
    timeline,
    f"customer_{chosen}_timeline",
    "empty.no_touchpoints",
    every_row=partial(
        queries.customer_timeline.__wrapped__,
        version,
        chosen,
        start,
        end,
        tuple(picked_departments),
        tuple(picked_channels),
        limit=None,
    ),
)
