"""Chart builders: functions of data and options that return a Plotly figure or an Altair chart.

One palette serves every chart, so a colour means the same thing everywhere:
categories use Okabe-Ito, relations use Paul Tol's 'vibrant' set, sides use blue (US) and
vermillion (China). Every string that comes from data is HTML-escaped before it reaches a
hover or label, so markup in a title or quote shows as text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from chipsmag.filters import CATEGORY_LABELS, LEVER_LABELS, ids_in
from chipsmag.metrics import STAGE_LABELS
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
KIND_COLORS = {
    "filing": "#0072B2",
    "press_release": "#56B4E9",
    "earnings_call": "#009E73",
    "interview": "#E69F00",
    "public_remarks": "#CC79A7",
    "social_post": "#D55E00",
    "news_report": "#999999",
}
LEVER_LANES = ("chips", "both", "magnets")
SIDE_LANES = ("US government", "China government", "Companies", "Other governments")
FONT = "Source Sans Pro, sans-serif"
# Above these sizes a chart aggregates or draws a bounded subset, and says so: a page must stay
# light however large the data grows.
MAX_EVENT_POINTS = 1500
MAX_CHAIN_EVENTS = 40
MAX_EVENT_LINES = 40


def esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


# ---------------------------------------------------------------------------
# Plotly figures are assembled as plain data and turned into a Figure once: building them
# through graph_objects' incremental API (add_trace, update_layout) costs several times more
# server time for the same figure, and so does Plotly's per-property validation.
# ---------------------------------------------------------------------------


TITLE_LINE = 48  # characters: Plotly does not wrap titles, and a phone (390 px) shows about this many


def _title_lines(title: str) -> list[str]:
    """A long title broken into lines of at most TITLE_LINE characters: after a colon or comma
    where one falls in the first line, else before a parenthesis, else at spaces."""
    if len(title) <= TITLE_LINE:
        return [title]
    cut = max(title.rfind(": ", 0, TITLE_LINE), title.rfind(", ", 0, TITLE_LINE))
    if cut >= 10:
        return [title[: cut + 1], *_title_lines(title[cut + 2 :])]
    cut = title.rfind(" (", 0, TITLE_LINE)
    if cut >= 10:
        return [title[:cut], *_title_lines(title[cut + 1 :])]
    lines: list[str] = []
    for word in title.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= TITLE_LINE:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


# Vega-Lite legends under the plot: at the side they took the plot's width on a phone (390 px).
VEGA_CONFIG = {"legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 360}}


def vega_title(title: str) -> str | dict:
    """A Vega-Lite title, as lines where it is long (Vega-Lite cuts a long title short with '…')."""
    lines = _title_lines(title)
    return title if len(lines) == 1 else {"text": lines}


def _axis(**props) -> dict:
    return {"showgrid": True, "gridcolor": "#eeeeee", "zeroline": False, **props}


class Spec:
    """A figure under construction: a list of traces and a layout dict (fresh per figure)."""

    def __init__(self, title: str, height: int = 420, **layout) -> None:
        self.data: list[dict] = []
        lines = _title_lines(title)
        self.layout: dict = {
            "title": {
                "text": "<br>".join(esc(line) for line in lines),
                "x": 0,
                "xanchor": "left",
                "font": {"size": 16},
            },
            "height": height + 22 * (len(lines) - 1),
            "margin": {"l": 10, "r": 10, "t": 50 + 22 * (len(lines) - 1), "b": 10},
            "font": {"family": FONT, "size": 13},
            "plot_bgcolor": "white",
            "hoverlabel": {"align": "left"},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
            "xaxis": _axis(),
            "yaxis": _axis(),
            **layout,
        }

    def add(self, trace: dict, yaxis: str | None = None) -> None:
        self.data.append({**trace, "yaxis": yaxis} if yaxis else trace)

    def axis(self, name: str, **props) -> None:
        self.layout.setdefault(name, _axis()).update(props)

    def figure(self) -> go.Figure:
        # Plotly's property validation is half the server time of a figure. The specs are fixed
        # code, so the test suite validates every figure every page draws instead
        # (tests/test_app.py::test_every_plotly_figure_passes_plotly_validation).
        return go.Figure({"data": self.data, "layout": self.layout}, _validate=False)


def _rows(frame: pd.DataFrame, *columns: str):
    """The frame's rows as tuples of these columns: each column is read once as a plain list
    (row iteration over pandas' Arrow-backed strings costs about a millisecond per call)."""
    return zip(*(frame[c].tolist() for c in columns), strict=True)


# ---------------------------------------------------------------------------
# Events on a time axis.
# ---------------------------------------------------------------------------


def event_marks(events: pd.DataFrame, x: dict, color: str) -> dict:
    """Events (with plot_date) on a numeric time series, styled alike on every page: a triangle at
    the top of the plot, a dotted rule down to the series and the event id over the triangle; events
    close in time take different rows so their ids never overlap. Past MAX_EVENT_LINES events, only
    the triangles (their titles in the tooltip). A layer to add to the series' layers."""
    marks = _event_rows(events)
    ex = {**x, "field": "day"}
    tooltip = [{"field": "id", "title": "Event"}, {"field": "when", "title": "Date"}, {"field": "title"}]
    marks["level_y"] = [8 + 22 * level for level in _label_levels(pd.to_datetime(marks["day"]), gap_days=40)]
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
                "encoding": {"x": ex, "y": level_y, "text": {"field": "id"}},
            },
        ]
    return {"data": {"values": _records(marks)}, "layer": layers}


def _label_levels(dates: Sequence[pd.Timestamp], gap_days: int, levels: int = 4) -> list[int]:
    """Row numbers (0 = top) for labels on a time axis: each label takes the first row whose last
    label is more than ``gap_days`` earlier; past ``levels`` rows, the row least recently used."""
    last: list[pd.Timestamp | None] = [None] * levels
    out = []
    for date in dates:
        free = [i for i, prev in enumerate(last) if prev is None or (date - prev).days > gap_days]
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


