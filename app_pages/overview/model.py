"""What the Overview shows, from the data, the filters and the chosen year (no Streamlit).

The headline figures are fixed facts (the sidebar filters do not change them); the chain of moves
follows the filters. The ids the page quotes come from content/quoted.toml ``[overview]``: an id the
data does not hold becomes a message naming the file and the entry, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from app_pages.overview import charts
from chipsmag import chartbase, content, grading, metrics
from chipsmag.coverage import RESOLVED, deadline_states
from chipsmag.filters import Filters, apply_to_events, apply_to_links, with_plot_dates
from chipsmag.loading import Dataset
from chipsmag.text import format_event_date, md_escape, usd_m
from chipsmag.urlstate import Param

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Card:
    """One headline figure: a metric, the markdown under it and its sources; or, where the data
    cannot give it, an ``info`` (not in the data) or an ``error`` (a quoted id is missing)."""

    label: str = ""
    value: str = ""
    delta: str | None = None
    help: str | None = None
    arrow: bool = False  # the delta's arrow (off for figures that are not changes)
    markdown: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""
    info: str = ""
    error: str = ""


@dataclass(frozen=True)
class Chain:
    year: str | None
    title: str
    events: pd.DataFrame  # the linked events of the year, after the filters
    spec: dict | None
    more: str  # a caption when only the first MAX_CHAIN_EVENTS are drawn
    sources: tuple[str, ...]
    quote: str  # Lutnick's words on the magnets, when the link's moves are in view
    error: str  # the quoted link is not in the data


@dataclass(frozen=True)
class OverviewModel:
    latest: tuple[Card, Card, Card]
    began: tuple[Card, Card, Card]
    shares: tuple[Card, ...]
    share_sources: tuple[str, ...]
    deadlines: str | None  # the scheduled dates as a markdown list
    deadline_sources: tuple[str, ...]
    chain: Chain


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The page's URL parameter: the year of the chain of moves."""
    del today  # the chain's years depend on the data alone
    return (Param("chain", "Chain of moves in", "one", chain_years(ds), page="overview"),)


def chain_years(ds: Dataset) -> tuple[str, ...]:
    """Years worth opening the chain on (at least five links end in them), oldest first."""
    events, links = ds.tables.get("events"), ds.tables.get("links")
    return () if events is None or links is None else metrics.link_years(events, links)


def build(
    ds: Dataset,
    filters: Filters,
    year: str | None,
    today: dt.date,
    events: pd.DataFrame | None = None,
    shares: pd.DataFrame | None = None,
    quoted: Path | None = None,
) -> OverviewModel:
    """``events``: the events with plot dates, ``shares``: China's stage shares (the page passes its
    cached copies; both are derived from ``ds`` when left out). ``quoted``: the file of quoted ids
    (content/quoted.toml when left out)."""
    t = ds.tables
    quoted = quoted or content.CONTENT_FILE
    events = with_plot_dates(t["events"]) if events is None else events
    shares = metrics.china_stage_shares(t["supply"]) if shares is None else shares
    shown_shares = _shares(shares)
    states = deadline_states(t["deadlines"], t.get("events"), today) if "deadlines" in t else None
    return OverviewModel(
        latest=(_nvidia_latest(t), _exports_latest(t), _tariffs_now(ds)),
        began=(_nvidia_fy25(t), _h20_charge(t, quoted, filters.strong), _exports_may_2025(t)),
        shares=tuple(card for card, _rows in shown_shares),
        share_sources=_sources([rows for _card, rows in shown_shares if rows is not None]),
        deadlines=None if states is None else _deadline_lines(states),
        deadline_sources=() if states is None else _sources([states]),
        chain=_chain(t, events, filters, year, quoted),
    )


def _sources(frames: list[pd.DataFrame]) -> tuple[str, ...]:
    return tuple(metrics.sources_of(pd.concat(frames))) if frames else ()


def _split(ids: str) -> list[str]:
    return ids.split(";")


def _quoted_rows(tables: dict, name: str, path: Path) -> tuple[pd.DataFrame | None, str]:
    """The rows of one ``[overview]`` entry, in its order, or a message naming the file and entry."""
    where = _shown_path(path)
    try:
        q = content.quoted("overview", name, path)
    except content.ContentError as exc:
        return None, f"This figure cannot be shown: {where} cannot give [overview] {name} ({exc})."
    missing = content.missing(tables, q)
    if missing:
        return None, (
            f"This figure cannot be shown: {where}, entry [overview] {name}, names {', '.join(missing)}, "
            f"which the {q.table} table does not hold."
        )
    return tables[q.table].set_index("id").loc[list(q.ids)], ""


def _shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


# 1. The latest sourced figures.


