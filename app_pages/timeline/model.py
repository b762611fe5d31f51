"""What the timeline shows (no Streamlit): the filtered events, the zoom window and the events in it,
whether they are drawn one by one or as monthly counts, the chart specs, one page of the events
table, and the chosen event's card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from app_pages.timeline import charts
from chipsmag import metrics
from chipsmag.filters import CATEGORY_LABELS, Filters, apply_to_events
from chipsmag.loading import Dataset
from chipsmag.text import format_event_date, md_escape
from chipsmag.urlstate import Param

Window = tuple[pd.Timestamp, pd.Timestamp]
TABLE_ROWS = 100  # events on one page of the table


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The timeline's URL parameters: the lanes, the chosen event, the zoom window and whether the table
    of the events is open."""
    del today  # the timeline's parameters do not run to today
    events = ds.tables.get("events")
    return (
        Param("lanes", "Lanes by", "one", ("lever", "side"), page="timeline"),
        Param("event", "Event", "one", tuple(events["id"]) if events is not None else (), page="timeline"),
        Param("zoom", "Zoom", "date_range", page="timeline"),
        Param("rows", "Table of these events", "flag", page="timeline"),
    )


def parse_window(values: list[str]) -> Window | None:
    """Two ISO dates from the link, in either order; None for anything else (the link review names it)."""
    if len(values) != 2:
        return None
    try:
        days = sorted(pd.Timestamp(v) for v in values if len(v) == 10)
    except ValueError:
        return None
    return (days[0], days[1]) if len(days) == 2 else None


def window_of(brush: dict) -> Window | None:
    """The brush's interval as two days (Vega sends milliseconds since 1970, or dates)."""
    values = next(iter(brush.values()), None) if isinstance(brush, dict) else None
    if not isinstance(values, list | tuple) or len(values) != 2:
        return None
    try:
        days = sorted(pd.Timestamp(v, unit="ms") if isinstance(v, int | float) else pd.Timestamp(v) for v in values)
    except (ValueError, TypeError):
        return None
    return days[0].normalize(), days[1].normalize()


def clamp(window: Window | None, first: pd.Timestamp, last: pd.Timestamp) -> Window | None:
    """The window within the filtered events' span; None where it covers all of it or none of it."""
    if window is None:
        return None
    start, end = max(window[0], first.normalize()), min(window[1], last)
    if start > end or (start <= first and end >= last):
        return None
    return start, end


@dataclass(frozen=True)
class TablePage:
    """One page of the events table: every filtered event is on some page, in date order."""

    frame: pd.DataFrame  # the rows as shown: id, date, title, category, lever, actors, source
    ids: list[str]  # the events of the rows, in the rows' order (a row click is an index into it)
    page: int  # 1 to pages
    pages: int
    total: int  # events over all pages

    @property
    def rows_line(self) -> str:
        """'Rows 101-200 of 1,234' (the rows of this page among all the filtered events)."""
        first = (self.page - 1) * TABLE_ROWS + 1
        return f"Rows {first:,}-{first + len(self.ids) - 1:,} of {self.total:,}"