def with_hovers(events: pd.DataFrame, actor_names: dict[str, str], source_names: dict[str, str]) -> pd.DataFrame:
    """Add each event's tooltip fields as plain text (Vega-Lite shows text as text): ``when``
    (the date as written), ``actor_list`` and ``source_list`` (names). They depend on the data
    alone, so the app derives them once per data version."""
    columns = ("date", "date_precision", "actors", "source_ids")
    whens, all_names, all_cited = [], [], []
    for date, precision, actors, source_ids in _rows(events, *columns):
        whens.append(format_event_date(date, precision))
        all_names.append(", ".join(actor_names.get(a, a) for a in actors.split(";")))
        all_cited.append("; ".join(source_names.get(s, s) for s in source_ids.split(";")))
    return events.assign(when=whens, actor_list=all_names, source_list=all_cited)


def with_link_hovers(links: pd.DataFrame, source_names: dict[str, str]) -> pd.DataFrame:
    """Add each link's sources as plain text (``source_list``, for Vega-Lite tooltips)."""
    cited = ["; ".join(source_names.get(s, s) for s in ids.split(";")) for ids in links["source_ids"].tolist()]
    return links.assign(source_list=cited)


def _lane_y(names: tuple[str, ...]) -> dict:
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
TIMELINE_PICK = "pick"  # the name of the timeline's click selection


def timeline_counts_chart(events: pd.DataFrame, actors: pd.DataFrame, lanes: str) -> dict:
    """Monthly counts per lane and category: the timeline when events are too many to draw one by one."""
    lane, names = lane_of(events, lanes, actors)
    frame = pd.DataFrame(
        {"month": events["plot_date"].to_numpy().astype("datetime64[M]"), "lane": lane, "category": events["category"]}
    )
    counts = frame.groupby(["month", "lane", "category"]).size().reset_index(name="n")
    index = {name: len(names) - 1 - i for i, name in enumerate(names)}
    offsets = {c: (i - 3) * 0.08 for i, c in enumerate(CATEGORY_COLORS)}
    data = pd.DataFrame(
        {
            "day": counts["month"].dt.strftime("%Y-%m-%d").tolist(),
            "month": counts["month"].dt.strftime("%b %Y").tolist(),
            "y": (counts["lane"].map(index) + counts["category"].map(offsets)).tolist(),
            "lane": counts["lane"].tolist(),
            "category_label": counts["category"].map(CATEGORY_LABELS).tolist(),
            "n": counts["n"].tolist(),
        }
    )
    title_lanes = "side (first actor)" if lanes == "side" else "lever"
    layer = {
        "mark": {"type": "circle", "opacity": 0.8, "stroke": "#333333", "strokeWidth": 0.5},
        "encoding": {
            "x": TIME_X,
            "y": _lane_y(names),
            "color": _category_color(),
            "size": {"field": "n", "type": "quantitative", "title": "Events a month", "scale": {"range": [20, 600]}},
            "tooltip": [
                {"field": "month", "title": "Month"},
                {"field": "lane", "title": "Lane"},
                {"field": "category_label", "title": "Category"},
                {"field": "n", "title": "Events"},
            ],
        },
    }
    title = f"{len(events):,} events by {title_lanes}: monthly counts (marker area)"
    return _vl(title, [layer], data, height=170 + 90 * len(names))


# ---------------------------------------------------------------------------
# The chips-for-magnets linkage.
# ---------------------------------------------------------------------------


RELATION_COLOR = {  # a link's relation as colour, the same in every linkage chart
    "field": "relation",
    "type": "nominal",
    "title": "Relation",
    "scale": {"domain": list(RELATION_COLORS), "range": list(RELATION_COLORS.values())},
}
LINKAGE_AXIS_WIDTH = 110  # px: both linkage charts reserve it for their y axis, so their x axes line up


def linkage_domain(events: pd.DataFrame, period: str) -> list[str]:
    """The x range both linkage charts share: one year (with a margin), or every event's date."""
    if period.isdigit():
        year = int(period)
        return [f"{year - 1}-11-15", f"{year + 1}-01-15"]
    if events.empty:
        return ["2018-01-01", pd.Timestamp.today().strftime("%Y-%m-%d")]
    first, last = events["plot_date"].min(), events["plot_date"].max()
    return [(first - pd.Timedelta(days=30)).strftime("%Y-%m-%d"), (last + pd.Timedelta(days=30)).strftime("%Y-%m-%d")]


def _linkage_x(domain: list[str]) -> dict:
    return {
        "field": "day",
        "type": "temporal",
        "title": None,
        "scale": {"domain": domain},
        "axis": {"gridColor": "#eeeeee"},
    }


TARIFF_SERIES = {  # short: the legend must fit a phone
    "US on China, all goods": SIDE_COLORS["US"],
    "China on US, all goods": SIDE_COLORS["China"],
    "US on named products": "#56B4E9",
}
TARIFF_MARKS = {"threatened": "Threatened, never imposed", "announced": "Announced, not imposed"}


