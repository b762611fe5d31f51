"""Chips for magnets, what the page shows (no Streamlit): the moves and links the filters keep, the
sequence of moves and answers, the tariff steps, the links counted by lever, and one link's card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from app_pages.linkage import charts, sequence
from chipsmag import metrics, vocab
from chipsmag.filters import Filters, apply_dates, apply_to_events, apply_to_links
from chipsmag.loading import Dataset
from chipsmag.text import format_event_date, md_escape
from chipsmag.urlstate import Param

RELATIONS = vocab.values("links", "relation")  # the descriptor's order: the order the filter lists them
BASES = vocab.values("links", "basis")
TABLE_COLUMNS = ["id", "from_event", "to_event", "relation", "basis", "evidence", "source_ids"]


def periods(ds: Dataset) -> tuple[str, ...]:
    """Years worth opening the linkage view on (at least five links end in them), then 'all'."""
    events, links = ds.tables.get("events"), ds.tables.get("links")
    years = () if events is None or links is None else metrics.link_years(events, links)
    return (*years, "all")


def default_period(options: list[str] | tuple[str, ...]) -> str:
    """The page opens on the last full year worth showing (the one before 'all'), or on 'all'."""
    return options[-2] if len(options) > 1 else options[-1]


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The page's URL parameters (``today`` is unused here: every page's ``params`` takes it)."""
    del today
    events, links = ds.tables.get("events"), ds.tables.get("links")
    return (
        Param("period", "Period", "one", periods(ds), page="linkage"),
        Param("relation", "Relation", "multi", RELATIONS, page="linkage"),
        Param("basis", "Basis", "multi", BASES, page="linkage"),
        Param("link", "Link", "one", tuple(links["id"]) if links is not None else (), page="linkage"),
        Param("focus", "Focus", "one", tuple(events["id"]) if events is not None else (), page="linkage"),
        Param("link_rows", "Table of these links", "flag", page="linkage"),
    )


@dataclass(frozen=True)
class Derived:
    """What the page reads from the data alone, derived once per data version by the app's caches
    (components.data.dated_events and hover_links, components.fixed.tariff_lines)."""

    events: pd.DataFrame  # every event, with plot_date and hover texts
    links: pd.DataFrame  # every link, with source_list (the sources named, for tooltips)
    tariff_lines: pd.DataFrame  # each side's headline additional rate (metrics.tariff_lines)


@dataclass(frozen=True)
class Card:
    """One link's evidence, as its card shows it: plain text fields (the page escapes them), the heading
    and the two ends as escaped Markdown."""

    link: str
    relation: str
    basis: str
    from_title: str
    from_when: str
    to_title: str
    to_when: str
    evidence: str
    source_ids: tuple[str, ...]

    @property
    def heading(self) -> str:
        """The relation and its basis (Markdown, escaped)."""
        return f"**{md_escape(self.relation.capitalize())}** ({md_escape(self.basis)})"

    @property
    def ends(self) -> str:
        """The two moves the link joins, on two lines (Markdown, escaped)."""
        return (
            f"From **{md_escape(self.from_title)}** ({md_escape(self.from_when)})  \n"
            f"to **{md_escape(self.to_title)}** ({md_escape(self.to_when)})"
        )


@dataclass(frozen=True)
class LinkageModel:
    events: pd.DataFrame  # the dated events the sidebar filters keep
    links: pd.DataFrame  # the links between them, of the chosen relations and bases
    total_links: int  # every link in the data
    moves: pd.DataFrame  # the period's moves that take part in one of those links, in date order
    focus: str | None  # the focused move, if it is one of ``moves``
    sequence: dict | None  # the moves and answers (None: no link in the period)
    sequence_sources: list[str]  # the sources of the links drawn
    domain: list[str]  # the tariff chart's time range
    tariff_moves: pd.DataFrame  # the tariff moves in that range, marked on the tariff chart
    tariffs: dict | None  # the tariff steps (None: no tariff row in the date range)
    tariff_sources: list[str]
    pairs: dict | None  # the links counted by lever (None: no link)
    link_sources: list[str]  # the sources of every link kept (the pairs chart and the table)
    card: Card | None  # the chosen link's card

    @property
    def move_ids(self) -> list[str]:
        return self.moves["id"].tolist()

    def move_labels(self, ids: list[str]) -> dict[str, str]:
        titles = self.moves.set_index("id")["title"]
        return {i: f"{i} · {titles.at[i]}" if i in titles.index else i for i in ids}

    @property
    def link_ids(self) -> list[str]:
        return self.links["id"].tolist()

    @property
    def hidden_moves(self) -> int:
        """Linked moves of the period the sequence leaves out (it draws the MAX_MOVES most recent)."""
        return max(len(self.moves) - sequence.MAX_MOVES, 0)

    @property
    def table(self) -> pd.DataFrame:
        """The links as a table; with each one's source strength where the links carry it."""
        if "strength" in self.links.columns:
            return self.links[TABLE_COLUMNS].assign(**{"source strength": self.links["strength"]})
        return self.links[TABLE_COLUMNS]


