"""Each page's URL parameters, built once per data version (the pages themselves: app_pages/__init__.py)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from chipsmag import metrics, scenario, vocab
from chipsmag.loading import Dataset
from chipsmag.urlstate import Param
from components.data import today

# Scenario inputs in the URL: input name -> query key.
SCENARIO_KEYS = {
    "market_usd_b": "s_market",
    "serviceable_pct": "s_share",
    "licence_pct": "s_licence",
    "licence_start": "s_start",
    "fee_pct": "s_fee",
    "uptake_pct": "s_uptake",
    "substitution_pct": "s_subst",
}

RELATIONS = vocab.values("links", "relation")


def page_params(ds: Dataset) -> list[Param]:
    """Each page's own parameters (the shared filters are declared in components.filters)."""
    return list(_page_params(ds.version, today(), ds))


@st.cache_resource(max_entries=4)
def _page_params(version: str, on: dt.date, _ds: Dataset) -> tuple[Param, ...]:
    """Built once per data version and day: the id lists can be long; the State of play date runs to today."""
    ds = _ds
    events = ds.tables.get("events")
    links = ds.tables.get("links")
    measures = ds.tables.get("measures")
    names = tuple(r["name"] for r in ds.descriptor["resources"])
    return (
        Param("lanes", "Lanes", "one", ("lever", "side"), page="timeline"),
        Param("event", "Event", "one", tuple(events["id"]) if events is not None else (), page="timeline"),
        Param("zoom", "Zoom", "date_range", page="timeline"),
        Param("usgs", "USGS view", "one", ("mining", "reserves"), page="supply"),
        Param("edition", "USGS edition", "one", tuple(usgs_editions(ds)), page="supply"),
        Param("period", "Period", "one", linkage_periods(ds), page="linkage"),
        Param("relation", "Relation", "multi", RELATIONS, page="linkage"),
        Param("basis", "Basis", "multi", ("stated", "inferred"), page="linkage"),
        Param("link", "Link", "one", tuple(links["id"]) if links is not None else (), page="linkage"),
        Param("focus", "Focus", "one", tuple(events["id"]) if events is not None else (), page="linkage"),
        Param("table", "Table", "one", names, page="sources"),
        Param("chain", "Chain period", "one", linkage_periods(ds)[:-1], page="overview"),
        Param("on", "Date", "date", page="measures", bounds=state_bounds(ds, on)),
        Param("side", "Side", "one", ("US", "China"), page="measures"),
        Param("measure", "Measure", "one", tuple(measures["id"]) if measures is not None else (), page="measures"),
        Param("show", "Section", "one", ("History", "Claims", "Scenario"), page="revenue"),
        Param("preset", "Scenario preset", "one", tuple(scenario.PRESETS), page="revenue"),
        *(
            Param(key, scenario.LABELS[name], "number", page="revenue", limits=scenario.LIMITS[name][:2])
            for name, key in SCENARIO_KEYS.items()
            if name != "licence_start"
        ),
        Param("s_start", scenario.LABELS["licence_start"], "one", scenario.QUARTERS, page="revenue"),
    )


def state_bounds(ds: Dataset, on: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the State of play can be read on: from the first recorded state to today."""
    states = ds.tables.get("measure_states")
    first = dt.date.fromisoformat(states["from"].min()) if states is not None and len(states) else dt.date(2018, 1, 1)
    return first, max(on, first)


def usgs_editions(ds: Dataset) -> list[str]:
    supply = ds.tables.get("supply")
    return [] if supply is None else metrics.usgs_editions(supply)


def linkage_periods(ds: Dataset) -> tuple[str, ...]:
    """Years worth opening the linkage view and the chain on, then 'all'."""
    events, links = ds.tables.get("events"), ds.tables.get("links")
    years = () if events is None or links is None else metrics.link_years(events, links)
    return (*years, "all")


def param(ds: Dataset, key: str) -> Param:
    return next(p for p in _page_params(ds.version, today(), ds) if p.key == key)


def fallback_bounds(ds: Dataset) -> tuple[dt.date, dt.date]:
    """Date bounds when the events table did not load: from the first tracked year to the coverage end."""
    end = ds.coverage.searched_to if ds.coverage and ds.coverage.searched_to else dt.date.today()
    return dt.date(2018, 1, 1), end