def tariff_chart(
    lines: pd.DataFrame,
    tariffs: pd.DataFrame,
    layers: pd.DataFrame,
    domain: list[str],
    end: str | None = None,
    events: pd.DataFrame | None = None,
) -> dict:
    """Tariffs by legal layer on the linkage chart's time axis: each side's headline additional
    rate (the sum of its general layers, from ``metrics.tariff_lines``) as steps; product-line
    layers (Section 301 magnets and graphite, Section 232 chips) as thin dashed steps, each
    labelled; threatened and announced rates as marks; a '?' where a scheduled end passed with no
    recorded outcome (the step stops there). ``end`` is where known steps stop (the coverage end)."""
    stop = end or domain[1]
    meta = layers.set_index("id")
    steps, marks, unknown = [], [], []
    labels = {"US": "US on China, all goods", "CN": "China on US, all goods"}
    for side, side_rows in lines.groupby("side", sort=False):
        series = labels[side]
        last = None
        for day, rate, comps, trigger, computed, is_unknown in _rows(
            side_rows, "day", "rate", "components", "trigger", "computed", "unknown"
        ):
            if is_unknown:
                if last is not None:  # known up to the scheduled date, or the coverage end if earlier
                    steps.append({**last, "day": min(day, stop)})
                unknown.append({"day": day, "series": series, "why": trigger, "rate": last["rate"] if last else 0})
                last = None
                continue
            last = {
                "day": day,
                "rate": rate,
                "series": series,
                "why": f"{trigger} ({comps})",
                "figure": "sum of layers" if computed else "stated",
            }
            steps.append(last)
        if last is not None and stop > last["day"]:
            steps.append({**last, "day": stop})
    product = tariffs[
        (tariffs["layer"].map(meta["scope"]) == "product_lines") & (tariffs["status"] == "in_force")
    ].sort_values("effective_date", kind="stable")
    product_steps = []
    for layer, rows in product.groupby("layer", sort=True):
        name = meta.at[layer, "name"]
        for day, rate, trigger in _rows(rows, "effective_date", "rate_pct", "trigger"):
            product_steps.append({"day": day, "rate": rate, "layer": layer, "name": name, "why": trigger})
        if stop > product_steps[-1]["day"]:
            product_steps.append({**product_steps[-1], "day": stop})
    for status, label in TARIFF_MARKS.items():
        for layer, day, rate, note, trigger in _rows(
            tariffs[tariffs["status"] == status], "layer", "effective_date", "rate_pct", "note", "trigger"
        ):
            marks.append(
                {"day": day, "rate": rate, "series": label, "why": f"{meta.at[layer, 'name']}: {trigger}. {note}"}
            )
    x = _linkage_x(domain)
    y = {
        "field": "rate",
        "type": "quantitative",
        "title": "additional tariff, %",
        "axis": {"minExtent": LINKAGE_AXIS_WIDTH, "maxExtent": LINKAGE_AXIS_WIDTH, "gridColor": "#eeeeee"},
    }
    tooltip = [
        {"field": "series", "title": "Rate"},
        {"field": "rate", "type": "quantitative", "title": "%"},
        {"field": "day", "title": "From"},
        {"field": "why", "title": "Why"},
    ]
    colors = {**TARIFF_SERIES, TARIFF_MARKS["threatened"]: "#333333", TARIFF_MARKS["announced"]: "#777777"}
    encoding = {"x": x, "y": y, "color": _series_color(colors), "tooltip": tooltip}
    layers_out = [
        {
            "mark": {"type": "line", "interpolate": "step-after", "point": True, "strokeWidth": 2.5, "clip": True},
            "encoding": {**encoding, "detail": {"field": "series"}},
        }
    ]
    if product_steps:
        pdata = pd.DataFrame(product_steps).assign(series=list(TARIFF_SERIES)[2])
        # One label per end point: layers ending at the same rate share it, so labels never overlap.
        ends = pdata.groupby("layer", sort=False).tail(1)
        ends = ends.groupby(["day", "rate"], as_index=False, sort=False).agg(names=("name", "; ".join))
        ends["label"] = [
            f"{n}: {r:g}%" if ";" not in n else f"{n.count(';') + 1} product layers: {r:g}%"
            for n, r in _rows(ends, "names", "rate")
        ]
        layers_out += [
            {
                "data": {"values": _records(pdata)},
                "mark": {"type": "line", "interpolate": "step-after", "strokeDash": [5, 3], "strokeWidth": 1.5},
                "encoding": {
                    **encoding,
                    "detail": {"field": "layer"},
                    "tooltip": [{"field": "name", "title": "Layer"}, *tooltip[1:]],
                },
            },
            {
                "data": {"values": _records(ends)},
                "mark": {"type": "text", "align": "right", "dy": -7, "fontSize": 10, "color": "#1f6f99", "limit": 180},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "label"},
                    "tooltip": [{"field": "names", "title": "Layers"}, {"field": "rate", "title": "%"}],
                },
            },
        ]
    if marks:
        layers_out.append(
            {
                "data": {"values": marks},
                "mark": {"type": "point", "shape": "cross", "size": 130, "strokeWidth": 2, "clip": True},
                "encoding": encoding,
            }
        )
    if unknown:
        layers_out.append(
            {
                "data": {"values": [{**u, "label": "?"} for u in unknown]},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 3,
                    "dy": -8,
                    "fontSize": 14,
                    "fontWeight": "bold",
                },
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "label"},
                    "color": {"value": "#555555"},
                    "tooltip": [
                        {"field": "series", "title": "Rate"},
                        {"field": "day", "title": "Scheduled"},
                        {"field": "why", "title": "What was scheduled"},
                    ],
                },
            }
        )
    if events is not None and len(events):  # the tariff moves, named on the series
        layers_out.append(event_marks(events, x, CATEGORY_COLORS["tariff"]))
    # The height holds the plot and the five-entry legend under it.
    return _vl("Additional tariffs by legal layer (%)", layers_out, pd.DataFrame(steps), height=520)


def lever_pairs_chart(links: pd.DataFrame, events: pd.DataFrame) -> dict:
    """Which lever's move was answered by which lever's move, and how: links counted per pair of
    levers, stacked by relation."""
    lever = events.set_index("id")["lever"]
    frame = links.assign(src=links["from_event"].map(lever), dst=links["to_event"].map(lever)).dropna(
        subset=["src", "dst"]
    )
    counts = frame.groupby(["src", "dst", "relation"]).size().reset_index(name="n")
    counts["pair"] = [f"{LEVER_LABELS[a]} → {LEVER_LABELS[b]}" for a, b in _rows(counts, "src", "dst")]
    order = [f"{LEVER_LABELS[a]} → {LEVER_LABELS[b]}" for a in LEVER_LANES for b in LEVER_LANES]
    data = counts[["pair", "relation", "n"]]
    layer = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "pair",
                "type": "nominal",
                "sort": [p for p in order if p in set(data["pair"])],
                "title": "First move → response",
                "axis": {"labelLimit": 260},
            },
            "x": {"field": "n", "type": "quantitative", "title": "links", "axis": {"tickMinStep": 1}},
            "color": RELATION_COLOR,
            "tooltip": [
                {"field": "pair", "title": "First move → response"},
                {"field": "relation", "title": "Relation"},
                {"field": "n", "title": "Links"},
            ],
        },
    }
    return _vl("Links by lever: which kind of move answered which", [layer], data, height={"step": 34})


