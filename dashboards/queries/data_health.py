"""The queries of the Data health page (dashboards/views/data_health.py), on dashboards.data's
connection and caches: every value a user picked reaches DuckDB as a bound parameter."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from c360.run_history import read_run_history
from dashboards.data import ROW_CAP, config, query, row_limit
from dashboards.i18n import t


def run_history(limit: int = 20) -> pd.DataFrame:
    """The last runs, failed ones included (a failed run publishes nothing, so this is read
    from the run log beside the warehouse, not from the published file)."""
    return describe_runs(read_run_history(config().warehouse_dir, limit))


def describe_runs(runs: list[dict]) -> pd.DataFrame:
    """One row a run, in words: how it ended (a success whose checks warned says so, a failure
    says why), its checks, the rows it loaded and quarantined, and the publish's file name (the
    server's folders are nobody's business on a dashboard)."""

    def outcome(run: dict) -> str:
        if not run.get("success"):
            return t("run.failed", why=run.get("failure") or t("value.na"))
        warned = run.get("checks_failed") or 0
        return t("run.succeeded_with_warnings", n=warned) if warned else t("run.succeeded")

    return pd.DataFrame(
        {
            "started_at": pd.to_datetime([run.get("started_at") for run in runs]),
            "outcome": [outcome(run) for run in runs],
            "checks_passed": [run.get("checks_passed") for run in runs],
            "checks_failed": [run.get("checks_failed") for run in runs],
            "rows_loaded": [sum((run.get("rows_by_source") or {}).values()) for run in runs],
            "rows_quarantined": [sum((run.get("quarantined_by_source") or {}).values()) for run in runs],
            "minutes": [round((run.get("seconds") or 0) / 60, 1) for run in runs],
            "published": [Path(run["published"]).name if run.get("published") else "" for run in runs],
            "run_id": [run.get("run_id") for run in runs],
        }
    )


@st.cache_data(show_spinner=False)
def publishes(version: str) -> pd.DataFrame:
    """Each publish, and per source how far its load reached: a time in the source's own
    spelling (an offset, a Z, or none: UTC, as the warehouse keeps times), as one UTC time per
    source, which the page shows in the company's zone like every other time."""
    frame = query(
        version, "select run_id, published_at, source_watermarks from ops.publish_log order by published_at desc"
    )
    reached = pd.DataFrame([json.loads(v) if isinstance(v, str) else {} for v in frame.pop("source_watermarks")])
    for schema in reached.columns:
        utc = pd.to_datetime(reached[schema], utc=True, errors="coerce", format="ISO8601").dt.tz_convert(None)
        frame[f"{schema.removeprefix('raw_')}_read_up_to"] = utc.to_numpy()
    return frame


@st.cache_data(show_spinner=False)
def source_freshness(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select source,
               max(reconciled_at) as last_loaded_at,
               date_diff('hour', max(reconciled_at), (select max(published_at) from ops.publish_log))
                   as hours_before_publish,
               sum(rows_read) as rows_read,
               sum(rows_loaded) as rows_loaded,
               sum(rows_quarantined) as rows_quarantined,
               sum(rows_already_loaded) as rows_already_loaded,
               bool_and(is_balanced) as is_balanced
        from ops.load_reconciliation
        group by source
        order by source
        """,
    )


@st.cache_data(show_spinner=False)
def quality_results(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select source, table_name,
               count(*) as expectations_checked,
               count(*) filter (where not success) as failed,
               sum(unexpected_count) as unexpected_values,
               max(checked_at) as last_checked_at
        from ops.quality_results
        group by all
        order by failed desc, source, table_name
        """,
    )


@st.cache_data(show_spinner=False)
def quarantine(version: str, limit: int | None = ROW_CAP) -> pd.DataFrame:
    return query(
        version,
        f"""
        select quarantined_at, source, table_name, origin, reasons
        from ops.quarantine
        order by quarantined_at desc
        {row_limit(limit)}
        """,
    )


