"""The timeline page's charts (no Streamlit): pure functions of frames and options that return
Vega-Lite specs: the labelled chart of a window's events, the overview strip that chooses the window,
and the monthly counts drawn when events are too many to draw one by one.

The labelled chart draws the events of a time window in lanes (by lever or by side), each marker
labelled with its title where the label fits. Labels are placed here, in pixels, for the narrowest
plot the dashboard is read on (a phone): a label takes the first row under its lane where it
clears the label before it. Markers spread apart as the plot widens while labels keep their size,
so labels that clear each other on a phone clear each other at any wider width. In a window of
few events every event is labelled (as many rows as needed); otherwise a lane keeps MAX_ROWS rows
and the events that do not fit are drawn unlabelled (their title in the tooltip).
"""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    CATEGORY_COLORS,
    TIME_X,
    as_records,
    category_color,
    day_text,
    fit_text,
    lane_of,
    lane_y,
    text_width,
    vl_spec,
)
from chipsmag.filters import CATEGORY_LABELS
from chipsmag.text import format_event_date

# Above these sizes a chart aggregates or draws a bounded subset, and says so: a page must stay
# light however large the data grows.
MAX_EVENT_POINTS = 1500

TIMELINE_PICK = "pick"  # the name of the timeline's click selection

PHONE_PLOT = 330  # px: the narrowest plot (a 390 px phone, less the page margins)
FONT = 10
LABEL_PX = 170  # a label's room at most
TITLE_BAND, MARKER_ROW, LABEL_ROW, LANE_GAP = 18, 12, 14, 12
MAX_ROWS = 4
LABEL_ALL_UNDER = 30  # events in the window up to which every event is labelled
BRUSH = "tl_brush"  # the overview strip's interval selection


def _fit(text: str) -> str:
    return fit_text(text, LABEL_PX, FONT)


# The labelled chart's frame, read from its "frame" dataset: the window's ends and the pixel rows.
WINDOW = (
    "length(data('frame')) ? [toDate(data('frame')[0].start), toDate(data('frame')[0].end)]"
    " : [datetime(2018, 0, 1), datetime(2027, 0, 1)]"
)
ROWS = "sequence(0, length(data('frame')) ? data('frame')[0].rows : 60)"

DESKTOP_PLOT = 1100  # px: where marker rows are worked out
MARKER_ROWS = 5  # rows of markers a lane may use


def _rows_for(xs: list[float], cap: int, gap: float = 12.0) -> list[int]:
    """A row for each point (in order): the first row whose last point is ``gap`` px before it;
    past ``cap`` rows, the row whose last point is furthest back."""
    ends: list[float] = []
    out = []
    for x in xs:
        row = next((k for k, e in enumerate(ends) if e + gap <= x), None)
        if row is None and len(ends) < cap:
            row = len(ends)
            ends.append(x)
        elif row is None:
            row = min(range(len(ends)), key=lambda k: ends[k])
        ends[row] = x
        out.append(row)
    return out


def layout(events: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp], lanes: str, actors: pd.DataFrame):
    """Markers and labels in pixels down the page; x as dates. Returns (markers, labels, bands, height)."""
    lane, names = lane_of(events, lanes, actors)
    start, end = window
    span = max((end - start).total_seconds(), 1.0)
    label_all = len(events) <= LABEL_ALL_UNDER
    markers, labels, bands = [], [], []
    y = 0
    for name in names:
        # Only the columns read below: itertuples boxes every column of the frame it walks.
        mine = events.loc[lane == name, ["id", "title", "plot_date"]].sort_values(["plot_date", "id"], kind="stable")
        top = y
        # Markers close in time take different rows (placed for a desktop plot: on a phone a dense
        # stretch still crowds, and zooming in separates it).
        marker_rows = _rows_for(
            [(r.plot_date - start).total_seconds() / span * DESKTOP_PLOT for r in mine.itertuples()], MARKER_ROWS
        )
        label_top = top + TITLE_BAND + MARKER_ROW * (max(marker_rows, default=0) + 1)
        row_ends: list[float] = []
        for r, marker_row in zip(mine.itertuples(), marker_rows, strict=True):
            marker_y = top + TITLE_BAND + MARKER_ROW / 2 + marker_row * MARKER_ROW
            x = (r.plot_date - start).total_seconds() / span * PHONE_PLOT
            text = _fit(f"{r.id} {r.title}")
            w = text_width(text, FONT)
            left = x + w <= PHONE_PLOT
            x0, x1 = (x, x + w) if left else (x - w, x)
            row = next((k for k, e in enumerate(row_ends) if e + 6 <= x0), len(row_ends))
            if row >= MAX_ROWS and not label_all:
                row = None
            elif row == len(row_ends):
                row_ends.append(x1)
            else:
                row_ends[row] = x1
            markers.append({"id": r.id, "lane": name, "y": marker_y, "labelled": row is not None})
            if row is not None:
                labels.append(
                    {
                        "id": r.id,
                        "day": r.plot_date.strftime("%Y-%m-%d"),
                        "y": label_top + 4 + row * LABEL_ROW,
                        "text": text,
                        "align": "left" if left else "right",
                        "x0": x0,
                        "x1": x1,
                    }
                )
        height = (label_top - top) + 6 + max(len(row_ends), 1) * LABEL_ROW + LANE_GAP
        bands.append({"lane": name, "top": top, "bottom": top + height})
        y += height
    return pd.DataFrame(markers), pd.DataFrame(labels), pd.DataFrame(bands), int(y)