def chain_events(events: pd.DataFrame, links: pd.DataFrame, year: str) -> pd.DataFrame:
    """The events (with plot_date) of one year that a link connects, in date order."""
    in_year = events[events["plot_date"].dt.year == int(year)]
    ids = set(links["from_event"]) | set(links["to_event"])
    return in_year[ids_in(in_year["id"], ids)].sort_values("plot_date")


def _day(dates: pd.Series) -> list[str]:
    return dates.dt.strftime("%Y-%m-%d").tolist()


def _category_color(field: str = "category_label", legend: dict | None = None) -> dict:
    return {
        "field": field,
        "type": "nominal",
        "title": "Category",
        "scale": {"domain": [CATEGORY_LABELS[c] for c in CATEGORY_COLORS], "range": list(CATEGORY_COLORS.values())},
        **({"legend": legend} if legend is not None else {}),
    }


def _event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Events (with plot_date) as the rows a Vega-Lite chart draws: id, day, date as written,
    title, category, and each mark's accessible name (``aria``)."""
    rows = pd.DataFrame(
        {
            "id": events["id"].tolist(),
            "day": _day(events["plot_date"]),
            "when": [format_event_date(d, p) for d, p in _rows(events, "date", "date_precision")],
            "title": events["title"].tolist(),
            "category_label": events["category"].map(CATEGORY_LABELS).tolist(),
        }
    )
    rows["aria"] = [f"Event {i}, {w}: {t}" for i, w, t in _rows(rows, "id", "when", "title")]
    return rows


EVENT_TOOLTIP = [  # a move's tooltip in the charts that draw moves as points (rows of ``_event_rows``)
    {"field": "id", "title": "Event"},
    {"field": "when", "title": "Date"},
    {"field": "title", "title": "Title"},
    {"field": "category_label", "title": "Category"},
]


def _chain_domain(dates: pd.Series) -> list[str]:
    """From just before the first move to well after the last: the labels run to the right of their
    points, so the axis leaves them room (about 60% of the moves' span, and a month more)."""
    first, last = dates.min(), dates.max()
    span = last - first
    return _day(pd.Series([first - pd.Timedelta(days=15), last + span * 0.6 + pd.Timedelta(days=30)]))


def chain_chart(chain: pd.DataFrame, year: str) -> dict:
    """A compact view of one year's chain (from ``chain_events``) as Vega-Lite: one row per event,
    the first MAX_CHAIN_EVENTS of them, each labelled with its title."""
    data = _event_rows(chain.head(MAX_CHAIN_EVENTS))
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
            "encoding": {**encoding, "color": _category_color()},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 9, "fontSize": 12, "limit": 420},
            "encoding": {**encoding, "text": {"field": "title"}},
        },
    ]
    return _vl(f"The {year} chain of moves (linked events only)", layers, data, height={"step": 28})


# ---------------------------------------------------------------------------
# Revenue.
# ---------------------------------------------------------------------------


def _listed(events: pd.DataFrame, limit: int = 12) -> str:
    """Tooltip text listing events, the first ``limit`` of them and a count of the rest."""
    head = events.head(limit)
    lines = [
        f"{i} {format_event_date(d, p)}: {title}"
        for i, d, p, title in _rows(head, "id", "date", "date_precision", "title")
    ]
    if len(events) > limit:
        lines.append(f"… and {len(events) - limit:,} more")
    return " | ".join(lines)


def _period_event_layers(marks: dict[str, pd.DataFrame], heights: dict[str, float], x: dict) -> list[dict]:
    """Triangles above the bars of the periods in which events fell (on the bars' y scale),
    labelled with their ids (or a count); the tooltip lists them."""
    if not marks:
        return []
    rows = pd.DataFrame(
        {
            x["field"]: list(marks),
            "top": [heights[label] * 1.08 for label in marks],
            "label": [" ".join(m["id"]) if len(m) <= 4 else f"{len(m)} events" for m in marks.values()],
            "events": [_listed(m) for m in marks.values()],
        }
    )
    encoding = {"x": x, "y": {"field": "top", "type": "quantitative"}}
    return [
        {
            "data": {"values": _records(rows)},
            "layer": [
                {
                    "mark": {"type": "point", "shape": "triangle-down", "filled": True, "size": 110, "opacity": 1},
                    "encoding": {
                        **encoding,
                        "color": {"datum": "Chip export-control events", "type": "nominal"},
                        "tooltip": [{"field": x["field"], "title": "Period"}, {"field": "events", "title": "Events"}],
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 10, "dy": -12, "baseline": "bottom"},
                    "encoding": {**encoding, "text": {"field": "label"}},
                },
            ],
        }
    ]


ANNUAL_SERIES = {
    "China incl. Hong Kong": SIDE_COLORS["China"],
    "Rest of world": SIDE_COLORS["Rest of world"],
    "Total (China unverified)": "#E3E3E3",
    "China share of revenue (%, right axis)": "#000000",
    "Chip export-control events": CATEGORY_COLORS["export_control"],
}


def _series_color(series: dict[str, str]) -> dict:
    """The ``series`` field as colour, each named series with its own colour (legend untitled)."""
    return {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": list(series), "range": list(series.values())},
    }


