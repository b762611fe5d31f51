"""The shared chart base: colours, title lines, encodings and spec helpers every page's charts use.

Every chart is a Vega-Lite spec (a dict) drawn by ``st.vega_lite_chart``. One palette serves every
chart, so a colour means the same thing everywhere: categories use Okabe-Ito, relations use Paul
Tol's 'vibrant' set, sides use blue (US) and vermillion (China). Every string that comes from data
is HTML-escaped before it reaches a tooltip or label, so markup in a title or quote shows as text.
Events on a time series are drawn by one helper (``event_marks``), alike on every page.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable, Sequence

import pandas as pd

from chipsmag.filters import CATEGORY_LABELS, LEVER_LABELS
from chipsmag.text import format_event_date

CATEGORY_COLORS = {
    "export_control": "#56B4E9",
    "tariff": "#E69F00",
    "rare_earth": "#009E73",
    "negotiation": "#0072B2",
    "corporate": "#D55E00",
    "investment": "#CC79A7",
    "market": "#000000",
}

RELATION_COLORS = {
    "retaliation": "#CC3311",
    "escalation": "#EE7733",
    "quid pro quo": "#0077BB",
    "concession": "#009988",
    "de-escalation": "#33BBEE",
}

SIDE_COLORS = {"US": "#0072B2", "China": "#D55E00", "Rest of world": "#BBBBBB"}

LEVER_LANES = ("chips", "both", "magnets")

SIDE_LANES = ("US government", "China government", "Companies", "Other governments")

FONT = "Source Sans Pro, sans-serif"

MAX_EVENT_LINES = 40
MAX_EVENT_MARKS = 300  # events on a time series past which each day gets one mark, its events counted
ID_PX, PHONE_PLOT_PX = 34, 330  # an event id's room (four characters at 10 px, and a gap); a phone's plot


def esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


# A chart title is not wrapped for us: a phone (390 px) cut lines estimated at 283-318 px (at
# TITLE_SIZE, ``text_width``) short with '…', and kept lines up to 265 px whole.
TITLE_SIZE, TITLE_PX = 13, 270


def _title_room(title: str) -> int:
    """How many of the title's first characters fit on one line of TITLE_PX."""
    used = 0.0
    for n, c in enumerate(title):
        used += char_em(c) * TITLE_SIZE
        if used > TITLE_PX:
            return n
    return len(title)


def title_lines(title: str) -> list[str]:
    """A long title broken into lines that fit a phone (TITLE_PX): after a colon or comma where one
    falls in the first line, else before a parenthesis, else at spaces."""
    room = _title_room(title)
    if room == len(title):
        return [title]
    cut = max(title.rfind(": ", 0, room), title.rfind(", ", 0, room))
    if cut >= 10:
        return [title[: cut + 1], *title_lines(title[cut + 2 :])]
    cut = title.rfind(" (", 0, room)
    if cut >= 10:
        return [title[:cut], *title_lines(title[cut + 1 :])]
    return fill(title, lambda line: text_width(line, TITLE_SIZE) <= TITLE_PX)


