"""The overview page's charts: pure functions of frames and options that return Vega-Lite specs."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    EVENT_TOOLTIP,
    as_records,
    category_color,
    cut_word,
    day_text,
    event_rows,
    fill,
    text_width,
    vl_spec,
)
from chipsmag.filters import ids_in

MAX_CHAIN_EVENTS = 40
# The chain's labels are written in full, wrapped to the room beside their points. The chart carries
# one layout per plot width in LAYOUT_PX: each fits any plot at least that wide (a 390 px phone leaves
# the plot about 340 px), and the browser draws the widest layout that fits the plot it has; the
# chart's height follows the lines drawn. Which side of its point a label takes is also decided there:
# the right where it fits, else the left.
LAYOUT_PX = (320, 520, 800)
FONT = 12
LINE_PX = 14  # one line of a label; a blank line separates two moves
DX = 9  # from a point to its label
EDGE = 2  # labels keep this far from the plot's edges
MAX_LINE_PX = 520  # a label's widest line (estimated), however wide the plot


def chain_events(events: pd.DataFrame, links: pd.DataFrame, year: str) -> pd.DataFrame:
    """The events (with plot_date) of one year that a link connects, in date order."""
    in_year = events[events["plot_date"].dt.year == int(year)]
    ids = set(links["from_event"]) | set(links["to_event"])
    return in_year[ids_in(in_year["id"], ids)].sort_values("plot_date")


def _chain_domain(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From just before the first move to well after the last: the labels run to the right of their
    points where they can, so the axis leaves them room (about 60% of the moves' span, and a month more)."""
    first, last = dates.min(), dates.max()
    span = last - first
    return first - pd.Timedelta(days=15), last + span * 0.6 + pd.Timedelta(days=30)


def wrap(text: str, room: float) -> list[str]:
    """``text`` in lines no wider than ``room`` pixels (at FONT), broken at spaces; a word wider than
    the room is broken inside."""

    def fits(line: str) -> bool:
        return text_width(line, FONT) <= room

    words = text.split()
    return fill(" ".join(words), fits, lambda word: cut_word(word, fits)) if words else []


def chain_layout(chain: pd.DataFrame, plot_px: float) -> pd.DataFrame:
    """Each move's label (``chain_events``, in date order) laid out for a plot ``plot_px`` wide: its
    lines, wrapped to the room on the roomier side of its point, and the widest line's width (px, an
    upper bound). The label fits on that side in any plot at least ``plot_px`` wide."""
    first, last = _chain_domain(chain["plot_date"])
    share = (chain["plot_date"] - first) / (last - first)  # where each point sits across the plot
    rows = pd.DataFrame({"id": chain["id"].tolist()})
    rows["lines"] = [
        wrap(title, min(MAX_LINE_PX, max(1 - f, f) * plot_px - DX - EDGE))
        for title, f in zip(chain["title"], share, strict=True)
    ]
    rows["width"] = [max(text_width(line, FONT) for line in lines) for lines in rows["lines"]]
    return rows


def _line_rows(events: pd.DataFrame, chain: pd.DataFrame) -> list[dict]:
    """One row per line of every label in every layout, and a blank line after each move: ``slot``
    numbers the lines top down within a layout, ``point`` marks the line its point sits beside."""
    out = []
    widths = (0, *LAYOUT_PX[1:], 1_000_000)  # the narrowest layout also serves a narrower plot
    for n, px in enumerate(LAYOUT_PX):
        layout, slot = chain_layout(chain, px), 0
        for event, lines, width in zip(as_records(events), layout["lines"], layout["width"], strict=True):
            for i, text in enumerate([*lines, ""]):
                line = {"text": text, "w": width, "slot": slot, "point": i == 0}
                out.append({**event, **line, "from_px": widths[n], "to_px": widths[n + 1]})
                slot += 1
    return out


def chain_chart(chain: pd.DataFrame, year: str) -> dict:
    """A compact view of one year's chain (from ``chain_events``) as Vega-Lite: one row per event,
    the first MAX_CHAIN_EVENTS of them, each labelled with its title in full."""
    shown = chain.head(MAX_CHAIN_EVENTS)
    first, last = _chain_domain(shown["plot_date"])
    x = {
        "field": "day",
        "type": "temporal",
        "title": None,
        "scale": {"domain": day_text(pd.Series([first, last]))},
        "axis": {"format": "%b %Y", "gridColor": "#eeeeee"},
    }
    y = {"field": "slot", "type": "ordinal", "axis": None}
    # The label goes right of its point where the plot leaves it room, else left of it.
    right = f"scale('x', toDate(datum.day)) + {DX} + datum.w <= width - {EDGE}"
    layers = [
        {
            "transform": [{"filter": "datum.point"}],
            "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "color": category_color(),
                "description": {"field": "aria"},
                "tooltip": EVENT_TOOLTIP,
            },
        },
        {
            "mark": {
                "type": "text",
                "fontSize": FONT,
                "baseline": "middle",
                "align": {"expr": f"{right} ? 'left' : 'right'"},
                "dx": {"expr": f"{right} ? {DX} : {-DX}"},
                "aria": False,
            },
            "encoding": {"x": x, "y": y, "text": {"field": "text"}, "tooltip": EVENT_TOOLTIP},
        },
    ]
    spec = vl_spec(
        f"The {year} chain of moves (linked events only)",
        layers,
        pd.DataFrame(_line_rows(event_rows(shown), shown)),
        height={"step": LINE_PX},
    )
    # The layout for the plot's width: the browser keeps one layout's rows, and the height follows them.
    return {**spec, "transform": [{"filter": "datum.from_px <= width && width < datum.to_px"}]}