def revenue_annual_chart(annual: pd.DataFrame, marks: dict[str, pd.DataFrame] | None = None) -> dict:
    """Nvidia by fiscal year as Vega-Lite: China and the rest stacked (the total alone where China
    is unverified), China's share on the right axis, chip export-control events above the bars."""
    china, rest, unverified, share_label, _ = ANNUAL_SERIES
    known = annual["china_status"].eq("reported").tolist()
    parts = []
    for period, total, ch, rw, k in _rows(annual, "fiscal_period", "total", "china", "rest", "china_status"):
        if k == "reported":
            parts += [(period, china, ch / 1000, 0), (period, rest, rw / 1000, 1)]
        else:
            parts.append((period, unverified, total / 1000, 1))
    bars = pd.DataFrame(parts, columns=["fiscal_period", "series", "usd_b", "order"])
    x = {
        "field": "fiscal_period",
        "type": "ordinal",
        "title": None,
        "sort": annual["fiscal_period"].tolist(),
        "axis": {"labelAngle": 0, "labelExpr": "replace(datum.label, 'FY20', 'FY')"},  # FY2025 -> FY25
    }
    usd = {"field": "usd_b", "type": "quantitative", "title": "USD billions"}
    shares = pd.DataFrame(
        {
            "fiscal_period": annual["fiscal_period"].tolist(),
            "share": annual["china_share_pct"].tolist(),
            "share_label": [f"{v:.1f}%" if pd.notna(v) else "" for v in annual["china_share_pct"]],
        }
    )
    notes = pd.DataFrame(
        {
            "fiscal_period": [p for p, k in zip(annual["fiscal_period"], known, strict=True) if not k],
            "usd_b": [t / 2000 for t, k in zip(annual["total"], known, strict=True) if not k],
        }
    )
    heights = dict(zip(annual["fiscal_period"], annual["total"] / 1000, strict=True))
    left = [
        {
            "mark": {"type": "bar", "width": {"band": 0.7}},
            "encoding": {
                "x": x,
                "y": {**usd, "stack": "zero"},
                "order": {"field": "order"},
                "color": _series_color(ANNUAL_SERIES),
                "tooltip": [
                    {"field": "fiscal_period", "title": "Fiscal year"},
                    {"field": "series", "title": "Part"},
                    {"field": "usd_b", "type": "quantitative", "format": "$.1f", "title": "USD billions"},
                ],
            },
        },
        *_period_event_layers(marks or {}, heights, x),
    ]
    if len(notes):
        left.append(
            {
                "data": {"values": _records(notes)},
                "mark": {"type": "text", "lineBreak": "\n", "fontSize": 11},
                "encoding": {"x": x, "y": usd, "text": {"value": "China:\nunverified"}},
            }
        )
    share_y = {
        "field": "share",
        "type": "quantitative",
        "title": "China share (%)",
        "scale": {"domain": [0, 40]},
        "axis": {"orient": "right", "grid": False, "tickCount": 5},
    }
    right = [
        {
            "data": {"values": _records(shares)},
            "layer": [
                {
                    "mark": {"type": "line", "point": True, "strokeWidth": 2},
                    "encoding": {
                        "x": x,
                        "y": share_y,
                        "color": {"datum": share_label, "type": "nominal"},
                        "tooltip": [
                            {"field": "fiscal_period", "title": "Fiscal year"},
                            {"field": "share_label", "title": "China share of revenue"},
                        ],
                    },
                },
                {
                    "mark": {"type": "text", "dy": -10, "fontSize": 11},
                    "encoding": {"x": x, "y": share_y, "text": {"field": "share_label"}},
                },
            ],
        }
    ]
    title = "Nvidia revenue by fiscal year, China (incl. Hong Kong) by billing location"
    layers = [{"layer": left}, {"layer": right}]
    return _vl(title, layers, bars, height=540, resolve={"scale": {"y": "independent"}})


QUARTER_SERIES = {
    "Total": "#555555",
    "Data Center": "#999999",
    "China incl. Hong Kong": SIDE_COLORS["China"],
    "Chip export-control events": CATEGORY_COLORS["export_control"],
}


def _quarter_labels(periods: list[str], values: list[float]) -> list[str]:
    """'$68.1B', or 'unverified'; a quarter with no verified value at all says so once, not per bar."""
    missing = {p for p in periods if all(pd.isna(v) for q, v in zip(periods, values, strict=True) if q == p)}
    out, said = [], set()
    for period, value in zip(periods, values, strict=True):
        if pd.notna(value):
            out.append(f"${value:.1f}B")
        elif period in missing:
            out.append("" if period in said else "all unverified")
            said.add(period)
        else:
            out.append("unverified")
    return out


def revenue_quarters_chart(quarters: pd.DataFrame, marks: dict[str, pd.DataFrame] | None = None) -> dict:
    """Nvidia's quarters as Vega-Lite: total, Data Center and China side by side, each labelled
    with its value or 'unverified' (never drawn); chip export-control events above the quarters."""
    names = {"total": "Total", "data_center": "Data Center", "china_incl_hk": "China incl. Hong Kong"}
    periods = list(dict.fromkeys(quarters["fiscal_period"]))
    shown = quarters[quarters["metric"].isin(list(names))]
    reported = shown["status"].eq("reported")
    values = (shown["value_usd_m"].where(reported) / 1000).tolist()
    bars = pd.DataFrame(
        {
            "fiscal_period": shown["fiscal_period"].tolist(),
            "series": shown["metric"].map(names).tolist(),
            "usd_b": values,
            "label": _quarter_labels(shown["fiscal_period"].tolist(), values),
            "label_at": [v if pd.notna(v) else 0.0 for v in values],  # 'unverified' sits on the axis
            "status": shown["status"].tolist(),
        }
    )
    x = {"field": "fiscal_period", "type": "ordinal", "title": None, "sort": periods, "axis": {"labelAngle": 0}}
    offset = {"field": "series", "type": "nominal", "sort": list(names.values())}
    usd = {"field": "usd_b", "type": "quantitative", "title": "USD billions"}
    totals = quarters[quarters["metric"] == "total"].set_index("fiscal_period")["value_usd_m"] / 1000
    layers = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": x,
                "xOffset": offset,
                "y": usd,
                "color": _series_color(QUARTER_SERIES),
                "tooltip": [
                    {"field": "fiscal_period", "title": "Quarter"},
                    {"field": "series", "title": "Metric"},
                    {"field": "label", "title": "USD"},
                    {"field": "status", "title": "Status"},
                ],
            },
        },
        {
            "mark": {"type": "text", "dy": -6, "baseline": "bottom", "fontSize": 10},
            "encoding": {
                "x": x,
                "xOffset": offset,
                "y": {"field": "label_at", "type": "quantitative"},
                "text": {"field": "label"},
            },
        },
        *_period_event_layers(marks or {}, totals.to_dict(), x),
    ]
    # The height holds the plot and the legend under it (Streamlit fits the whole chart to it).
    span = f"{periods[0]} to {periods[-1]}" if periods else ""
    return _vl(f"Nvidia by quarter, {span}: total, Data Center and China", layers, bars, height=480)