def fill(text: str, fits: Callable[[str], bool], split: Callable[[str], list[str]] | None = None) -> list[str]:
    """The words of ``text`` (separated by single spaces) on lines, each taking the next word while the
    line still ``fits``. A word that does not fit a line alone is cut into lines by ``split`` where one
    is given (``cut_word``, or a URL's own), else stands alone on its line."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += " " + word
        elif split is not None and not fits(word):
            lines.extend(split(word))
        else:
            lines.append(word)
    return lines


def cut_word(word: str, fits: Callable[[str], bool]) -> list[str]:
    """A word too long for a line as pieces that each fit, cut between characters (each piece at
    least one character)."""
    pieces: list[str] = []
    while not fits(word) and len(word) > 1:
        cut = 1
        while fits(word[: cut + 1]):
            cut += 1
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


# A label's lines for a ``labelExpr`` (an axis's or a legend's), where ``wrapped`` joined them by newlines.
LINES = "split(datum.label, '\\n')"


def wrapped(label: str, width: int) -> str:
    """A label on lines of about ``width`` characters, joined by newlines (axes and legends split them
    with ``LINES``): a long label stays whole on a phone instead of being cut short with '…'."""
    return "\n".join(fill(label, lambda line: len(line) <= width))


def line_count(label: str) -> int:
    """How many lines a label joined by newlines takes."""
    return label.count("\n") + 1


# Vega-Lite legends under the plot: at the side they took the plot's width on a phone (390 px).
VEGA_CONFIG = {"legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 360}}


def vega_title(title: str) -> str | dict:
    """A Vega-Lite title, as lines where it is long (Vega-Lite cuts a long title short with '…')."""
    lines = title_lines(title)
    return title if len(lines) == 1 else {"text": lines}


def row_tuples(frame: pd.DataFrame, *columns: str):
    """The frame's rows as tuples of these columns: each column is read once as a plain list
    (row iteration over pandas' Arrow-backed strings costs about a millisecond per call)."""
    return zip(*(frame[c].tolist() for c in columns), strict=True)


def event_marks(events: pd.DataFrame, x: dict, color: str) -> dict:
    """Events (with plot_date) on a numeric time series, styled alike on every page: a triangle at
    the top of the plot, a dotted rule down to the series and the event id over the triangle. Events
    close in time take different rows, close meaning nearer than an id's width on a phone's plot
    (``ID_PX`` of ``PHONE_PLOT_PX``, scaled to the axis' span); where all rows are taken the id is
    left out (the triangle and its tooltip stay), so ids never overlap. Past MAX_EVENT_LINES
    events, only the triangles (their titles in the tooltip); past MAX_EVENT_MARKS, one triangle a
    day saying how many events fell on it. A layer to add to the series' layers."""
    counts = None
    if len(events) > MAX_EVENT_MARKS:  # one triangle a day, its events counted: a page stays light
        counts = events.groupby("plot_date", sort=True).size()
        events = events.sort_values("plot_date", kind="stable").drop_duplicates("plot_date")
    marks = event_rows(events)
    if counts is not None:
        n = counts.loc[events["plot_date"]].tolist()
        marks["id"] = ""
        marks["title"] = [f"{k:,} events" for k in n]
        marks["aria"] = [f"{k:,} events on {w}" for k, w in zip(n, marks["when"], strict=True)]
    ex = {**x, "field": "day"}
    tooltip = [
        {"field": "id", "title": "Event"},
        {"field": "when", "title": "Date"},
        {"field": "title"},
        {"field": "strength", "title": "Source strength"},
    ]
    days = pd.to_datetime(marks["day"])
    domain = (x.get("scale") or {}).get("domain")
    first, last = (pd.Timestamp(domain[0]), pd.Timestamp(domain[-1])) if domain else (days.min(), days.max())
    span_days = max((last - first).days, 1) if len(marks) else 1
    rows = label_levels(days, gap_days=span_days * ID_PX / PHONE_PLOT_PX, drop=True)
    marks["level_y"] = [8 + 22 * (0 if row is None else row) for row in rows]
    marks["id_text"] = [i if row is not None else "" for i, row in zip(marks["id"], rows, strict=True)]
    level_y = {"field": "level_y", "type": "quantitative", "scale": None}
    triangles = {
        "mark": {"type": "point", "shape": "triangle-down", "filled": True, "size": 110, "opacity": 1},
        "encoding": {
            "x": ex,
            "y": level_y,
            "color": {"value": color},
            "description": {"field": "aria"},
            "tooltip": tooltip,
        },
    }
    layers = [triangles]
    if len(marks) <= MAX_EVENT_LINES:
        layers = [
            {"mark": {"type": "rule", "strokeDash": [2, 3], "color": color}, "encoding": {"x": ex, "tooltip": tooltip}},
            triangles,
            {
                "mark": {"type": "text", "fontSize": 10, "dy": -10, "baseline": "bottom"},
                "encoding": {"x": ex, "y": level_y, "text": {"field": "id_text"}},
            },
        ]
    return {"data": {"values": as_records(marks)}, "layer": layers}


def label_levels(dates: Sequence[pd.Timestamp], gap_days: float, levels: int = 4, drop: bool = False) -> list:
    """Row numbers (0 = top) for labels on a time axis: each label takes the first row whose last
    label is more than ``gap_days`` earlier; past ``levels`` rows, the row least recently used, or
    None with ``drop`` (the label is left out rather than drawn over another)."""
    last: list[pd.Timestamp | None] = [None] * levels
    out: list[int | None] = []
    for date in dates:
        free = [i for i, prev in enumerate(last) if prev is None or (date - prev).days > gap_days]
        if not free and drop:
            out.append(None)
            continue
        row = free[0] if free else min(range(levels), key=lambda i: last[i])
        last[row] = date
        out.append(row)
    return out


def lane_of(events: pd.DataFrame, lanes: str, actors: pd.DataFrame) -> tuple[pd.Series, tuple[str, ...]]:
    """Each event's lane name, and the lanes in display order (top first)."""
    if lanes == "side":
        first = events["actors"].str.split(";").str[0]
        table = actors.set_index("id")
        side = pd.Series("Other governments", index=table.index)
        side[table["country"] == "US"] = "US government"
        side[table["country"] == "CN"] = "China government"
        side[table["kind"] == "company"] = "Companies"
        return first.map(side), SIDE_LANES
    return events["lever"].map(LEVER_LABELS), tuple(LEVER_LABELS[lv] for lv in LEVER_LANES)


def lane_y(names: tuple[str, ...]) -> dict:
    """A y scale whose whole numbers are the lanes (top lane highest), labelled with their names."""
    labels = json.dumps(list(reversed(names)))
    return {
        "field": "y",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [-0.6, len(names) - 0.4], "nice": False, "zero": False},
        "axis": {
            "values": list(range(len(names))),
            "labelExpr": f"{labels}[datum.value]",
            "grid": True,
            "gridColor": "#eeeeee",
            "labelLimit": 140,
        },
    }