def _nvidia_latest(t: dict) -> Card:
    latest = metrics.latest_quarter(t["revenue"], "nvidia")
    if latest.empty:
        return Card(info="No reported Nvidia quarter in the data.")
    dc = latest["value_usd_m"].get("data_center")
    claims = t["claims"]
    guide = claims[(claims["actor"] == "nvidia") & (claims["topic"] == "revenue_guidance")].sort_values("date")
    cited = metrics.sources_of(latest.reset_index())
    markdown = ""
    if len(guide):
        g = guide.iloc[-1]
        markdown = (
            f"Outlook given {md_escape(g['date'])}: about **{md_escape(usd_m(g['value']))}** for the next "
            f"quarter. *{md_escape(g['quote'])}*"
        )
        cited += _split(g["source_ids"])
    return Card(
        f"Nvidia revenue, {latest['fiscal_period'].iloc[0]}",
        usd_m(latest.at["total", "value_usd_m"]),
        f"Data Center {usd_m(dc)}" if dc is not None else None,
        help=f"Quarter ended {latest['period_end'].iloc[0]}. China revenue for the quarter is not in the data "
        "unless a filing or release gave it.",
        markdown=markdown,
        sources=tuple(cited),
    )


def _exports_latest(t: dict) -> Card:
    last = metrics.latest_exports(t["magnet_exports"])
    if last is None:
        return Card(info="No reported month of magnet exports in the data.")
    yoy = last["total_yoy_pct"]
    markdown = ""
    if pd.notna(last["tonnes_to_us"]):
        us_yoy = last["to_us_yoy_pct"]
        change = f", {us_yoy:+.1f}% on a year earlier" if pd.notna(us_yoy) else ""
        markdown = f"To the United States: **{last['tonnes_to_us']:,.0f} t**{md_escape(change)}."
    return Card(
        f"China's magnet exports, {chartbase.period_label(last['period_start'], last['period_end'])}",
        f"{last['tonnes_total']:,.0f} t",
        f"{yoy:+.1f}% on a year earlier (as reported)" if pd.notna(yoy) else "year-on-year change not reported",
        help="Rare-earth permanent magnets, all destinations. China Customs, as reported.",
        arrow=True,
        markdown=markdown,
        sources=tuple(_split(last["source_ids"])),
        note="The newest month reported in the sources read.",
    )


def _tariffs_now(ds: Dataset) -> Card:
    t, cov = ds.tables, ds.coverage
    cov_end = cov.curated_to.isoformat() if cov and cov.curated_to else None
    if cov_end is None or "tariffs" not in t or "tariff_layers" not in t:
        return Card(info="Tariff layers are not available.")
    state = metrics.tariffs_in_force(t["tariffs"], t["tariff_layers"], cov_end)
    known = state[state["status"] == "in_force"]
    us, cn, charged = known["side"] == "US", known["side"] == "CN", known["rate_pct"] > 0
    us_general = known[us & (known["scope"] == "general") & charged]
    cn_general = known[cn & (known["scope"] == "general") & charged]
    products = known[us & (known["scope"] == "product_lines") & charged]
    lines = [f"- {md_escape(n)}: **{r:g}%**" for n, r in zip(products["name"], products["rate_pct"], strict=True)]
    lines.append(f"- China on all US goods: **{cn_general['rate_pct'].sum():g}%**")
    return Card(
        f"US tariff on all Chinese goods, {format_event_date(cov_end, 'day')}",
        f"{us_general['rate_pct'].sum():g}%",
        " + ".join(f"{n} {r:g}%" for n, r in zip(us_general["name"], us_general["rate_pct"], strict=True))
        or "no general layer",
        help="Headline statutory rate on all Chinese goods at the coverage end: the sum of the general layers "
        "in force. Named-product layers are listed below it, not added.",
        markdown="\n".join(lines),
        sources=tuple(metrics.sources_of(known)),
        note="The tariff layers in force at the coverage end.",
    )


# 2. Where the story began: the figures it started from, kept as context.


def _nvidia_fy25(t: dict) -> Card:
    rev = t["revenue"]
    fy25 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "FY2025")].set_index("metric")
    if not {"china_incl_hk", "total"} <= set(fy25.index):
        return Card(info="Nvidia's FY2025 China and total revenue are not in the data.")
    china, total = fy25.at["china_incl_hk", "value_usd_m"], fy25.at["total", "value_usd_m"]
    return Card(
        "Nvidia China revenue, FY2025",
        usd_m(china),
        f"{china / total * 100:.1f}% of {usd_m(total)} total revenue",
        help="China including Hong Kong, by customer billing location. Fiscal year ended 2025-01-26.",
        sources=tuple(_split(fy25.at["china_incl_hk", "source_ids"])),
        note="FY2025 10-K, filed 2025-02-26.",
    )