# ---------------------------------------------------------------------------
# Supply.
# ---------------------------------------------------------------------------


MAGNET_SERIES = {
    "To all destinations, reported (t, left axis)": "#999999",
    "To all destinations, computed (t, left axis)": "#CCCCCC",
    "To the United States (t, right axis)": SIDE_COLORS["US"],
}


def period_label(start: str, end: str) -> str:
    """'2026-03' -> 'Mar 2026'; a period of several months -> 'Jan-Feb 2026 (one figure)'."""
    first, last = pd.Timestamp(start + "-01"), pd.Timestamp(end + "-01")
    if start == end:
        return first.strftime("%b %Y")
    lead = first.strftime("%b") if first.year == last.year else first.strftime("%b %Y")
    return f"{lead}-{last.strftime('%b %Y')} (one figure)"


def magnet_exports_chart(exports: pd.DataFrame, events: pd.DataFrame) -> dict:
    """Exports per reported period as Vega-Lite: bars for all destinations (left axis), a line for
    the US (right axis), 'n/a' where a month is not known, and the magnet-lever events on top. A
    period reported as one figure for several months is one bar as wide as its months, labelled
    so; it is never split."""
    reported, computed, to_us = MAGNET_SERIES
    starts = pd.to_datetime(exports["period_start"] + "-01")
    ends = pd.to_datetime(exports["period_end"] + "-01") + pd.offsets.MonthEnd(0)
    months = pd.DataFrame(
        {
            "month": [period_label(a, b) for a, b in _rows(exports, "period_start", "period_end")],
            "mid": _day(starts + (ends - starts) / 2),
            "x0": _day(starts + pd.Timedelta(days=4)),
            "x1": _day(ends - pd.Timedelta(days=4)),
            "several": (exports["period_start"] != exports["period_end"]).tolist(),
            "span": [
                f"{(b.year - a.year) * 12 + b.month - a.month + 1} months" for a, b in zip(starts, ends, strict=True)
            ],
            "tonnes_total": exports["tonnes_total"].tolist(),
            "total_status": exports["total_status"].tolist(),
            "series": [computed if s == "computed" else reported for s in exports["total_status"]],
            "tonnes_to_us": exports["tonnes_to_us"].tolist(),
            "to_us_status": exports["to_us_status"].tolist(),
        }
    )
    x = {"field": "mid", "type": "temporal", "title": None, "axis": {"format": "%b %Y", "gridColor": "#eeeeee"}}
    tooltip = [
        {"field": "month", "title": "Period"},
        {"field": "tonnes_total", "type": "quantitative", "format": ",.0f", "title": "All destinations (t)"},
        {"field": "total_status", "title": "Status"},
        {"field": "tonnes_to_us", "type": "quantitative", "format": ",.1f", "title": "To the US (t)"},
    ]
    y_total = {"field": "tonnes_total", "type": "quantitative", "title": "tonnes, all destinations"}
    bars = {
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {**x, "field": "x0"},
                    "x2": {"field": "x1"},
                    "y": y_total,
                    "y2": {"datum": 0},
                    "color": _series_color(MAGNET_SERIES),
                    "tooltip": tooltip,
                },
            },
            {  # a period of several months says so inside its bar
                "transform": [{"filter": "datum.several"}],
                "mark": {"type": "text", "baseline": "top", "dy": 6, "fontSize": 10, "color": "#ffffff"},
                "encoding": {"x": x, "y": y_total, "text": {"field": "span"}},
            },
        ]
    }
    y_us = {
        "field": "tonnes_to_us",
        "type": "quantitative",
        "title": "tonnes to the US",
        "axis": {"orient": "right", "grid": False},
    }
    us = {
        "layer": [
            {  # months only: a several-month total would read as a spike on a monthly line
                "transform": [{"filter": "!datum.several"}],
                "mark": {"type": "line", "point": True, "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": y_us,
                    "color": {"datum": to_us, "type": "nominal"},  # on the bars' colour scale
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"filter": "datum.several"}],
                "mark": {"type": "point", "filled": False, "size": 70, "strokeWidth": 2},
                "encoding": {"x": x, "y": y_us, "color": {"datum": to_us, "type": "nominal"}, "tooltip": tooltip},
            },
        ]
    }
    bars_and_line = {"layer": [bars, us], "resolve": {"scale": {"y": "independent"}}}
    layers = [bars_and_line]
    missing = months[months["total_status"] == "unverified"]
    if len(missing):
        layers.append(
            {
                "data": {"values": _records(missing[["mid", "month"]])},
                "mark": {"type": "text", "color": "#777777", "baseline": "bottom", "dy": -2},
                "encoding": {"x": x, "y": {"value": {"expr": "height"}}, "text": {"value": "n/a"}},
            }
        )
    if len(events):
        layers.append(event_marks(events, x, CATEGORY_COLORS["rare_earth"]))
    title = "China's rare-earth magnet exports per reported period, with magnet-lever events"
    return _vl(title, layers, months, height=380, resolve={"scale": {"y": "independent"}})


# ---------------------------------------------------------------------------
# Scenario model.
# ---------------------------------------------------------------------------