def link_labels(all_links: pd.DataFrame, ids: list[str]) -> dict[str, str]:
    """'L17 · E40 → E41 · quid pro quo' for each link id (any link of the data, filtered or not)."""
    rows = all_links.set_index("id").loc[ids]
    return {
        i: f"{i} · {a} → {b} · {r}"
        for i, a, b, r in zip(ids, rows["from_event"], rows["to_event"], rows["relation"], strict=True)
    }


def card(ds: Dataset, link: str | None) -> Card | None:
    links = ds.tables["links"].set_index("id")
    if link is None or link not in links.index:
        return None
    row, events = links.loc[link], ds.tables["events"].set_index("id")
    a, b = events.loc[row["from_event"]], events.loc[row["to_event"]]
    return Card(
        link,
        row["relation"],
        row["basis"],
        a["title"],
        format_event_date(a["date"], a["date_precision"]),
        b["title"],
        format_event_date(b["date"], b["date_precision"]),
        row["evidence"],
        tuple(row["source_ids"].split(";")),
    )


def build(
    ds: Dataset,
    filters: Filters,
    period: str,
    relations: list[str],
    basis: list[str],
    focus: str | None,
    link: str | None,
    derived: Derived,
) -> LinkageModel:
    """The page for these options. ``period`` is a year or 'all'; empty ``relations`` or ``basis``
    keep every link; ``focus`` (an event id) and ``link`` (a link id) are the chosen ones, if any."""
    t = ds.tables
    events = apply_to_events(derived.events, filters)
    links = apply_to_links(derived.links, events["id"])
    if relations:
        links = links[links["relation"].isin(relations)]
    if basis:
        links = links[links["basis"].isin(basis)]

    # The moves of the chosen period that take part in a link; the sequence draws the latest MAX_MOVES.
    in_period = events if period == "all" else events[events["plot_date"].dt.year == int(period)]
    drawn = apply_to_links(links, in_period["id"])
    moves = in_period[in_period["id"].isin(set(drawn["from_event"]) | set(drawn["to_event"]))]
    moves = moves.sort_values("plot_date")
    focus = focus if focus in set(moves["id"]) else None
    spec = None
    if not drawn.empty:
        shown = moves.tail(sequence.MAX_MOVES) if len(moves) > sequence.MAX_MOVES else moves
        drawn = apply_to_links(drawn, shown["id"]) if len(shown) < len(moves) else drawn
        countries = dict(zip(t["actors"]["id"], t["actors"]["country"], strict=True))
        spec = sequence.sequence_chart(shown, drawn, countries, derived.tariff_lines, focus)

    # The tariff steps on the same time range (the headline lines are summed over every row, then filtered).
    tariffs = apply_dates(t["tariffs"], "effective_date", filters)
    lines = apply_dates(derived.tariff_lines, "day", filters)
    domain = charts.linkage_domain(events, period)
    if not period.isdigit():  # every date: the '?' of a scheduled end after the last event too
        domain = charts.with_unknown_ends(domain, lines)
    lo, hi = domain
    tariff_moves = events[(events["category"] == "tariff") & (events["plot_date"] >= lo) & (events["plot_date"] <= hi)]
    tariff_spec = None
    if not tariffs.empty:
        end = ds.coverage.curated_to.isoformat() if ds.coverage and ds.coverage.curated_to else None
        tariff_spec = charts.tariff_chart(lines, tariffs, t["tariff_layers"], domain, end, tariff_moves)

    return LinkageModel(
        events=events,
        links=links,
        total_links=len(t["links"]),
        moves=moves,
        focus=focus,
        sequence=spec,
        sequence_sources=metrics.sources_of(drawn),
        domain=domain,
        tariff_moves=tariff_moves,
        tariffs=tariff_spec,
        tariff_sources=metrics.sources_of(tariffs),
        pairs=None if links.empty else charts.lever_pairs_chart(links, t["events"]),
        link_sources=metrics.sources_of(links),
        card=card(ds, link),
    )
