"""The shared sidebar filters: date range, actors, lever, category. All bound to the URL."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from chipsmag import grading
from chipsmag.filters import CATEGORIES, CATEGORY_LABELS, LEVERS, Filters
from chipsmag.urlstate import Param
from components.frame import drawn
from components.urlbind import register

LEVER_SHORT = {lv: lv.capitalize() for lv in LEVERS}


def shared_params(actor_names: dict[str, str], bounds: tuple[dt.date, dt.date]) -> list[Param]:
    return [
        Param("dates", "Date range", "date_range", bounds=bounds),
        Param("actor", "Actors", "multi", tuple(actor_names.values()), ids=tuple(actor_names)),
        Param("lever", "Lever", "multi", tuple(LEVER_SHORT.values()), ids=tuple(LEVER_SHORT)),
        Param("category", "Category", "multi", tuple(CATEGORY_LABELS[c] for c in CATEGORIES), ids=tuple(CATEGORIES)),
        Param("strong", "Only facts with an official or wire source", "flag"),
        Param("asof", "As known on", "date", bounds=(bounds[0], max(bounds[1], dt.date.today()))),
    ]


def sidebar(params: list[Param], actor_names: dict[str, str], bounds: tuple[dt.date, dt.date]) -> Filters:
    p = {x.key: x for x in params}
    # A range given end first (only a URL can do that) is swapped on a rerun, before the widget
    # exists, so the widget and the URL both show the corrected range.
    if (fixed := st.session_state.pop("_dates_fix", None)) is not None:
        st.session_state[p["dates"].key] = fixed
    with st.sidebar:
        st.markdown("**Filters** (shared by every page)")
        picked = drawn(
            st.date_input,
            p["dates"],
            value=bounds,
            min_value=bounds[0],
            max_value=bounds[1],
            format="YYYY-MM-DD",
            help="Events, links, claims, tariffs and monthly exports inside this range.",
        )
        dates = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
        reset = st.session_state.pop("_reset_dates", None)  # the link's range was dropped by the review
        if reset is not None and dates != tuple(reset):
            st.session_state["_dates_fix"] = tuple(reset)
            st.rerun()
        if len(dates) == 2 and dates[0] > dates[1]:
            st.session_state["_dates_fix"] = (dates[1], dates[0])
            st.rerun()
        start = dates[0] if dates else bounds[0]
        end = dates[1] if len(dates) > 1 else bounds[1]
        actors = drawn(
            st.multiselect,
            p["actor"],
            list(actor_names),
            format_func=actor_names.get,
            placeholder="All actors",
            help="Keep events in which any selected actor takes part.",
        )
        levers = drawn(
            st.pills,
            p["lever"],
            list(LEVERS),
            format_func=LEVER_SHORT.get,
            selection_mode="multi",
            help="Chips: US chip controls and China's counter-moves on US chips. Magnets: China's "
            "rare-earth and critical-mineral lever. Both: tariffs and deals linking the two.",
        )
        categories = drawn(
            st.multiselect,
            p["category"],
            list(CATEGORIES),
            format_func=CATEGORY_LABELS.get,
            placeholder="All categories",
        )
        strong = drawn(
            st.toggle,
            p["strong"],
            help=grading.HELP + " On: facts backed by secondary sources only leave every page.",
        )
        asof = drawn(
            st.date_input,
            p["asof"],
            label="As known on (replay the record)",
            value=None,
            min_value=p["asof"].bounds[0],
            max_value=p["asof"].bounds[1],
            format="YYYY-MM-DD",
            help="Empty: the record as curated today. A date: only what had been published by then (each fact's "
            "earliest source), values as first reported, measures as known then.",
        )
    asof = asof if isinstance(asof, dt.date) else None
    filters = Filters(
        start, end, tuple(actors), tuple(levers), tuple(categories), bounds=bounds, strong=strong, asof=asof
    )
    register_filters(p, filters, actor_names)
    return filters


def url_values(f: Filters, actor_names: dict[str, str]) -> dict[str, tuple[object, object]]:
    """Each shared filter's value as the widgets hold it (labels, dates), with the value a link leaves
    out; ``chipsmag.urlstate.encode_query`` writes them (ids for labels)."""
    values: dict[str, tuple[object, object]] = {
        "dates": ((f.start, f.end), f.bounds),
        "actor": ([actor_names[a] for a in f.actors], []),
        "lever": ([LEVER_SHORT[lv] for lv in f.levers], []),
        "category": ([CATEGORY_LABELS[c] for c in f.categories], []),
        "strong": (f.strong, False),
    }
    if f.asof is not None:
        values["asof"] = (f.asof, None)
    return values


def register_filters(p: dict[str, Param], f: Filters, actor_names: dict[str, str]) -> None:
    """Record the shared filters for the share link."""
    for key, (value, default) in url_values(f, actor_names).items():
        register(p[key], value, default)


def from_url(params: list[Param], actor_names: dict[str, str], bounds: tuple[dt.date, dt.date]) -> Filters:
    """The shared filters as the URL gives them, with no widget drawn (the embed page): ids or
    labels in any case; what is not understood is left out, as the widgets leave it out."""
    p = {x.key: x for x in params}

    def ids(key: str) -> tuple[str, ...]:
        param = p[key]
        labels = [param.match(v) for v in st.query_params.get_all(key)]
        return tuple(dict.fromkeys(param.ids[param.options.index(lb)] for lb in labels if lb is not None))

    days = []
    for text in st.query_params.get_all(p["dates"].key)[:2]:
        try:
            days.append(dt.date.fromisoformat(text))
        except ValueError:
            days = []
            break
    start, end = bounds
    if len(days) == 2 and all(bounds[0] <= d <= bounds[1] for d in days):
        start, end = min(days), max(days)
    strong = st.query_params.get(p["strong"].key, "").strip().casefold() == "true"
    lo, hi = p["asof"].bounds
    try:
        asof = dt.date.fromisoformat(st.query_params.get(p["asof"].key, ""))
    except ValueError:
        asof = None
    asof = asof if asof is not None and lo <= asof <= hi else None
    filters = Filters(start, end, ids("actor"), ids("lever"), ids("category"), bounds=bounds, strong=strong, asof=asof)
    register_filters(p, filters, actor_names)
    return filters
