"""Supply, what the page shows: rare earths by country (one USGS edition and view), China's share and
concentration per stage, the monthly magnet exports with China's moves on the magnet lever, and the
gallium, germanium and graphite shares. Pure: no Streamlit.

The by-country, per-stage and minerals parts depend on the data alone (``fixed``: the app derives them
once per data version); the magnet exports follow the sidebar filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from app_pages.supply import charts
from chipsmag import chartbase, metrics
from chipsmag.filters import Filters, apply_periods, apply_to_events
from chipsmag.loading import Dataset
from chipsmag.text import md_escape
from chipsmag.urlstate import Param

VIEWS = ("mining", "reserves")
MINERALS = ("gallium", "germanium", "graphite")
SHARE_COLUMNS = ["stage_label", "year", "share_pct", "qualifier", "basis", "source_ids", "note"]


@dataclass(frozen=True)
class ByCountry:
    """One USGS edition's tonnages for one view, and what the page says about them."""

    tonnages: pd.DataFrame
    spec: dict | None  # None: no rows for this view and edition
    heading: str  # markdown, data text escaped
    source_ids: list[str]  # the world rows' sources too: the shares are computed on them


@dataclass(frozen=True)
class Stages:
    """China's share per stage (one row per source and year) and the concentration per stage."""

    shares: pd.DataFrame
    table: pd.DataFrame  # the shares as the page's table shows them
    share_spec: dict
    hhi_spec: dict
    source_ids: list[str]


@dataclass(frozen=True)
class Minerals:
    spec: dict
    source_ids: list[str]


@dataclass(frozen=True)
class Exports:
    """The magnet-export periods the filters select, with China's moves on the magnet lever."""

    rows: pd.DataFrame
    marks: pd.DataFrame
    spec: dict | None  # None: no period in the filters' range
    note: str  # the caption under the chart (plain text)
    source_ids: list[str]


@dataclass(frozen=True)
class SupplyModel:
    by_country: ByCountry
    stages: Stages
    exports: Exports
    minerals: Minerals


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The page's URL parameters: the USGS view and edition (the newest edition first)."""
    del today  # the editions depend on the data alone
    supply = ds.tables.get("supply")
    editions = () if supply is None else tuple(metrics.usgs_editions(supply))
    return (
        Param("usgs", "USGS view", "one", VIEWS, page="supply"),
        Param("edition", "USGS edition", "one", editions, page="supply"),
    )


def by_country(ds: Dataset, view: str, edition: str | None) -> ByCountry:
    supply = ds.tables["supply"]
    tonnages = metrics.usgs_tonnages(supply, view, edition)
    years = ", ".join(str(y) for y in sorted(tonnages["year"].unique()))
    heading = (
        f"Showing **USGS Mineral Commodity Summaries {md_escape(str(edition)[4:])}**, {md_escape(view)} for {years}."
    )
    cited = supply[(supply["edition"] == edition).fillna(False) & (supply["stage"] == view)]
    spec = None if tonnages.empty else charts.usgs_country_chart(tonnages, view)
    return ByCountry(tonnages, spec, heading, metrics.sources_of(cited))


def stages(ds: Dataset, source_names: dict[str, str]) -> Stages:
    supply = ds.tables["supply"]
    shares = metrics.china_stage_shares(supply)
    concentration = metrics.stage_concentration(supply, shares)
    return Stages(
        shares,
        shares[SHARE_COLUMNS],
        charts.stage_share_chart(shares, source_names),
        charts.hhi_chart(concentration),
        metrics.sources_of(shares),
    )


def minerals(ds: Dataset, source_names: dict[str, str]) -> Minerals:
    supply = ds.tables["supply"]
    rows = supply[supply["mineral"].isin(MINERALS)]
    return Minerals(charts.minerals_chart(supply, source_names), metrics.sources_of(rows))


def magnet_moves(events: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """China's own moves on the magnet lever (controls and licences, the ones that move exports)
    dated within the months ``first`` to ``last`` (YYYY-MM)."""
    return events[
        (events["lever"] == "magnets")
        & events["category"].isin(["rare_earth", "export_control"])
        & (events["actors"].str.split(";").str[0].str.startswith("cn_"))
        & (events["date"].str[:7] >= first)
        & (events["date"].str[:7] <= last)
    ]


def exports(magnet_exports: pd.DataFrame, events: pd.DataFrame, f: Filters) -> Exports:
    """The export periods overlapping the filters' dates; ``events`` are the dated events (with
    their hover texts), filtered here like every event on the page."""
    rows = apply_periods(magnet_exports, f)
    if rows.empty:
        return Exports(rows, events.iloc[0:0], None, "", [])
    marks = magnet_moves(apply_to_events(events, f), rows["period_start"].min(), rows["period_end"].max())
    combined = rows[rows["period_start"] != rows["period_end"]]
    spans = ", ".join(
        chartbase.period_label(a, b) for a, b in zip(combined["period_start"], combined["period_end"], strict=True)
    )
    note = "Light grey: computed. n/a: a month not known on its own."
    if spans:
        note += f" A wide bar is one figure reported for several months together ({spans}): it is never split."
    newest = chartbase.period_label(rows["period_start"].iloc[-1], rows["period_end"].iloc[-1])
    note += (
        f" Last reported period: {newest}; later months are not in the data. Do not compare with the "
        "broader 'rare earths' or 'rare-earth products' customs series."
    )
    return Exports(rows, marks, charts.magnet_exports_chart(rows, marks), note, metrics.sources_of(rows))


@dataclass(frozen=True)
class Fixed:
    """The parts that depend on the data alone (the app derives them once per data version)."""

    by_country: ByCountry
    stages: Stages
    minerals: Minerals


def fixed(ds: Dataset, source_names: dict[str, str], view: str, edition: str | None) -> Fixed:
    return Fixed(by_country(ds, view, edition), stages(ds, source_names), minerals(ds, source_names))


def magnet_exports(ds: Dataset, filters: Filters, events: pd.DataFrame) -> Exports:
    """The part of the page the filters change: the magnet exports they select."""
    return exports(ds.tables["magnet_exports"], events, filters)


def build(
    ds: Dataset, filters: Filters, events: pd.DataFrame, data_only: Fixed, moved: Exports | None = None
) -> SupplyModel:
    """Everything the page shows: the data-only parts (``fixed``) and the magnet exports that the
    filters select (``moved``, where the app has them built already); ``events`` are the dated
    events with their hover texts."""
    moved = moved if moved is not None else magnet_exports(ds, filters, events)
    return SupplyModel(data_only.by_country, data_only.stages, moved, data_only.minerals)
