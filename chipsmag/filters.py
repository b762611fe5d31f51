"""The shared filters (date range, actors, lever, category) and how they apply to each table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from chipsmag import vocab

LEVERS = vocab.values("events", "lever")
CATEGORIES = vocab.values("events", "category")
CATEGORY_LABELS = vocab.labels("events", "category")
LEVER_LABELS = vocab.labels("events", "lever")


@dataclass(frozen=True)
class Filters:
    """What the reader asked for. Empty tuples mean 'no restriction'."""

    start: dt.date
    end: dt.date
    actors: tuple[str, ...] = ()
    levers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    bounds: tuple[dt.date, dt.date] | None = field(default=None, compare=False)
    strong: bool = False  # only facts with an official or wire source (chipsmag.grading)
    asof: dt.date | None = None  # the record as known on this date (chipsmag.replay); None: as curated


def event_plot_date(date: str, precision: str) -> pd.Timestamp:
    """Where an event sits on a time axis: its day, or mid-month for a month-only date."""
    if precision == "month" or len(date) == 7:
        return pd.Timestamp(date[:7] + "-15")
    return pd.Timestamp(date)


def with_plot_dates(events: pd.DataFrame) -> pd.DataFrame:
    """Add ``plot_date`` (vectorised form of ``event_plot_date``)."""
    out = events.copy()
    month_only = (out["date_precision"] == "month") | (out["date"].str.len() == 7)
    text = out["date"].where(~month_only, out["date"].str[:7] + "-15")
    out["plot_date"] = pd.to_datetime(text, format="%Y-%m-%d")
    return out


def date_bounds(events: pd.DataFrame, searched_to: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the first event's month to the last event, or to the date sources were searched to
    where that is later (so the stretch with no recorded moves stays in view)."""
    dates = (events if "plot_date" in events else with_plot_dates(events))["plot_date"]
    first, last = dates.min().date(), dates.max().date()
    return dt.date(first.year, first.month, 1), max(last, searched_to) if searched_to else last


def apply_to_events(events: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Events that match every active filter. An event matches an actor filter if any of its
    actors is selected."""
    ev = events if "plot_date" in events else with_plot_dates(events)
    keep = (ev["plot_date"] >= pd.Timestamp(f.start)) & (ev["plot_date"] <= pd.Timestamp(f.end))
    if f.levers:
        keep &= ev["lever"].isin(f.levers)
    if f.categories:
        keep &= ev["category"].isin(f.categories)
    if f.actors:
        pattern = "(?:^|;)(?:" + "|".join(re.escape(a) for a in f.actors) + ")(?:;|$)"
        keep &= ev["actors"].str.contains(pattern, regex=True)
    return ev[keep]


def ids_in(values: pd.Series, ids) -> pd.Series:
    """``values.isin(ids)`` for large id sets: a plain set lookup (pandas' string isin is slow there)."""
    wanted = set(ids)
    return pd.Series([v in wanted for v in values.astype(object)], index=values.index, dtype=bool)


def apply_to_links(links: pd.DataFrame, visible_event_ids: pd.Series | set) -> pd.DataFrame:
    """Links whose two ends are both among the visible events."""
    ids = set(visible_event_ids)
    return links[ids_in(links["from_event"], ids) & ids_in(links["to_event"], ids)]


def apply_dates(frame: pd.DataFrame, column: str, f: Filters, fmt: str | None = None) -> pd.DataFrame:
    """Rows whose date column falls in the filter's range (month columns: any overlap)."""
    dates = pd.to_datetime(frame[column], format=fmt)
    if fmt == "%Y-%m":
        month_end = dates + pd.offsets.MonthEnd(0)
        keep = (month_end.dt.date >= f.start) & (dates.dt.date <= f.end)
    else:
        keep = (dates.dt.date >= f.start) & (dates.dt.date <= f.end)
    return frame[keep]


def apply_periods(
    frame: pd.DataFrame, f: Filters, start: str = "period_start", end: str = "period_end"
) -> pd.DataFrame:
    """Rows whose period (YYYY-MM months, first to last) overlaps the filter's range."""
    first = pd.to_datetime(frame[start], format="%Y-%m")
    last = pd.to_datetime(frame[end], format="%Y-%m") + pd.offsets.MonthEnd(0)
    return frame[(last.dt.date >= f.start) & (first.dt.date <= f.end)]


def apply_to_claims(claims: pd.DataFrame, f: Filters) -> pd.DataFrame:
    out = apply_dates(claims, "date", f)
    if f.actors:
        out = out[out["actor"].isin(f.actors)]
    return out


def filter_parts(f: Filters, actor_names: dict[str, str]) -> list[str]:
    """Each filter that narrows the record, in words: ['2025-01-01 to 2025-06-30', 'lever: magnets'];
    the page's 'filtered:' line joins them, a PDF brief lists them one a line."""
    parts = []
    if f.bounds is None or (f.start, f.end) != f.bounds:
        parts.append(f"{f.start.isoformat()} to {f.end.isoformat()}")
    if f.actors:
        parts.append("actors: " + ", ".join(actor_names.get(a, a) for a in f.actors))
    if f.levers:
        parts.append("lever: " + ", ".join(f.levers))
    if f.categories:
        parts.append("category: " + ", ".join(CATEGORY_LABELS.get(c, c) for c in f.categories))
    if f.strong:
        parts.append("only facts with an official or wire source")
    if f.asof is not None:
        parts.append(f"as known on {f.asof.isoformat()}")
    return parts


def describe(f: Filters, actor_names: dict[str, str]) -> str:
    """'filtered: 2025-01-01 to 2025-06-30 · actors: Nvidia · lever: magnets', or '' when none."""
    parts = filter_parts(f, actor_names)
    return "filtered: " + " · ".join(parts) if parts else ""


def fallback_bounds(searched_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Date bounds when the events table did not load: from the first tracked year to the date the
    sources were searched to (or today)."""
    return dt.date(2018, 1, 1), searched_to or dt.date.today()