TIME_X = {
    "field": "day",
    "type": "temporal",
    "title": None,
    "scale": {"padding": 12},  # markers at either end stay whole
    "axis": {"gridColor": "#eeeeee"},  # Vega's own multi-scale labels: years, then months when zoomed
}

RELATION_COLOR = {  # a link's relation as colour, the same in every linkage chart
    "field": "relation",
    "type": "nominal",
    "title": "Relation",
    "scale": {"domain": list(RELATION_COLORS), "range": list(RELATION_COLORS.values())},
}


def day_text(dates: pd.Series) -> list[str]:
    return dates.dt.strftime("%Y-%m-%d").tolist()


def category_color(field: str = "category_label", legend: dict | None = None) -> dict:
    return {
        "field": field,
        "type": "nominal",
        "title": "Category",
        "scale": {"domain": [CATEGORY_LABELS[c] for c in CATEGORY_COLORS], "range": list(CATEGORY_COLORS.values())},
        **({"legend": legend} if legend is not None else {}),
    }


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Events (with plot_date) as the rows a Vega-Lite chart draws: id, day, date as written,
    title, category, and each mark's accessible name (``aria``)."""
    rows = pd.DataFrame(
        {
            "id": events["id"].tolist(),
            "day": day_text(events["plot_date"]),
            "when": [format_event_date(d, p) for d, p in row_tuples(events, "date", "date_precision")],
            "title": events["title"].tolist(),
            "category_label": events["category"].map(CATEGORY_LABELS).tolist(),
            "strength": events["strength"].tolist() if "strength" in events.columns else "",
        }
    )
    rows["aria"] = [f"Event {i}, {w}: {t}" for i, w, t in row_tuples(rows, "id", "when", "title")]
    return rows


EVENT_TOOLTIP = [  # a move's tooltip in the charts that draw moves as points (rows of ``event_rows``)
    {"field": "id", "title": "Event"},
    {"field": "when", "title": "Date"},
    {"field": "title", "title": "Title"},
    {"field": "category_label", "title": "Category"},
    {"field": "strength", "title": "Source strength"},
]


def series_color(series: dict[str, str]) -> dict:
    """The ``series`` field as colour, each named series with its own colour (legend untitled)."""
    return {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": list(series), "range": list(series.values())},
    }


def period_label(start: str, end: str) -> str:
    """'2026-03' -> 'Mar 2026'; a period of several months -> 'Jan-Feb 2026 (one figure)'."""
    first, last = pd.Timestamp(start + "-01"), pd.Timestamp(end + "-01")
    if start == end:
        return first.strftime("%b %Y")
    lead = first.strftime("%b") if first.year == last.year else first.strftime("%b %Y")
    return f"{lead}-{last.strftime('%b %Y')} (one figure)"


def as_records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def vl_spec(title: str, layers: list[dict], data: pd.DataFrame, **extra) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": vega_title(title),
        "data": {"values": as_records(data)},
        "layer": layers,
        "width": "container",
        "config": VEGA_CONFIG,
        **extra,
    }


NARROW, WIDE = set("iljtfrI.,:;'!|()[] "), set("MWmw@%")


@functools.cache
def char_em(c: str) -> float:
    """A character's width in ems: capitals and digits 0.7, m/w 0.92, i/l/punctuation 0.3, others 0.6."""
    return 0.3 if c in NARROW else 0.92 if c in WIDE else 0.7 if c.isupper() or c.isdigit() else 0.6


def text_width(text: str, size: float = 11) -> float:
    """A text's width in pixels, estimated per character (``char_em``): an upper bound for the
    dashboard's sans-serif type."""
    return sum(map(char_em, text)) * size


def fit_text(text: str, px: float, size: float = 11) -> str:
    """``text`` whole if it fits in ``px``, else its longest start that fits with an ellipsis."""
    ems = list(map(char_em, text))
    if sum(ems) * size <= px:
        return text
    room = px / size - char_em("…")
    used, end = 0.0, 0
    while end < len(ems) and used + ems[end] <= room:
        used += ems[end]
        end += 1
    return text[:end].rstrip() + "…"