def labelled_chart(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    lanes: str,
    window: tuple[pd.Timestamp, pd.Timestamp],
    selected: str | None = None,
) -> dict:
    """Events of the window in lanes, labelled; a click on a marker selects the event (TIMELINE_PICK)."""
    markers, labels, bands, height = layout(events, window, lanes, actors)
    ev = events.set_index("id")
    sub = ev.loc[markers["id"]] if len(markers) else ev.iloc[0:0]  # the markers' events, looked up once
    rows = markers.assign(
        day=day_text(sub["plot_date"]) if len(markers) else [],
        title=sub["title"].tolist(),
        when=[format_event_date(d, p) for d, p in zip(sub["date"], sub["date_precision"], strict=True)],
        category_label=sub["category"].map(CATEGORY_LABELS).tolist(),
        actors=sub["actor_list"].tolist(),
        sources=sub["source_list"].tolist(),
        strength=sub["strength"].tolist() if "strength" in sub.columns else "",
        kind=["context only" if c else "move" for c in sub["context_only"]],
    )
    if len(rows):
        colors = sub["category"].map(CATEGORY_COLORS).tolist()
        rows["fill_opacity"] = [0.0 if k == "context only" else 1.0 for k in rows["kind"]]
        rows["stroke"] = ["#222222" if i == selected else c for i, c in zip(rows["id"], colors, strict=True)]
        rows["stroke_width"] = [3.0 if i == selected else 1.5 for i in rows["id"]]
        rows["size"] = [220 if i == selected else 90 for i in rows["id"]]
        rows["aria"] = [
            f"Event {i}, {w}: {t} ({c}{', context only' if k == 'context only' else ''})"
            for i, w, t, c, k in zip(
                rows["id"], rows["when"], rows["title"], rows["category_label"], rows["kind"], strict=True
            )
        ]
    # The spec stays the same under a filter change (the browser then swaps the data rather than
    # drawing the chart anew): the layers read named datasets; y is a pixel row of an ordinal scale one
    # pixel a step, so the plot is as tall as the rows the layout used; the x domain is the window's
    # ends, given as data in the invisible frame layer.
    x = {
        "field": "day",
        "type": "temporal",
        "title": None,
        "scale": {"domain": {"expr": WINDOW}, "padding": 10},
        "axis": {"gridColor": "#eeeeee", "orient": "top"},
    }
    y = {
        "field": "y",
        "type": "ordinal",
        "scale": {"domain": {"expr": ROWS}, "paddingInner": 0, "paddingOuter": 0},
        "axis": None,
        "bandPosition": 0,  # a row's top: the pixel the layout gave
    }
    ends = [window[0].strftime("%Y-%m-%d"), window[1].strftime("%Y-%m-%d")]
    datasets = {
        "lane_titles": as_records(bands.assign(y=bands["top"] + 2)),
        "lane_rules": as_records(bands.assign(y=bands["bottom"] - LANE_GAP // 2)),
        "frame": [{"start": ends[0], "end": ends[1], "rows": max(height, 60) + 1}],
        **{f"labels_{align}": [lb for lb in as_records(labels) if lb["align"] == align] for align in ("left", "right")},
    }
    layers: list[dict] = [
        {  # one invisible mark: the frame's data must be drawn from for the expressions to read it
            "data": {"name": "frame"},
            "mark": {"type": "point", "opacity": 0, "aria": False},
            "encoding": {
                "x": {**x, "field": "start"},
                "y": {k: v for k, v in y.items() if k != "field"} | {"datum": 0},
            },
        },
        {
            "data": {"name": "lane_titles"},
            "mark": {"type": "text", "align": "left", "baseline": "top", "fontWeight": "bold", "fontSize": 11},
            "encoding": {"x": {"value": 0}, "y": y, "text": {"field": "lane"}},
        },
        {"data": {"name": "lane_rules"}, "mark": {"type": "rule", "color": "#e6e6e6"}, "encoding": {"y": y}},
    ]
    layers += [
        {
            "data": {"name": f"labels_{align}"},
            "mark": {
                "type": "text",
                "align": align,
                "baseline": "top",
                "fontSize": FONT,
                "dx": 3 if align == "left" else -3,
            },
            "encoding": {"x": x, "y": y, "text": {"field": "text"}},
        }
        for align in ("left", "right")
    ]
    layers.append(
        {
            "params": [{"name": TIMELINE_PICK, "select": {"type": "point", "fields": ["id"], "on": "click"}}],
            "mark": {"type": "point", "filled": True, "opacity": 1, "cursor": "pointer"},
            "encoding": {
                "x": x,
                "y": y,
                "color": {**category_color(), "legend": None},  # the legend stands under the overview strip
                "fillOpacity": {"field": "fill_opacity", "type": "quantitative", "scale": None},
                "stroke": {"field": "stroke", "type": "nominal", "scale": None},
                "strokeWidth": {"field": "stroke_width", "type": "quantitative", "scale": None},
                "size": {"field": "size", "type": "quantitative", "scale": None},
                "description": {"field": "aria"},
                "tooltip": [
                    {"field": "id", "title": "Event"},
                    {"field": "title", "title": "Title"},
                    {"field": "when", "title": "Date"},
                    {"field": "category_label", "title": "Category"},
                    {"field": "kind", "title": "Kind"},
                    {"field": "actors", "title": "Actors"},
                    {"field": "sources", "title": "Source"},
                    {"field": "strength", "title": "Source strength"},
                ],
            },
        }
    )
    title_lanes = "side (first actor)" if lanes == "side" else "lever"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": f"Events by {title_lanes}, labelled",
        "data": {"values": as_records(rows)},
        "datasets": datasets,
        "layer": layers,
        "width": "container",
        "height": {"step": 1},
        "config": {"view": {"stroke": None, "discreteHeight": {"step": 1}}},
    }


def overview_strip(events: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp] | None) -> dict:
    """Every filtered event as a tick on one line; drag across it to choose the window (BRUSH). Past
    MAX_EVENT_POINTS events, one tick a day and category (ticks of one day and category coincide)."""
    data = pd.DataFrame(
        {"day": day_text(events["plot_date"]), "category_label": events["category"].map(CATEGORY_LABELS)}
    )
    if len(data) > MAX_EVENT_POINTS:
        data = data.drop_duplicates()
    brush: dict = {"name": BRUSH, "select": {"type": "interval", "encodings": ["x"]}}
    if window is not None:
        brush["value"] = {"x": [_datetime(window[0]), _datetime(window[1])]}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": "All events: drag across to zoom",
        "data": {"values": as_records(data)},
        "params": [brush],
        "mark": {"type": "tick", "thickness": 2, "size": 18},
        "encoding": {
            "x": {
                "field": "day",
                "type": "temporal",
                "title": None,
                "axis": {"gridColor": "#eeeeee", "format": "%Y", "tickCount": {"interval": "year", "step": 1}},
            },
            "color": category_color(legend={"orient": "bottom", "direction": "horizontal", "columns": 3}),
        },
        "width": "container",
        "height": 220,  # the ticks, the axis, the title and the category legend (three rows) under them
    }


def _datetime(day: pd.Timestamp) -> dict:
    return {"year": day.year, "month": day.month, "date": day.day}


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
            "y": lane_y(names),
            "color": category_color(),
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
    return vl_spec(title, [layer], data, height=170 + 90 * len(names))
