"""Vega-Lite specs of the State of play page: each measure's life as bars over time, and the
general tariff layers stacked by authority (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import LINES, line_count, vl_spec, wrapped
from chipsmag.measures import OUTCOME_UNKNOWN, SIDE_LABELS, STATE_LABELS

STATE_COLORS = {  # colour-blind-safe; ended states in greys, the unknown hatched-looking light grey
    "announced": "#CC79A7",
    "in_force": "#0072B2",
    "suspended": "#E69F00",
    OUTCOME_UNKNOWN: "#DDDDDD",
    "lapsed": "#999999",
    "revoked": "#777777",
    "struck_down": "#555555",
    "superseded": "#AAAAAA",
}
LIVES_PICK = "measure_pick"  # the click selection of the lives chart, by measure id


def lives_chart(spans: pd.DataFrame, measures: pd.DataFrame, day: str, domain: list[str], chosen: str | None) -> dict:
    """One row per measure (grouped by side, oldest first), its states as bars coloured by state,
    the chosen date as a rule, and a dot where an event changed the state. Each measure's row is
    labelled with its name; a click on a bar picks the measure (selection LIVES_PICK)."""
    meta = measures.set_index("id")
    rows = spans.copy()
    rows["end"] = rows["end"].fillna(domain[1])
    rows["end"] = [max(e, s) for s, e in zip(rows["start"], rows["end"], strict=True)]
    rows["name"] = rows["measure"].map(meta["name"])
    rows["side"] = rows["measure"].map(meta["side"]).map(SIDE_LABELS)
    rows["row"] = rows["measure"].map(meta["side"]) + " · " + rows["name"]  # short: the labels share a phone's width
    rows["state_label"] = rows["state"].map(STATE_LABELS)
    rows["until"] = rows["scheduled_until"].fillna("")
    rows["chosen"] = rows["measure"] == (chosen or "")
    rows["aria"] = [
        f"Measure {m}, {n}: {s} from {a}"
        for m, n, s, a in zip(rows["measure"], rows["name"], rows["state_label"], rows["start"], strict=True)
    ]
    first = rows.groupby("row")["start"].min()
    order = sorted(first.index, key=lambda r: (not r.startswith("US"), first[r]))
    rows["first"] = ~rows["row"].duplicated()
    data = rows[
        ["measure", "row", "state", "state_label", "start", "end", "until", "event_id", "chosen", "first", "aria"]
    ]
    # Each row's name is written above its bar, not on the axis: on a phone the axis labels would take
    # the whole width.
    y = {"field": "row", "type": "nominal", "sort": order, "title": None, "axis": None}
    years = {"format": "%Y", "tickCount": {"interval": "year", "step": 1}}  # one tick a year: each year once
    x = {"field": "start", "type": "temporal", "title": None, "scale": {"domain": domain}, "axis": years}
    tooltip = [
        {"field": "row", "title": "Measure"},
        {"field": "state_label", "title": "State"},
        {"field": "start", "title": "From"},
        {"field": "until", "title": "Scheduled to end"},
        {"field": "event_id", "title": "Event"},
    ]
    color = {
        "field": "state",
        "type": "nominal",
        "title": "State",
        "scale": {"domain": list(STATE_COLORS), "range": list(STATE_COLORS.values())},
        "legend": {"labelExpr": _label_expr(STATE_LABELS)},
    }
    layers = [
        {
            "params": [{"name": LIVES_PICK, "select": {"type": "point", "fields": ["measure"]}}],
            "mark": {"type": "bar", "clip": True, "cornerRadius": 2, "height": {"band": 0.38}, "yOffset": 6},
            "encoding": {
                "y": y,
                "x": x,
                "x2": {"field": "end"},
                "color": color,
                "stroke": {"condition": {"test": "datum.chosen", "value": "#222222"}, "value": None},
                "strokeWidth": {"value": 2},
                "description": {"field": "aria"},
                "tooltip": tooltip,
            },
        },
        {  # a dot where an event changed the state
            "transform": [{"filter": "isValid(datum.event_id) && datum.event_id != ''"}],
            "mark": {"type": "point", "filled": True, "size": 24, "color": "#222222", "clip": True, "yOffset": 6},
            "encoding": {"y": y, "x": x, "tooltip": tooltip},
        },
        {  # the measure's name over its row, once
            "transform": [{"filter": "datum.first"}],
            "mark": {"type": "text", "align": "left", "baseline": "middle", "x": 2, "yOffset": -7, "fontSize": 11},
            "encoding": {"y": y, "text": {"field": "row"}},
        },
        {
            "data": {"values": [{"day": day}]},
            "mark": {"type": "rule", "color": "#D55E00", "strokeWidth": 2},
            "encoding": {"x": {"field": "day", "type": "temporal"}},
        },
        {
            "data": {"values": [{"day": day, "label": f"on {day}"}]},
            "mark": {"type": "text", "color": "#D55E00", "align": "left", "dx": 4, "baseline": "top", "y": 0},
            "encoding": {"x": {"field": "day", "type": "temporal"}, "text": {"field": "label"}},
        },
    ]
    return vl_spec("Each measure's life, by state", layers, data, height={"step": 30})


def _label_expr(labels: dict[str, str]) -> str:
    pairs = ", ".join(f"'{k}': '{v}'" for k, v in labels.items())
    return f"{{{pairs}}}[datum.value] || datum.value"


def tariff_stack_chart(stack: pd.DataFrame, side: str) -> dict:
    """One side's general tariff layers stacked by authority as steps: the top of the stack (the
    black line) is that side's headline additional rate on all goods of the other."""
    data = stack[stack["side"] == side].copy()
    data["label"] = data["name"] + " (" + data["authority"] + ")"
    # The legend's lines: the layer's name, then its authority wrapped to a phone's width (one line ran
    # past the chart's edge at 390 px).
    data["legend"] = [f"{n}\n{wrapped(f'({a})', 40)}" for n, a in zip(data["name"], data["authority"], strict=True)]
    x = {"field": "day", "type": "temporal", "title": None}
    layers = [
        {
            "mark": {"type": "area", "interpolate": "step-after", "opacity": 0.85},
            "encoding": {
                "x": x,
                "y": {"field": "rate", "type": "quantitative", "stack": "zero", "title": "additional tariff, %"},
                "color": {
                    "field": "legend",
                    "type": "nominal",
                    "title": "Layer (authority)",
                    "legend": {"labelExpr": LINES},
                },
                "tooltip": [
                    {"field": "label", "title": "Layer"},
                    {"field": "day", "title": "From"},
                    {"field": "rate", "title": "%"},
                ],
            },
        },
        {
            "transform": [{"aggregate": [{"op": "sum", "field": "rate", "as": "total"}], "groupby": ["day"]}],
            "mark": {"type": "line", "interpolate": "step-after", "color": "#222222", "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": {"field": "total", "type": "quantitative"},
                "tooltip": [{"field": "day", "title": "From"}, {"field": "total", "title": "Total %"}],
            },
        },
    ]
    title = f"{STACK_PANELS[side]}: general tariff layers stacked by legal authority (black: the total)"
    # Streamlit fits the whole chart, legend included, into the height: 280 px for the plot, its axis
    # and title, and 22 px a legend line (measured in Chromium: less pushed the title out of the chart).
    legend_lines = sum(map(line_count, data["legend"].unique()))
    return vl_spec(title, layers, data, height=280 + 22 * legend_lines)


STACK_PANELS = {"US": "US on Chinese goods", "CN": "China on US goods"}