def table_page(ordered: pd.DataFrame, page: int, actor_names: dict[str, str], urls: pd.Series) -> TablePage:
    """The ``page``-th TABLE_ROWS events of ``ordered`` (a page past either end shows the nearest one);
    only these rows are formatted. ``urls`` maps a source id to its address (the row's first source)."""
    pages = max(1, -(-len(ordered) // TABLE_ROWS))
    page = min(max(int(page), 1), pages)
    shown = ordered.iloc[(page - 1) * TABLE_ROWS : page * TABLE_ROWS]
    frame = pd.DataFrame(
        {
            "id": shown["id"],
            "date": [format_event_date(d, p) for d, p in zip(shown["date"], shown["date_precision"], strict=True)],
            "title": shown["title"],
            "category": shown["category"].map(CATEGORY_LABELS),
            "lever": shown["lever"],
            "actors": shown["actors"].map(lambda a: ", ".join(actor_names[x] for x in a.split(";"))),
            "source": shown["source_ids"].map(lambda s: urls.get(s.split(";")[0])),
            "source strength": shown["strength"] if "strength" in shown.columns else "",
        }
    )
    return TablePage(frame, shown["id"].tolist(), page, pages, len(ordered))


@dataclass(frozen=True)
class Card:
    """The chosen event as its card reads: plain text fields (the page escapes them), and the meta line
    and link lines as escaped Markdown."""

    id: str
    title: str
    when: str
    category: str
    lever: str
    context_only: bool
    description: str
    actors: str
    source_ids: list[str]
    links: list[tuple[str, str, str, str, str]]  # (answered by / answers, other event, its title, relation, basis)

    @property
    def meta_line(self) -> str:
        """When, which category and lever (Markdown, escaped)."""
        badge = " · context only" if self.context_only else ""
        return f"{md_escape(self.when)} · {md_escape(self.category)} · lever: {md_escape(self.lever)}{badge}"

    @property
    def link_lines(self) -> list[str]:
        """One Markdown list item per link to or from the event (escaped)."""
        return [
            f"- {arrow} **{md_escape(other)}** {md_escape(title)} ({md_escape(relation)}, {md_escape(basis)})"
            for arrow, other, title, relation, basis in self.links
        ]


def card(ds: Dataset, actor_names: dict[str, str], event_id: str) -> Card:
    t = ds.tables
    by_id = t["events"].set_index("id")
    ev = by_id.loc[event_id]
    links = t["links"]
    related = links[(links["from_event"] == event_id) | (links["to_event"] == event_id)]
    lines = []
    for link in related.itertuples():
        other = link.to_event if link.from_event == event_id else link.from_event
        arrow = "answered by" if link.from_event == event_id else "answers"
        lines.append((arrow, other, by_id.at[other, "title"], link.relation, link.basis))
    return Card(
        id=event_id,
        title=ev["title"],
        when=format_event_date(ev["date"], ev["date_precision"]),
        category=CATEGORY_LABELS[ev["category"]],
        lever=ev["lever"],
        context_only=bool(ev["context_only"]),
        description=ev["description"],
        actors=", ".join(actor_names[a] for a in ev["actors"].split(";")),
        source_ids=ev["source_ids"].split(";"),
        links=lines,
    )


def event_labels(events: pd.DataFrame, ids: list[str]) -> dict[str, str]:
    """Each id's line in the card's selectbox: 'E28 · 9 Apr 2025 · title'."""
    rows = events.set_index("id").loc[ids]
    return {
        i: f"{i} · {format_event_date(d, p)} · {title}"
        for i, d, p, title in zip(ids, rows["date"], rows["date_precision"], rows["title"], strict=True)
    }


@dataclass(frozen=True)
class TimelineModel:
    events: pd.DataFrame  # the filtered events, in the table's order (by date)
    chosen: str | None  # the event whose card is open (and highlighted on the chart)
    window: Window | None  # the zoom window within the events' span; None: every date shown
    shown_window: Window | None  # the dates the chart spans (None: no events)
    in_view: pd.DataFrame  # the events the chart draws
    counts_only: bool  # too many events in view to draw one by one: monthly counts, nothing to click
    overview: dict | None  # the overview strip (None: no events)
    chart: dict | None  # the labelled chart or the monthly counts (None: no events)
    source_ids: list[str]  # the sources of the events in view
    table: TablePage

    @property
    def caption(self) -> str:
        """What the chart under the overview strip shows, and how to read it."""
        if self.counts_only:
            return (
                f"{len(self.in_view):,} events are too many to draw one by one: markers show monthly counts. "
                "Zoom or narrow the filters to see and click individual events."
            )
        start, end = self.shown_window or (None, None)
        return (
            f"{len(self.in_view):,} events from {start:%d %b %Y} to {end:%d %b %Y}. Each label is the event's id and "
            "title; where labels would crowd, some markers stay unlabelled (hover, or zoom in: in a window of "
            f"{charts.LABEL_ALL_UNDER} events or fewer every event is labelled). Hollow markers: context-only events. "
            "Month-only dates are drawn at mid-month. Click a marker, or a row of the table below, to open its card."
        )


def build(
    ds: Dataset,
    filters: Filters,
    dated: pd.DataFrame,
    actor_names: dict[str, str],
    *,
    lanes: str = "lever",
    zoom: Window | None = None,
    chosen: str | None = None,
    picked_id: str | None = None,
    picked_row: int | None = None,
    table_page_no: int = 1,
) -> TimelineModel:
    """The timeline of the events that pass ``filters``. ``dated`` are the events with plot dates and
    tooltip texts (``components.data.dated_events``); ``zoom`` the window asked for (the link or the
    brush); ``chosen`` the event open so far. A click since the last run replaces it: ``picked_id`` on
    the chart, or ``picked_row`` (an index into the rows of page ``table_page_no``) in the table; a
    click on an event the filters leave out changes nothing."""
    t = ds.tables
    events = apply_to_events(dated, filters)
    ordered = events.sort_values("plot_date")
    table = table_page(ordered, table_page_no, actor_names, t["sources"].set_index("id")["url"])
    if picked_row is not None and 0 <= picked_row < len(table.ids):
        picked_id = table.ids[picked_row]
    if picked_id is not None and picked_id in set(events["id"]):
        chosen = picked_id
    if events.empty:
        return TimelineModel(ordered, chosen, None, None, events, False, None, None, [], table)
    first, last = events["plot_date"].min(), events["plot_date"].max()
    window = clamp(zoom, first, last)
    shown_window = window or (first, last)
    in_view = events[(events["plot_date"] >= shown_window[0]) & (events["plot_date"] <= shown_window[1])]
    counts_only = len(in_view) > charts.MAX_EVENT_POINTS
    if counts_only:
        chart = charts.timeline_counts_chart(in_view, t["actors"], lanes)
    else:
        chart = charts.labelled_chart(in_view, t["actors"], lanes, shown_window, chosen)
    overview = charts.overview_strip(events, window)
    return TimelineModel(
        ordered, chosen, window, shown_window, in_view, counts_only, overview, chart, metrics.sources_of(in_view), table
    )
