"""The queries of the Satisfaction page (dashboards/views/satisfaction.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.data import ROW_CAP, Period, query, row_limit, tier_filter, with_tiers


@st.cache_data(show_spinner=False)
def satisfaction_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    return query(
        version,
        f"""
        select cast(date_trunc('month', response_date) as date) as month, channel,
               sum(responses) as responses,
               100.0 * sum(satisfied) / nullif(sum(rated), 0) as csat_pct,
               100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(nps_responses), 0) as nps,
               sum(ces_avg * responses) filter (where ces_avg is not null)
                   / nullif(sum(responses) filter (where ces_avg is not null), 0) as ces_avg
        from marts.satisfaction_daily
        where response_date between $start_date and $end_date {tier_filter(tiers)}
        group by all
        order by month, channel
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def satisfaction_by(version: str, dimension: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """CSAT, NPS and CES by segment or by product family over the period."""
    column = {"segment": "segment", "product_family": "product_family"}[dimension]  # a fixed choice, not user text
    return query(
        version,
        f"""
        select {column},
               count(*) as responses,
               100.0 * count(*) filter (where is_satisfied) / nullif(count(is_satisfied), 0) as csat_pct,
               100.0 * (count(*) filter (where is_nps_promoter) - count(*) filter (where is_nps_detractor))
                   / nullif(count(nps_score), 0) as nps,
               avg(ces_score) as ces_avg
        from marts.satisfaction_responses
        where response_date between $start_date and $end_date {tier_filter(tiers)}
        group by all
        order by responses desc
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


# what can go wrong in the 30 days before an answer: each a flag had_<precursor>_30d of
# marts.satisfaction_responses, named once for the chart and for the answers a bar opens
PRECURSORS = ("late_delivery", "overdue_installation", "long_wait", "reopened_ticket")


@st.cache_data(show_spinner=False)
def bad_rating_precursors(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """For each thing that can go wrong: the share of bad and of other answers it preceded."""
    shares = ",\n".join(f"100.0 * avg(cast(had_{precursor}_30d as integer)) as {precursor}" for precursor in PRECURSORS)
    return query(
        version,
        f"""
        with answers as (
            select * from marts.satisfaction_responses
            where response_date between $start_date and $end_date {tier_filter(tiers)}
        )
        unpivot (
            select is_bad, count(*) as answers, {shares}
            from answers
            group by is_bad
        ) on {", ".join(PRECURSORS)}
        into name precursor value pct_of_answers
        order by precursor, is_bad desc
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def answers_after(
    version: str,
    start: date,
    end: date,
    tiers: tuple[str, ...],
    precursor: str,
    is_bad: bool,
    limit: int | None = ROW_CAP,
) -> pd.DataFrame:
    """The answers a bar of bad_rating_precursors counts: the period's bad (or other) answers that
    followed the precursor within 30 days, the newest first."""
    if precursor not in PRECURSORS:  # a name of a column, so never a value from outside the list
        raise ValueError(f"no precursor {precursor!r}: one of {', '.join(PRECURSORS)}")
    return query(
        version,
        f"""
        select customer_id, responded_at, channel, is_bad, is_satisfied, nps_score, ces_score, comment
        from marts.satisfaction_responses
        where response_date between $start_date and $end_date {tier_filter(tiers)}
              and is_bad = $is_bad and had_{precursor}_30d
        order by responded_at desc, response_id
        {row_limit(limit)}
        """,
        {**with_tiers(Period(start, end).params(), tiers), "is_bad": bool(is_bad)},
    )


@st.cache_data(show_spinner=False)
def themes_by_month(version: str, start: date, end: date, tiers: tuple[str, ...]) -> pd.DataFrame:
    """What customers wrote about, per month and theme (the lexicon of seed verbatim_themes)."""
    return query(
        version,
        f"""
        select cast(response_month as date) as month, theme, sum(comments) as comments,
               sum(bad_comments) as bad_comments
        from marts.satisfaction_themes_monthly
        where response_month between date_trunc('month', cast($start_date as date)) and $end_date
              {tier_filter(tiers)}
        group by all
        order by month, theme
        """,
        with_tiers(Period(start, end).params(), tiers),
    )


@st.cache_data(show_spinner=False)
def verbatims(
    version: str, start: date, end: date, tiers: tuple[str, ...], theme: str | None, limit: int | None = ROW_CAP
) -> pd.DataFrame:
    """The customers' own words in the period, the newest first; of one theme when one is picked."""
    theme_filter = " and list_contains(string_split(themes, ', '), $theme)" if theme else ""
    params = with_tiers(Period(start, end).params(), tiers)
    return query(
        version,
        f"""
        select customer_id, responded_at, channel, score, comment, themes
        from marts.satisfaction_verbatims
        where response_date between $start_date and $end_date {tier_filter(tiers)}{theme_filter}
        order by responded_at desc, response_id
        {row_limit(limit)}
        """,
        {**params, "theme": theme} if theme else params,
    )
