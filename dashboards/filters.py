"""The filters every page shares (sidebar): a range of company-local days and the value
tiers. Drawn once by the app before the page runs; pages read them with `current_filters`.
They live in the URL too (`?from=2026-09-01&to=2026-11-30&tiers=gold,silver`), so that a link
shares the view and a reload keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from dashboards import data, words
from dashboards.i18n import t

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    tiers: tuple[str, ...]

    def describe(self, dated: bool = True) -> str:
        named = ", ".join(words.word("tier", tier) for tier in self.tiers)
        tiers = t("caption.tiers", tiers=named if self.tiers else t("filter.all_tiers"))
        if not dated:
            return tiers
        return t("caption.dates", start=f"{self.start:%Y-%m-%d}", end=f"{self.end:%Y-%m-%d}") + " · " + tiers


# Streamlit forgets a widget's value when a page switch re-creates it, so each widget writes its
# choice to a plain session key on change and starts from that key when it is drawn again.
DATES, TIERS = "filter_dates", "filter_tiers"


def _keep(widget_key: str, value_key: str) -> None:
    st.session_state[value_key] = st.session_state[widget_key]


def _default_dates(version: str) -> tuple[date, date]:
    info = data.publish_info(version)
    return max(info["first_day"], info["as_of"] - timedelta(days=DEFAULT_DAYS - 1)), info["as_of"]


def _dates_key(version: str) -> str:
    # a new publish day starts from the default range again (an old pick may lie outside it)
    return f"{DATES}-{data.publish_info(version)['as_of']:%Y%m%d}"


def _from_url(version: str) -> None:
    """A shared link's filters, when this session has none of its own yet. Days outside what the
    publish holds and tiers it does not have are left out (the defaults stand instead)."""
    params, info = st.query_params, data.publish_info(version)
    dates_key = _dates_key(version)
    if dates_key not in st.session_state and "from" in params and "to" in params:
        try:
            start, end = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
        except ValueError:
            start = end = None
        if start and info["first_day"] <= start <= end <= info["as_of"]:
            st.session_state[dates_key] = (start, end)
    if TIERS not in st.session_state and params.get("tiers"):
        known = data.value_tiers(version)
        st.session_state[TIERS] = [tier for tier in params["tiers"].split(",") if tier in known]


def _to_url(version: str) -> None:
    chosen = current_filters(version)
    st.query_params["from"], st.query_params["to"] = f"{chosen.start:%Y-%m-%d}", f"{chosen.end:%Y-%m-%d}"
    if chosen.tiers:
        st.query_params["tiers"] = ",".join(chosen.tiers)
    else:
        st.query_params.pop("tiers", None)


def sidebar(version: str) -> None:
    _from_url(version)
    info = data.publish_info(version)
    dates_key = _dates_key(version)
    st.sidebar.date_input(
        t("filter.dates"),
        value=st.session_state.get(dates_key, _default_dates(version)),
        min_value=info["first_day"],
        max_value=info["as_of"],
        key=f"widget-{dates_key}",
        format="YYYY-MM-DD",
        on_change=_keep,
        args=(f"widget-{dates_key}", dates_key),
    )
    tiers = data.value_tiers(version)
    st.sidebar.multiselect(
        t("filter.tiers"),
        tiers,
        default=[tier for tier in st.session_state.get(TIERS, []) if tier in tiers],
        key=f"widget-{TIERS}",
        placeholder=t("filter.all_tiers"),
        format_func=lambda tier: words.word("tier", tier),
        on_change=_keep,
        args=(f"widget-{TIERS}", TIERS),
    )
    _to_url(version)


def current_filters(version: str) -> Filters:
    picked = st.session_state.get(_dates_key(version)) or _default_dates(version)
    start = picked[0]
    end = picked[1] if len(picked) > 1 else picked[0]  # while only the first day is picked
    return Filters(start, end, tuple(st.session_state.get(TIERS) or ()))