def _h20_charge(t: dict, path: Path, strong: bool = False) -> Card:
    rows = {}
    for name in ("china_outlook", "booked_charge", "huang_15b"):
        found, error = _quoted_rows(t, name, path)
        if error:
            return Card(info=grading.HIDDEN_NOTE) if strong else Card(error=error)
        rows[name] = found.iloc[0]
    expected, booked, huang = rows["china_outlook"], rows["booked_charge"], rows["huang_15b"]
    return Card(
        "H20 charge booked, Q1 FY2026",
        usd_m(booked["value"]),
        f"expected: up to {usd_m(expected['value'])} (8-K, {expected['date']})",
        help="Booked: Q1 FY2026 results, 2025-05-28. Expected: 8-K of 2025-04-15, 'up to approximately'.",
        markdown=f"Beside it, Jensen Huang in an interview ({md_escape(huang['date'])}): "
        f"*walked away from **{md_escape(usd_m(huang['value']))}** of sales*, an estimate, not a filed figure.",
        sources=(*_split(expected["source_ids"]), *_split(booked["source_ids"]), *_split(huang["source_ids"])),
    )


def _exports_may_2025(t: dict) -> Card:
    months = t["magnet_exports"].set_index("period_start")
    if "2025-05" not in months.index:
        return Card(info="China's magnet exports of May 2025 are not in the data.")
    may = months.loc["2025-05"]
    return Card(
        "China's magnet exports, May 2025",
        f"{may['tonnes_total']:,.0f} t",
        f"{may['total_yoy_pct']:.0f}% year on year",
        help=f"To the US: {may['tonnes_to_us']:,.1f} t ({may['to_us_yoy_pct']:.1f}% y/y). China Customs, as reported.",
        arrow=True,
        sources=tuple(_split(may["source_ids"])),
        note="The low point after China's April 2025 licensing.",
    )


def _shares(shares: pd.DataFrame) -> list[tuple[Card, pd.DataFrame | None]]:
    """China's share of each stage in the newest year that stage has: a range where sources disagree."""
    out = []
    for stage in metrics.STAGE_ORDER:
        rows = shares[shares["stage"] == stage]
        if rows.empty:
            out.append((Card(stage.capitalize(), "n/a", arrow=True), None))
            continue
        rows = rows[rows["year"] == rows["year"].max()]
        low, high = rows["share_pct"].min(), rows["share_pct"].max()
        basis = rows["basis"].iloc[0] if rows["basis"].nunique() == 1 else "several bases"
        card = Card(
            f"{stage.capitalize()}, {rows['year'].iloc[0]}",
            f"{low:.0f}%" if low == high else f"{low:.0f}-{high:.0f}%",
            f"{len(rows)} sources disagree: shown as a range" if low != high else basis,
        )
        out.append((card, rows))
    return out


# 3. Scheduled dates.


def _deadline_lines(states: pd.DataFrame) -> str:
    """A list, not a table: the state must stay readable on a phone."""
    return "\n".join(
        f"- **{md_escape(row.when)}**: {md_escape(row.title)}: *{md_escape(row.state)}*"
        + (f" ({md_escape(row.outcome)})" if row.state == RESOLVED else "")
        for row in states.itertuples()
    )


# 4. One year's chain of moves (filters apply).


def _chain(t: dict, events: pd.DataFrame, f: Filters, year: str | None, path: Path) -> Chain:
    visible = apply_to_events(events, f)
    links = apply_to_links(t["links"], visible["id"])
    chain = charts.chain_events(visible, links, year) if year else visible.iloc[0:0]
    title = f"The {year} chain of moves" if year else "The chain of moves"
    if chain.empty:
        return Chain(year, title, chain, None, "", (), "", "")
    more = ""
    if len(chain) > charts.MAX_CHAIN_EVENTS:
        more = f"Showing the first {charts.MAX_CHAIN_EVENTS} of {len(chain):,} linked events of {year}."
    quoted, error = _quoted_rows(t, "magnets_quote", path)
    quote = ""
    if quoted is not None:
        link = quoted.iloc[0]  # Lutnick: "We put that in the trade deal with the magnets"
        if chain["id"].isin([link["from_event"], link["to_event"]]).any():
            reported = md_escape(format_event_date("2025-07-16", "day"))
            quote = f"> {md_escape(link['evidence'])}  \n> — reported {reported}"
    spec = charts.chain_chart(chain, year)
    error = "" if f.strong else error  # the quoted link left the view with the secondary-only facts
    return Chain(year, title, chain, spec, more, tuple(metrics.sources_of(chain)), quote, error)
