"""The chips-for-magnets sequence: moves and answers as a two-sided sequence diagram, as a Vega-Lite
spec (no Streamlit).

Time runs down the page, one row per move (the layout: sequence_layout.py). Arrows run from a move
to the move that answered it (colour: relation; dashed: inferred). Thin strips at the edges carry
the headline additional tariff of each side in force at that row's date. A click on a move or an
arrowhead is a selection the page reads back (PICK, LINK_PICK).
"""

from __future__ import annotations

import pandas as pd

from app_pages.linkage.sequence_layout import FONT, HEADERS, focus_set, label_rows, layout, link_rows, strips
from chipsmag.chartbase import EVENT_TOOLTIP, RELATION_COLORS, as_records, category_color

LEGEND_ROOM = 300  # px: the title and the legends (answer, category) under the rows, as Streamlit draws them
MAX_MOVES = 120  # rows drawn at most (a year holds about 40 linked moves)
PICK = "seq_pick"  # the click selection of a move, by event id
LINK_PICK = "link_pick"  # the click selection of an arrowhead, by link id


def sequence_chart(
    events: pd.DataFrame,
    links: pd.DataFrame,
    countries: dict[str, str],
    tariff_lines: pd.DataFrame | None = None,
    focus: str | None = None,
) -> dict:
    """The spec (Vega-Lite). ``events`` need plot_date; ``links`` need source_list."""
    keep = focus_set(links, focus)
    lay = layout(events, countries, keep)
    rows = lay.rows
    line_rows, heads = link_rows(lay, links, keep)
    x = {"field": "x", "type": "quantitative", "scale": {"domain": [0, 1]}, "axis": None}
    y = {"field": "y", "type": "quantitative", "scale": None, "axis": None}
    labels = label_rows(lay)
    marks = rows[["id", "x", "y", "when", "title", "category_label", "dim"]].assign(
        aria=[f"Event {i}, {w}: {t}" for i, w, t in zip(rows["id"], rows["when"], rows["title"], strict=True)],
        chosen=rows["id"] == (focus or ""),
    )
    opacity = {"condition": {"test": "datum.dim", "value": 0.15}, "value": 1}
    relation_color = {
        "field": "relation",
        "type": "nominal",
        "title": "Answer",
        "scale": {"domain": list(RELATION_COLORS), "range": list(RELATION_COLORS.values())},
    }
    link_tip = [
        {"field": "route", "title": "Link"},
        {"field": "relation", "title": "Relation"},
        {"field": "basis", "title": "Basis"},
        {"field": "evidence", "title": "Evidence"},
        {"field": "sources", "title": "Sources"},
        {"field": "strength", "title": "Source strength"},
    ]
    layers: list[dict] = [
        {  # column headers
            "data": {"values": [{"x": x_, "y": 12, "text": text} for x_, text in HEADERS]},
            "mark": {"type": "text", "fontWeight": "bold", "fontSize": 11, "baseline": "middle"},
            "encoding": {"x": x, "y": y, "text": {"field": "text"}},
        },
    ]
    if len(lay.years):
        layers += [
            {
                "data": {"values": as_records(lay.years)},
                "mark": {"type": "rule", "color": "#dddddd"},
                "encoding": {"y": y},
            },
            {
                "data": {"values": as_records(lay.years)},
                "mark": {"type": "text", "fontWeight": "bold", "fontSize": 13, "baseline": "middle", "dy": -1},
                "encoding": {
                    "x": {"value": {"expr": "width / 2"}},
                    "y": y,
                    "text": {"field": "year"},
                },
            },
        ]
    if tariff_lines is not None and len(tariff_lines):
        strip_rows = strips(lay, tariff_lines)
        layers += [
            {
                "data": {"values": strip_rows},
                "mark": {"type": "rect", "clip": True},  # never onto the legends under the plot
                "encoding": {
                    "x": x,
                    "x2": {"field": "x2"},
                    "y": y,
                    "y2": {"field": "y2"},
                    "color": {
                        "field": "rate",
                        "type": "quantitative",
                        "title": "Tariff on the other side's goods, %",
                        "scale": {"scheme": "oranges", "domain": [0, 150]},
                        "legend": None,
                    },
                    "tooltip": [{"field": "side", "title": "Tariff by"}, {"field": "rate", "title": "%"}],
                },
            },
            {
                "data": {"values": [{**r, "x": (r["x"] + r["x2"]) / 2} for r in strip_rows if r["text"]]},
                "mark": {"type": "text", "fontSize": 9, "baseline": "top", "dy": 2, "color": "#222222"},
                "encoding": {"x": x, "y": y, "text": {"field": "text"}},
            },
        ]
    if line_rows:
        layers += [
            {
                "mark": {"type": "line", "interpolate": "basis", "strokeWidth": 1.6},
                "encoding": {
                    "x": x,
                    "y": y,
                    "order": {"field": "order"},
                    "detail": {"field": "link"},
                    "color": relation_color,
                    "strokeDash": {
                        "field": "basis",
                        "type": "nominal",
                        "title": "Basis",
                        "scale": {"domain": ["stated", "inferred"], "range": [[1, 0], [4, 3]]},
                        "legend": None,
                    },
                    "opacity": opacity,
                    "tooltip": link_tip,
                },
            },
            {
                "data": {"values": heads},
                "params": [{"name": LINK_PICK, "select": {"type": "point", "fields": ["link"]}}],
                "mark": {"type": "point", "filled": True, "size": 55, "cursor": "pointer"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "shape": {"field": "shape", "type": "nominal", "scale": None, "legend": None},
                    "color": {**relation_color, "legend": None},
                    "opacity": opacity,
                    "description": {"field": "aria"},
                    "tooltip": link_tip,
                },
            },
        ]
    layers += [
        {
            "data": {"values": as_records(marks)},
            "params": [{"name": PICK, "select": {"type": "point", "fields": ["id"]}}],
            "mark": {"type": "point", "filled": True, "size": 90, "cursor": "pointer"},
            "encoding": {
                "x": x,
                "y": y,
                "color": category_color(legend={"orient": "bottom", "direction": "vertical"}),
                "stroke": {"condition": {"test": "datum.chosen", "value": "#222222"}, "value": "white"},
                "strokeWidth": {"condition": {"test": "datum.chosen", "value": 3}, "value": 1},
                "opacity": opacity,
                "description": {"field": "aria"},
                "tooltip": EVENT_TOOLTIP,
            },
        },
        *(
            {
                "data": {"values": [lb for lb in labels if lb["align"] == align and lb["kind"] == kind]},
                "mark": {
                    "type": "text",
                    "align": align,
                    "baseline": "top",
                    "fontSize": FONT,
                    "fontWeight": "bold" if kind == "date" else "normal",
                    "color": "#555555" if kind == "date" else "#111111",
                    "limit": {"expr": "width * 0.34 + 24"},  # a last guard: the wrap already fits the gutter
                },
                "encoding": {"x": x, "y": y, "text": {"field": "text"}, "opacity": opacity},
            }
            for align in ("right", "left")
            for kind in ("date", "title")
        ),
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": "Moves and answers, time running down",
        "data": {"values": line_rows},
        "width": "container",
        # Streamlit fits the whole chart into the height: room for the title and the two legends under
        # the pixel layout, so its last rows are not cut off.
        "height": lay.height + LEGEND_ROOM,
        "layer": layers,
        "config": {
            # Two legends (answer, category) fit side by side on a phone; the line style and the edge
            # strips are explained in the caption and written on the chart.
            "legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 300},
            "view": {"stroke": None},
        },
        "resolve": {"scale": {"color": "independent"}},
    }