@st.cache_data(show_spinner=False)
def identity_health(version: str) -> dict:
    row = query(
        version,
        """
        select
            (select count(*) from marts.customer_identity_map) as source_records,
            (select count(*) from marts.dim_customer where customer_type <> 'unidentified') as customers,
            (select count(*) from marts.dim_customer where customer_type = 'unidentified') as unidentified,
            (select count(*) from marts.customer_identity_map where match_method = 'probabilistic')
                as probabilistic_matches,
            (select count(*) from identity.shared_identifiers) as shared_identifiers,
            (select 100.0 * avg(cast(is_contactable as integer)) from marts.dim_customer
                where customer_type <> 'unidentified') as contactable_pct
        """,
    ).iloc[0]
    return {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}


@st.cache_data(show_spinner=False)
def identity_runs(version: str) -> pd.DataFrame:
    """Per level (organizations, persons) what went in and what came out, in figures that add
    up: records = joined by a rule + joined by splink + alone, and records − resolved into =
    merged away (marts.customer_identity_summary, counted at the night's build); beside them
    splink's pairs compared, links and threshold of the last run."""
    return query(
        version,
        """
        with counted as (
            select * from marts.customer_identity_summary
        ),
        splink as (
            select case level when 'organizations' then 'organization' else 'person' end as level,
                   pairs_compared, probabilistic_links as splink_links, threshold
            from identity.match_runs
            where run_id = (select arg_max(run_id, finished_at) from identity.match_runs)
        )
        select level, records, resolved_into, merged_away, joined_by_rule,
               joined_by_splink, alone, pairs_compared, splink_links, threshold
        from counted left join splink using (level)
        order by level
        """,
    )


@st.cache_data(show_spinner=False)
def shared_identifiers(version: str) -> pd.DataFrame:
    return query(
        version,
        "select identifier_type, count(*) as values_excluded from identity.shared_identifiers group by all order by 1",
    )


@st.cache_data(show_spinner=False)
def reachability_rows(version: str) -> pd.DataFrame:
    """Data rot as the warehouse has it: for each month and channel, the persons known then by
    reachability (the reachable ones first, then each reason), with their share in percent. The
    pages show the channels and reasons in the reader's language (dashboards/words.py)."""
    return query(
        version,
        """
        select month_start_date as month, channel, coalesce(unreachable_reason, 'reachable') as reachability, contacts,
               100.0 * share_of_contacts as share_pct
        from marts.customer_reachability_monthly
        order by month, channel, is_reachable desc, contacts desc, unreachable_reason
        """,
    )


@st.cache_data(show_spinner=False)
def persons_of_reachability(version: str, channel: str, reachability: str, limit: int | None = ROW_CAP) -> pd.DataFrame:
    """The persons a bar of tonight's month of reachability_rows counts (`reachability`: a reason,
    or 'reachable'): customer_contacts judges every person as that month does."""
    if channel not in ("phone", "email"):  # a part of a column's name, so never a value from outside
        raise ValueError(f"no channel {channel!r}: phone or email")
    return query(
        version,
        f"""
        select customer_id, person_id, display_name, {channel}_unreachable_reason as unreachable_reason,
               last_touch_at
        from marts.customer_contacts
        where coalesce({channel}_unreachable_reason, 'reachable') = $reachability
        order by customer_id, person_id
        {row_limit(limit)}
        """,
        {"reachability": reachability},
    )


@st.cache_data(show_spinner=False)
def reachable_share_by_month(version: str) -> pd.DataFrame:
    """Per month, the share of the persons known then reachable by phone and by e-mail."""
    return query(
        version,
        """
        select month_start_date as month,
               100.0 * sum(share_of_contacts) filter (where channel = 'phone' and is_reachable) as phone_pct,
               100.0 * sum(share_of_contacts) filter (where channel = 'email' and is_reachable) as email_pct
        from marts.customer_reachability_monthly
        group by month_start_date
        order by month_start_date
        """,
    ).fillna({"phone_pct": 0.0, "email_pct": 0.0})


@st.cache_data(show_spinner=False)
def contactability(version: str) -> pd.DataFrame:
    return query(
        version,
        """
        select customer_type,
               count(*) as customers,
               100.0 * avg(cast(is_contactable as integer)) as contactable_pct,
               100.0 * avg(cast(primary_email is not null as integer)) as with_email_pct,
               100.0 * avg(cast(primary_phone is not null as integer)) as with_phone_pct
        from marts.dim_customer
        group by all
        order by customers desc
        """,
    )
