"""What every page shows the same way: the title with the publish it reads, tables with their
CSV download, empty states, headline figures with their change, charts."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, timedelta

import babel.numbers
import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

from dashboards import data, words
from dashboards.filters import Filters, current_filters
from dashboards.i18n import language, locale, t
from dashboards.queries import figure_details


def page_header(title_key: str, dated: bool = True) -> tuple[str, Filters]:
    """Title, the publish this page reads and the filters in force (the date range only on pages
    that show a period); stops the page with a clear message when nothing is published yet."""
    st.title(t(title_key))
    if title_key != "page.customer_360":
        st.query_params.pop("customer", None)  # the chosen customer belongs to Customer 360's link alone
    version = data.publish_version()
    if version is None:
        st.info(t("empty.not_published"))
        st.stop()
    info = data.publish_info(version)
    published = info["published_at"]
    if published:
        local = published.replace(tzinfo=UTC).astimezone(data.company_zone())
        caption = t("caption.published", at=f"{local:%Y-%m-%d %H:%M} {local:%Z} ({data.company_zone().key})")
    else:
        caption = t("caption.unknown")
    filters = current_filters(version)
    caption += " · " + filters.describe(dated)
    st.caption(caption)
    return version, filters


# the Customer 360 page's address relative to the app, with the customer it opens (views/customer_360.py)
CUSTOMER_360_URL = "customer_360?customer="
CUSTOMER_LINK = "open_customer"


def table(
    frame: pd.DataFrame,
    name: str,
    empty_key: str = "empty.no_rows",
    vocabulary: dict[str, str] | None = None,
    every_row: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """A table and its CSV download, or a clear empty state. `vocabulary`: the list a column's
    values come from where its name does not say (dashboards/words.py). `every_row`: the list
    without the page's cap (data.ROW_CAP), which the download gives when the page shows the cap."""
    if frame.empty:
        st.info(t(empty_key))
        return
    frame = data.in_company_time(frame)  # shown, and downloaded, as the company's clock reads
    # shown for a person, downloaded as the warehouse has it (names and values an analyst joins on)
    shown, labels = presentable(frame, vocabulary), column_labels(frame)
    if "customer_id" in frame.columns:  # every row about a customer opens their Customer 360
        shown.insert(0, CUSTOMER_LINK, CUSTOMER_360_URL + frame["customer_id"].fillna("").astype(str))
        labels[CUSTOMER_LINK] = st.column_config.LinkColumn(t("column.open"), display_text=t("link.open_customer"))
    # a value that is missing (not delivered yet, never rated) reads as a dash, not Python's "None"
    st.dataframe(shown, hide_index=True, width="stretch", column_config=labels, placeholder=MISSING)
    capped = len(frame) >= data.ROW_CAP
    if capped:
        st.caption(t("caption.capped" if every_row else "caption.capped_sql", rows=f"{data.ROW_CAP:,}"))
    st.download_button(
        t("button.download_csv"),
        # a list longer than the page's cap is made when clicked; one the page shows whole is at
        # hand (a few thousand rows take milliseconds)
        csv_of(every_row) if capped and every_row else frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
        on_click="ignore",
    )


def csv_of(every_row: Callable[[], pd.DataFrame]) -> Callable[[], bytes]:
    """A download's CSV made when it is clicked (Streamlit's deferred download): every row of the
    list, in the company's time, as the warehouse has its values."""
    return lambda: data.in_company_time(every_row()).to_csv(index=False).encode("utf-8")


MISSING = "—"  # how a table shows a value that is missing, in every language


def column_label(column: str) -> str:
    """The column's name in the chosen language where the catalogue has it (`field.<column>`),
    else its warehouse name in words: first_reply_business_minutes → "First reply business minutes"."""
    label = t(f"field.{column}")
    return label if label != f"field.{column}" else column.replace("_", " ").strip().capitalize()


