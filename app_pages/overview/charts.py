"""The overview page's charts: pure functions of frames and options that return Vega-Lite specs."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    EVENT_TOOLTIP,
    category_color,
    day_text,
    event_rows,
    vl_spec,
)
from chipsmag.filters import ids_in

MAX_CHAIN_EVENTS = 40


def chain_events(events: pd.DataFrame, links: pd.DataFrame, year: str) -> pd.DataFrame:
    """The events (with plot_date) of one year that a link connects, in date order."""
    in_year = events[events["plot_date"].dt.year == int(year)]
    ids = set(links["from_event"]) | set(links["to_event"])
    return in_year[ids_in(in_year["id"], ids)].sort_values("plot_date")


def _chain_domain(dates: pd.Series) -> list[str]:
    """From just before the first move to well after the last: the labels run to the right of their
    points, so the axis leaves them room (about 60% of the moves' span, and a month more)."""
    first, last = dates.min(), dates.max()
    span = last - first
    return day_text(pd.Series([first - pd.Timedelta(days=15), last + span * 0.6 + pd.Timedelta(days=30)]))


def chain_chart(chain: pd.DataFrame, year: str) -> dict:
    """A compact view of one year's chain (from ``chain_events``) as Vega-Lite: one row per event,
    the first MAX_CHAIN_EVENTS of them, each labelled with its title."""
    data = event_rows(chain.head(MAX_CHAIN_EVENTS))
    encoding = {
        "x": {
            "field": "day",
            "type": "temporal",
            "title": None,
            "scale": {"domain": _chain_domain(chain["plot_date"])},
            "axis": {"format": "%b %Y", "gridColor": "#eeeeee"},
        },
        "y": {"field": "id", "type": "nominal", "sort": data["id"].tolist(), "axis": None},
        "description": {"field": "aria"},
        "tooltip": EVENT_TOOLTIP,
    }
    layers = [
        {
            "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
            "encoding": {**encoding, "color": category_color()},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 9, "fontSize": 12, "limit": 420},
            "encoding": {**encoding, "text": {"field": "title"}},
        },
    ]
    return vl_spec(f"The {year} chain of moves (linked events only)", layers, data, height={"step": 28})