def scenario_figure(rng: pd.DataFrame, backtest: pd.DataFrame) -> go.Figure:
    """Net China revenue per quarter: low-high band, base path, serviceable demand, sourced actuals."""
    spec = Spec("Nvidia China data-center revenue by quarter: scenario range and actuals", 430)
    quarter = rng["quarter"]
    spec.add(
        {
            "type": "scatter",
            "x": quarter,
            "y": rng["high"],
            "mode": "lines",
            "line": {"width": 0},
            "name": "High",
            "showlegend": False,
            "hovertemplate": "%{x}: high $%{y:.2f}B<extra></extra>",
        }
    )
    spec.add(
        {
            "type": "scatter",
            "x": quarter,
            "y": rng["low"],
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": "rgba(0,114,178,0.18)",
            "name": "Low-high range",
            "hovertemplate": "%{x}: low $%{y:.2f}B<extra></extra>",
        }
    )
    spec.add(
        {
            "type": "scatter",
            "x": quarter,
            "y": rng["base"],
            "mode": "lines+markers",
            "line": {"color": SIDE_COLORS["US"], "width": 3},
            "name": "Expected net revenue (base)",
            "hovertemplate": "%{x}: base $%{y:.2f}B<extra></extra>",
        }
    )
    spec.add(
        {
            "type": "scatter",
            "x": quarter,
            "y": rng["serviceable"],
            "mode": "lines",
            "line": {"color": "#555555", "dash": "dash"},
            "name": "Serviceable demand (no controls)",
            "hovertemplate": "%{x}: serviceable $%{y:.2f}B<extra></extra>",
        }
    )
    spec.add(
        {
            "type": "scatter",
            "x": backtest["quarter"],
            "y": backtest["actual_usd_b"],
            "mode": "markers",
            "marker": {"symbol": "diamond", "size": 12, "color": SIDE_COLORS["China"]},
            "name": "Actual H20 sales to China (sourced)",
            "hovertext": [esc(n) for n in backtest["note"]],
            "hovertemplate": "%{x}: actual $%{y:.2f}B<br>%{hovertext}<extra></extra>",
        }
    )
    spec.axis("yaxis", title={"text": "USD billions per quarter"}, rangemode="tozero")
    return spec.figure()


def tornado_figure(t: pd.DataFrame) -> go.Figure:
    """Total net revenue over the horizon as each input alone moves to the ends of its band."""
    base = float(t["base"].iloc[0]) if len(t) else 0.0
    spec = Spec("Sensitivity: total net revenue over 8 quarters (USD billions)", 380, barmode="overlay")
    for column, name, color in (("low", "Pessimistic end", "#D55E00"), ("high", "Optimistic end", "#0072B2")):
        spec.add(
            {
                "type": "bar",
                "y": t["input"],
                "x": t[column] - base,
                "base": base,
                "orientation": "h",
                "name": name,
                "marker": {"color": color},
                "customdata": t[["band"]].to_numpy(),
                "hovertemplate": "%{y}: $%{x:.2f}B change (band %{customdata[0]})<extra></extra>",
            }
        )
    spec.layout["shapes"] = [
        {
            "type": "line",
            "x0": base,
            "x1": base,
            "xref": "x",
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": {"color": "#333333", "dash": "dot"},
        }
    ]
    spec.axis("xaxis", title={"text": f"USD billions (base: {base:.2f})"})
    return spec.figure()


# ---------------------------------------------------------------------------
# Altair charts.
# ---------------------------------------------------------------------------


def claims_chart(claims: pd.DataFrame) -> alt.Chart:
    """Who said what, when, in what kind of document (USD figures only)."""
    usd = claims[claims["unit"] == "usd_m"].copy()
    # Two lines per label ('date · speaker' over the topic): on one line they left a phone's plot
    # about 100 px wide.
    usd["label"] = usd["date"] + " · " + usd["speaker"] + "\n" + usd["topic"].str.replace("_", " ")
    usd["billions"] = usd["value"] / 1000
    usd["low"] = usd["value_low"].fillna(usd["value"]) / 1000
    usd["high"] = usd["value_high"].fillna(usd["value"]) / 1000
    usd["kind_label"] = usd["kind"].str.replace("_", " ")
    usd = usd[["label", "billions", "low", "high", "kind", "kind_label", "quote", "qualifier", "date"]]
    color = alt.Color(
        "kind:N",
        title="Kind of document",
        scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values())),
    )
    base = alt.Chart(usd).encode(
        y=alt.Y(
            "label:N",
            sort=alt.SortField("date"),
            title=None,
            axis=alt.Axis(labelLimit=220, labelExpr="split(datum.label, '\\n')", labelPadding=6),
        ),
    )
    rng = base.mark_rule(strokeWidth=3).encode(x="low:Q", x2="high:Q", color=color)
    dots = base.mark_circle(size=110, opacity=1).encode(
        x=alt.X("billions:Q", title="USD billions"),
        color=color,
        tooltip=[
            alt.Tooltip("label:N", title="Claim"),
            alt.Tooltip("billions:Q", title="USD B", format=".2f"),
            alt.Tooltip("qualifier:N"),
            alt.Tooltip("kind_label:N", title="Kind"),
            alt.Tooltip("quote:N"),
        ],
    )
    return (
        (rng + dots)
        .properties(
            title=vega_title("Claims about losses and markets: who said what, when, where"),
            height=alt.Step(38),
            width="container",
        )
        .configure_legend(**VEGA_CONFIG["legend"])
    )


# ---------------------------------------------------------------------------
# Supply.
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Layered charts as plain Vega-Lite specs (st.vega_lite_chart): the same grammar as Altair
# without the cost of building its channel objects on every rerun.
# ---------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def _vl(title: str, layers: list[dict], data: pd.DataFrame, **extra) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": vega_title(title),
        "data": {"values": _records(data)},
        "layer": layers,
        "width": "container",
        "config": VEGA_CONFIG,
        **extra,
    }