def column_labels(frame: pd.DataFrame) -> dict:
    """st.dataframe's column_config: each column's label; numbers with thousands separators; a
    time's column names the zone its times are in (the company's: data.in_company_time)."""
    times = {column for column in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[column])}
    zone = data.company_zone().key if times else None
    return {
        column: st.column_config.NumberColumn(column_label(column), format="localized")
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        else f"{column_label(column)} ({zone})"
        if column in times
        else column_label(column)
        for column in frame.columns
    }


def decimals(magnitude: float) -> int:
    """Decimals a figure is shown with: a share or a probability (0.873) three, a bigger figure one."""
    return 3 if magnitude <= 1 else 1


def as_text(value) -> str:
    """One value of a field/value list in words: nothing for a missing one, yes or no, a number
    rounded with separators."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return t("value.yes") if value else t("value.no")
    if isinstance(value, float):
        return f"{value:,.{decimals(abs(value))}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def presentable(frame: pd.DataFrame, vocabulary: dict[str, str] | None = None) -> pd.DataFrame:
    """What a person reads: the warehouse's values in the chosen language (dashboards/words.py),
    true and false as words, no "None", numbers rounded (a share or a probability to three
    decimals, a bigger figure to one)."""
    shown = words.in_words(frame, vocabulary)
    yes_no = {True: t("value.yes"), False: t("value.no")}
    for column in shown.columns:
        values = shown[column]
        # infer_dtype looks at the values in C: a 5,000-row list is checked on every re-run
        if pd.api.types.is_bool_dtype(values) or (
            values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) == "boolean"
        ):
            shown[column] = values.map(yes_no).astype(object).where(values.notna(), "")
        elif pd.api.types.is_float_dtype(values):
            shown[column] = values.round(decimals(values.abs().max()))
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            shown[column] = values.where(values.notna(), "")
    return shown


# "column=value", as Plotly Express titles a facet's panel
COLUMN_IS_VALUE = re.compile(r"(?P<column>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^<%]*)")
# a line of a trace's hover text: "column=value" or "column=%{x}", "column: %{x}" (px.imshow)
HOVER_LINE = re.compile(r"(?P<start>^|<br>)(?P<column>[A-Za-z_][A-Za-z0-9_]*)(?P<sep>=|: )(?P<value>[^<%]*)")


@dataclass(frozen=True)
class Express:
    """A Plotly Express chart to draw: px.<kind>(frame, **options), then its layout updated."""

    kind: str
    frame: pd.DataFrame
    options: dict
    layout: dict


def express(kind: str, frame: pd.DataFrame, layout: dict | None = None, **options) -> Express:
    """What `chart` draws and keeps: `express("bar", monthly, x="month", y="orders")`."""
    return Express(kind, frame, options, layout or {})


def chart(
    drawing: Express,
    period_end: date | None = None,
    opens: Callable[[list], None] | None = None,
    key: str | None = None,
) -> None:
    """A Plotly Express chart as every page draws it. `period_end`: the last day a monthly figure
    counts; a month it ends before the month is over is marked as partial, so that it does not
    read as a collapse. `opens`: what a click on a bar shows, called with the bar's custom data
    (the warehouse's values of the columns the figure was given as `custom_data`, never the
    words the chart shows them in); the chart needs a `key` then."""
    figure = _drawn(
        drawing.kind,
        drawing.frame,
        json.dumps(drawing.options, sort_keys=True, default=str),
        json.dumps(drawing.layout, sort_keys=True, default=str),
        period_end,
        language(),
    )
    if opens is None:
        st.plotly_chart(figure, width="stretch")
        return
    picked = st.plotly_chart(figure, width="stretch", on_select="rerun", selection_mode="points", key=key)
    points = picked.selection.points if picked else []
    if not points:
        st.caption(t("chart.click_to_open"))
        return
    point = points[0]
    opens(list(figure.data[point["curve_number"]].customdata[point["point_index"]]))


# Plotly Express takes 30-80 ms to build a figure, most of a page's re-run: each figure is built
# once for its data, language and period, and the same object is drawn again (a resource, not
# copied; nothing changes a figure once it is drawn)
@st.cache_resource(show_spinner=False, max_entries=500)
def _drawn(kind: str, frame: pd.DataFrame, options: str, layout: str, period_end: date | None, language: str):
    figure = getattr(px, kind)(frame, **json.loads(options))
    figure.update_layout(**json.loads(layout))
    # a panel of a faceted chart is titled by its value in words ("物流"), not Plotly's "department=logistics"
    figure.for_each_annotation(
        lambda note: (
            note.update(text=words.value_in_words(found.group("column"), found.group("value")))
            if (found := COLUMN_IS_VALUE.fullmatch(note.text or ""))
            else None
        )
    )
    if figure.layout.xaxis.title.text == "month":
        # monthly figures get a tick per month (per quarter past a year), never Plotly's daily ones
        months = {str(x)[:7] for trace in figure.data for x in (trace.x if trace.x is not None else [])}
        figure.update_xaxes(dtick="M1" if len(months) <= 13 else "M3", tickformat="%Y-%m")
        last_day = period_end + timedelta(days=1) if period_end else None
        if last_day and last_day.day != 1 and f"{period_end:%Y-%m}" in months:
            month = period_end.replace(day=1)
            figure.add_vrect(
                x0=month - timedelta(days=15),
                x1=month + timedelta(days=15),
                fillcolor="grey",
                opacity=0.12,
                line_width=0,
                annotation_text=t("chart.partial_month", day=f"{period_end:%Y-%m-%d}"),
                annotation_position="top left",
            )
    elif (days := _days_on_x(figure)) is not None and (days.max() - days.min()).days < 7:
        # a few days' figures (the nights of value at risk, say): Plotly ticks them by the hour,
        # and a single day by the millisecond (23:59:59.999), neither of which a day has
        figure.update_xaxes(
            dtick=86_400_000,
            tickformat="%Y-%m-%d",
            range=[days.min() - timedelta(hours=12), days.max() + timedelta(hours=12)],
        )
    _values_in_words(figure)
    _labels_in_words(figure)
    _ticks_in_words(figure)
    return figure


def month_of(text: str | None) -> tuple[date, date] | None:
    """A month's first and last day from "2026-10" (a link's `month`), else None."""
    try:
        first = date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        return None
    following = (first + timedelta(days=31)).replace(day=1)
    return first, following - timedelta(days=1)


def opens_the_months_list(kpi: str | dict[str, str]) -> Callable[[list], None]:
    """What a click on a point of a monthly chart opens (ui.chart's `opens`): a link to the list
    its figure is counted from, that month only (views/figure_details.py). The point's custom data
    is [month], or [month, what its colour is]: a value of the column the figure is split by
    (figure_details.split_of: the list is that value's rows alone), or, where the chart draws
    several measures and `kpi` maps each measure to its list, the measure (one no list counts says
    so)."""

    def opens(point: list) -> None:
        month, coloured = f"{pd.Timestamp(point[0]):%Y-%m}", point[1] if len(point) > 1 else None
        listed = kpi.get(str(coloured)) if isinstance(kpi, dict) else kpi
        if listed is None:
            st.caption(t("chart.no_list", measure=column_label(str(coloured))))
            return
        split = None if isinstance(kpi, dict) else figure_details.split_of(listed)
        params = {"kpi": listed, "month": month, **({split: str(coloured)} if split else {})}
        st.page_link(
            "views/figure_details.py",
            label=t("chart.open_month", figure=t(f"kpi.{listed}"), month=month),
            icon=":material/arrow_forward:",
            query_params=params,
        )

    return opens


def opens_the_list(kpi: str) -> Callable[[list], None]:
    """What a click on a bar of a chart split by one column opens (ui.chart's `opens`; the bar's
    custom data starts with its value of figure_details.split_of(kpi); Plotly Express adds the
    hover data after it): a link to its rows of the list the figure is counted from, over the
    period chosen (views/figure_details.py)."""
    split = figure_details.split_of(kpi)

    def opens(point: list) -> None:
        value = point[0]
        st.page_link(
            "views/figure_details.py",
            label=t("chart.open_part", figure=t(f"kpi.{kpi}"), value=words.value_in_words(split, str(value))),
            icon=":material/arrow_forward:",
            query_params={"kpi": kpi, split: str(value)},
        )

    return opens


def _days_on_x(figure) -> pd.Series | None:
    """The x values when every one is a day (a date, or a time at midnight), else None."""
    values = [x for trace in figure.data for x in (trace.x if trace.x is not None else [])]
    if not values or not all(isinstance(x, (date, pd.Timestamp, np.datetime64)) for x in values):
        return None
    stamps = pd.Series(pd.to_datetime(values))
    return stamps if (stamps == stamps.dt.normalize()).all() else None


def _values_in_words(figure) -> None:
    """The data's values a chart shows (a legend's entries, a category axis, the hover text) in
    the chosen language, as tables show them (dashboards/words.py); read before the titles, which
    still name the columns the values come from."""
    legend = figure.layout.legend.title.text
    columns = {"x": figure.layout.xaxis.title.text, "y": figure.layout.yaxis.title.text}
    for trace in figure.data:
        if legend and trace.name:
            trace.update(name=words.value_in_words(legend, trace.name))
        for axis, column in columns.items():
            values = getattr(trace, axis, None)
            if column and values is not None and len(values) and all(isinstance(v, str) for v in values):
                trace.update({axis: [words.value_in_words(column, value) for value in values]})
        if getattr(trace, "hovertemplate", None):
            trace.update(hovertemplate=HOVER_LINE.sub(_hover_line_in_words, trace.hovertemplate))
    # every panel's axes of a faceted chart keep the categories' order, in words too
    for letter, each_axis in (("x", figure.for_each_xaxis), ("y", figure.for_each_yaxis)):
        if columns[letter]:
            each_axis(
                lambda axis, column=columns[letter]: (
                    axis.update(categoryarray=[words.value_in_words(column, value) for value in axis.categoryarray])
                    if axis.categoryarray
                    else None
                )
            )


def _hover_line_in_words(found: re.Match) -> str:
    value = words.value_in_words(found["column"], found["value"]) if found["value"] else ""
    return f"{found['start']}{column_label(found['column'])}{found['sep']}{value}"


BIG = 10_000  # a value axis reaching this far is ticked in the reader's units


def _ticks_in_words(figure) -> None:
    """A value axis of big numbers ticked in the reader's units: 60万 and 1.5亿 in Chinese, 600K
    and 150M in English (CLDR's compact forms, through babel), not Plotly's SI prefixes (600k,
    1.5G), which no Chinese reader, and no reader of money, uses. Plotly formats ticks with d3,
    which knows no 万: the ticks are chosen here (five steps of 1, 2, 2.5 or 5 × 10ⁿ) and labelled."""
    tops, bottoms = [0.0], [0.0]
    stacked_up, stacked_down = {}, {}  # stacked bars reach their sum at an x
    for trace in figure.data:
        if trace.type not in ("bar", "scatter") or trace.orientation == "h" or trace.y is None:
            continue
        values = pd.to_numeric(pd.Series(list(trace.y)), errors="coerce")
        if values.isna().all():
            return  # a category axis: nothing to tick
        if trace.type == "scatter" or figure.layout.barmode in ("group", "overlay"):
            tops.append(values.max())
            bottoms.append(values.min())
            continue
        places = list(trace.x) if trace.x is not None else list(range(len(values)))
        for place, value in zip(places, values.fillna(0), strict=False):
            stack = stacked_up if value > 0 else stacked_down
            stack[(trace.xaxis, str(place))] = stack.get((trace.xaxis, str(place)), 0.0) + value
    tops += list(stacked_up.values())
    bottoms += list(stacked_down.values())
    high, low = float(pd.Series(tops).max()), float(pd.Series(bottoms).min())
    if max(high, -low) < BIG:
        return
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [step * i for i in range(math.floor(low / step), math.ceil(high / step) + 1)]
    texts = [babel.numbers.format_compact_decimal(tick, locale=locale(), fraction_digits=1) for tick in ticks]
    figure.for_each_yaxis(lambda axis: axis.update(tickmode="array", tickvals=ticks, ticktext=texts))


def _labels_in_words(figure) -> None:
    """Axis and legend titles, and a line named after a measure (otif_pct), in the chosen
    language (column_label), never the warehouse's names; a line named after a value of the data
    (a department, a channel) keeps it, as tables do."""
    figure.for_each_xaxis(
        lambda axis: axis.update(title_text=column_label(axis.title.text)) if axis.title.text else None
    )
    figure.for_each_yaxis(
        lambda axis: axis.update(title_text=column_label(axis.title.text)) if axis.title.text else None
    )
    if figure.layout.legend.title.text:
        figure.update_layout(legend_title_text=column_label(figure.layout.legend.title.text))
    if figure.layout.coloraxis.colorbar.title.text:
        figure.update_layout(coloraxis_colorbar_title_text=column_label(figure.layout.coloraxis.colorbar.title.text))
    for trace in figure.data:
        if trace.name and t(f"field.{trace.name}") != f"field.{trace.name}":
            trace.update(name=column_label(trace.name))


def pct(value: float | None) -> str:
    return t("value.na") if value is None else f"{value:.1f} %"


def count(value: float | None) -> str:
    return t("value.na") if value is None else f"{value:,.0f}"


def money(value: float | None) -> str:
    """Compact, in the company's currency and the reader's units, so that a big revenue fits its
    card: CN¥307.2M in English, ¥3.1亿 in Chinese (CLDR's patterns, through babel)."""
    if value is None:
        return t("value.na")
    return babel.numbers.format_compact_currency(value, data.config().currency, locale=locale(), fraction_digits=1)


# how each headline figure reads (the Overview's cards, the Figure details page): a rate in
# per cent, NPS as a number from −100 to 100, revenue as money, the rest as counts
KPI_FORMATS = {
    "customers": count,
    "active": count,
    "revenue_12m": money,
    "csat": pct,
    "nps": count,
    "sla": pct,
    "otif": pct,
    "abandonment": pct,
    "open_promises": count,
    "high_churn": count,
    "touchpoints": count,
    "revenue": money,
    "comments": count,
    "journey": count,
    "perfect_order": pct,
    "installation_kept": pct,
}


def change(now: float | None, before: float | None, unit: str = "") -> str | None:
    """The change against the previous period as st.metric's delta, or None when unknown.
    `unit`: "money" (the company's currency), "points" (a rate's percentage points, in words)."""
    if now is None or before is None:
        return None
    if unit == "points":
        unit = t("unit.percentage_points")
    if unit == "money":
        sign = "+" if now >= before else "-"
        return sign + money(abs(now - before))
    return f"{now - before:+,.1f}{unit}" if unit else f"{now - before:+,.0f}"


def targets() -> dict[str, float]:
    """The overview's targets from the config (`targets:`), by figure."""
    return data.config().targets


def against_target(now: float | None, target: float, fmt, lower_is_better: bool) -> str:
    """'Target 85.0 %: met' (or missed, in the figure's own direction: abandonment is a ceiling)."""
    if now is None:
        return t("kpi.target", target=fmt(target))
    met = now <= target if lower_is_better else now >= target
    return t("kpi.target_met" if met else "kpi.target_missed", target=fmt(target))