def usgs_country_chart(tonnages: pd.DataFrame, stage: str) -> dict:
    """Tonnes per country of one USGS edition, one bar per year (earlier grey, later blue)."""
    data = tonnages[["country_name", "year", "value", "share_pct", "status"]].copy()
    data["year"] = data["year"].astype(str)
    unit = "t rare-earth oxide"
    edition = tonnages["edition"].iloc[0] if len(tonnages) else ""
    what = "reserves" if stage == "reserves" else "mine production"
    title = f"Rare-earth {what} by country (USGS {edition})"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": vega_title(title),
        "data": {"values": _records(data)},
        "mark": {"type": "bar"},
        "height": {"step": 11},
        "width": "container",
        "config": VEGA_CONFIG,
        "encoding": {
            "y": {"field": "country_name", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "value", "type": "quantitative", "title": unit},
            "yOffset": {"field": "year", "type": "nominal"},
            "color": {"field": "year", "type": "nominal", "title": "Year", "scale": {"range": ["#999999", "#0072B2"]}},
            "tooltip": [
                {"field": "country_name", "type": "nominal", "title": "Country"},
                {"field": "year", "type": "nominal"},
                {"field": "value", "type": "quantitative", "format": ",", "title": unit},
                {"field": "share_pct", "type": "quantitative", "title": "Share of world (%)"},
                {"field": "status", "type": "nominal"},
            ],
        },
    }


def _share_range_layers(
    category: dict, value_axis: str, rule_width: int, point_size: int, tooltip: list[dict], **point_encoding
) -> list[dict]:
    """China's share (%) per category: a faint rule from the lowest to the highest source, and one
    point per source. ``value_axis`` is the axis that carries the share ("x" or "y")."""
    cat_axis = "x" if value_axis == "y" else "y"
    scale = {"domain": [40, 100], "zero": False}
    return [
        {
            "mark": {"type": "rule", "strokeWidth": rule_width, "opacity": 0.25, "color": "#D55E00"},
            "encoding": {
                cat_axis: category,
                value_axis: {"aggregate": "min", "field": "share_pct", "type": "quantitative", "scale": scale},
                value_axis + "2": {"aggregate": "max", "field": "share_pct"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": point_size, "color": "#D55E00"},
            "encoding": {
                cat_axis: category,
                value_axis: {
                    "field": "share_pct",
                    "type": "quantitative",
                    "title": "China's share (%)",
                    "scale": scale,
                },
                **point_encoding,
                "tooltip": tooltip,
            },
        },
    ]


def stage_share_chart(shares: pd.DataFrame, source_names: dict[str, str]) -> dict:
    data = shares[["stage_label", "year", "share_pct", "qualifier", "basis", "note", "source_ids"]].copy()
    data["source"] = data["source_ids"].str.split(";").str[0].map(lambda sid: source_names.get(sid, sid))
    order = [STAGE_LABELS[s] for s in ("mining", "refining", "magnets")]
    x = {
        "field": "stage_label",
        "type": "nominal",
        "sort": order,
        "title": "Stage of the supply chain",
        "axis": {"labelAngle": 0},
    }
    tooltip = [
        {"field": f, "type": t}
        for f, t in (
            ("stage_label", "nominal"),
            ("year", "quantitative"),
            ("share_pct", "quantitative"),
            ("qualifier", "nominal"),
            ("source", "nominal"),
            ("basis", "nominal"),
            ("note", "nominal"),
        )
    ]
    layers = [
        *_share_range_layers(x, "y", 10, 120, tooltip, shape={"field": "basis", "type": "nominal", "title": "Basis"}),
        {
            "data": {"values": [{"y": 80, "t": "'over 80%' (the seed articles' claim)"}]},
            "layer": [
                {
                    "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#333333"},
                    "encoding": {"y": {"field": "y", "type": "quantitative"}},
                },
                {
                    "mark": {"type": "text", "align": "left", "dx": 4, "dy": -8, "color": "#333333"},
                    "encoding": {"y": {"field": "y", "type": "quantitative"}, "text": {"field": "t"}},
                },
            ],
        },
    ]
    return _vl("China's share of rare earths by stage: each dot is one source", layers, data, height=340)


def hhi_chart(conc: pd.DataFrame) -> dict:
    data = conc[["stage_label", "hhi_low", "hhi_high", "basis", "lower_bound"]].copy()
    data["kind"] = data["lower_bound"].map({True: "lower bound (China only)", False: "from country data"})
    data = data.drop(columns="lower_bound")
    y = {"field": "stage_label", "type": "nominal", "title": None, "sort": list(data["stage_label"])}
    layers = [
        {
            "mark": {"type": "bar", "color": "#0072B2"},
            "encoding": {
                "y": y,
                "x": {
                    "field": "hhi_low",
                    "type": "quantitative",
                    "scale": {"domain": [0, 10000]},
                    "title": "HHI (0-10,000; above 2,500 = highly concentrated)",
                },
                "opacity": {"field": "kind", "type": "nominal", "title": "Basis", "scale": {"range": [0.9, 0.45]}},
                "tooltip": [{"field": f} for f in ("stage_label", "hhi_low", "hhi_high", "basis")],
            },
        },
        {
            "mark": {"type": "rule", "strokeWidth": 2, "color": "#333333"},
            "encoding": {"y": y, "x": {"field": "hhi_low", "type": "quantitative"}, "x2": {"field": "hhi_high"}},
        },
        {
            "data": {"values": [{"x": 2500}]},
            "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#CC3311"},
            "encoding": {"x": {"field": "x", "type": "quantitative"}},
        },
    ]
    return _vl("Concentration (Herfindahl-Hirschman index) by stage", layers, data, height={"step": 34})


def minerals_chart(supply: pd.DataFrame, source_names: dict[str, str]) -> dict:
    data = supply[supply["mineral"].isin(["gallium", "germanium", "graphite"]) & supply["share_pct"].notna()].copy()
    data["row"] = data["mineral"].str.capitalize() + " · " + data["stage"].map(STAGE_LABELS)
    data["source"] = data["source_ids"].map(lambda sid: source_names.get(sid, sid))
    data = data[["row", "share_pct", "qualifier", "year", "source", "note"]]
    y = {"field": "row", "type": "nominal", "title": None, "axis": {"labelLimit": 320}}
    tooltip = [{"field": f} for f in ("row", "share_pct", "qualifier", "year", "source", "note")]
    layers = _share_range_layers(y, "x", 8, 100, tooltip)
    return _vl("Gallium, germanium, graphite: China's share, range across sources", layers, data, height={"step": 34})
