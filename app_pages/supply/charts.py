"""The supply page's charts: pure functions of frames and options that return Vega-Lite specs."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    CATEGORY_COLORS,
    SIDE_COLORS,
    VEGA_CONFIG,
    as_records,
    day_text,
    event_marks,
    period_label,
    row_tuples,
    series_color,
    vega_title,
    vl_spec,
)
from chipsmag.grading import strength_of
from chipsmag.metrics import STAGE_LABELS, STAGE_ORDER

MAGNET_SERIES = {
    "To all destinations, reported (t, left axis)": "#999999",
    "To all destinations, computed (t, left axis)": "#CCCCCC",
    "To the United States (t, right axis)": SIDE_COLORS["US"],
}


# Text read upwards from its anchor at a bar's foot (rotated a quarter turn): one line of it is as
# narrow as a month's bar on a phone.
UPRIGHT = {"type": "text", "angle": 270, "align": "left", "baseline": "middle", "dx": 4}


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
            "month": [period_label(a, b) for a, b in row_tuples(exports, "period_start", "period_end")],
            "mid": day_text(starts + (ends - starts) / 2),
            "x0": day_text(starts + pd.Timedelta(days=4)),
            "x1": day_text(ends - pd.Timedelta(days=4)),
            "several": (exports["period_start"] != exports["period_end"]).tolist(),
            "span": [
                f"{(b.year - a.year) * 12 + b.month - a.month + 1} months" for a, b in zip(starts, ends, strict=True)
            ],
            "tonnes_total": exports["tonnes_total"].tolist(),
            "total_status": exports["total_status"].tolist(),
            "series": [computed if s == "computed" else reported for s in exports["total_status"]],
            "tonnes_to_us": exports["tonnes_to_us"].tolist(),
            "to_us_status": exports["to_us_status"].tolist(),
            "strength": strength_of(exports),
        }
    )
    axis = {"format": "%b %Y", "gridColor": "#eeeeee", "tickCount": {"interval": "month", "step": 1}}
    x = {"field": "mid", "type": "temporal", "title": None, "axis": axis}  # ticks on months: each month once
    tooltip = [
        {"field": "month", "title": "Period"},
        {"field": "tonnes_total", "type": "quantitative", "format": ",.0f", "title": "All destinations (t)"},
        {"field": "total_status", "title": "Status"},
        {"field": "tonnes_to_us", "type": "quantitative", "format": ",.1f", "title": "To the US (t)"},
        {"field": "strength", "title": "Source strength"},
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
                    "color": series_color(MAGNET_SERIES),
                    "tooltip": tooltip,
                },
            },
            {  # a period of several months says so inside its bar, upright from its foot: clear of
                # the events' triangles over the bars and as narrow as the bar is on a phone
                "transform": [{"filter": "datum.several"}],
                "mark": {**UPRIGHT, "fontSize": 10, "color": "#ffffff"},
                "encoding": {"x": x, "y": {"datum": 0}, "text": {"field": "span"}},
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
                "data": {"values": as_records(missing[["mid", "month"]])},
                "mark": {**UPRIGHT, "color": "#777777"},  # upright: neighbours' labels clear each other on a phone
                "encoding": {"x": x, "y": {"value": {"expr": "height"}}, "text": {"value": "n/a"}},
            }
        )
    if len(events):
        layers.append(event_marks(events, x, CATEGORY_COLORS["rare_earth"]))
    title = "China's rare-earth magnet exports per reported period, with magnet-lever events"
    return vl_spec(title, layers, months, height=380, resolve={"scale": {"y": "independent"}})


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
        "data": {"values": as_records(data)},
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
    data["strength"] = strength_of(shares)
    data["source"] = data["source_ids"].str.split(";").str[0].map(lambda sid: source_names.get(sid, sid))
    order = [STAGE_LABELS[s] for s in STAGE_ORDER]
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
    ] + [{"field": "strength", "type": "nominal", "title": "Source strength"}]
    layers = [
        *_share_range_layers(x, "y", 10, 120, tooltip, shape={"field": "basis", "type": "nominal", "title": "Basis"}),
        {
            "data": {"values": [{"y": 80, "t": "seed articles: 'over 80%'"}]},
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
    return vl_spec("China's share of rare earths by stage: each dot is one source", layers, data, height=340)


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
    return vl_spec("Concentration (Herfindahl-Hirschman index) by stage", layers, data, height={"step": 34})


def minerals_chart(supply: pd.DataFrame, source_names: dict[str, str]) -> dict:
    data = supply[supply["mineral"].isin(["gallium", "germanium", "graphite"]) & supply["share_pct"].notna()].copy()
    data["row"] = data["mineral"].str.capitalize() + " · " + data["stage"].map(STAGE_LABELS)
    data["source"] = data["source_ids"].map(lambda sid: source_names.get(sid, sid))
    data["strength"] = strength_of(data)
    data = data[["row", "share_pct", "qualifier", "year", "source", "note", "strength"]]
    y = {"field": "row", "type": "nominal", "title": None, "axis": {"labelLimit": 320}}
    tooltip = [{"field": f} for f in ("row", "share_pct", "qualifier", "year", "source", "note")]
    tooltip.append({"field": "strength", "title": "Source strength"})
    layers = _share_range_layers(y, "x", 8, 100, tooltip)
    return vl_spec(
        "Gallium, germanium, graphite: China's share, range across sources", layers, data, height={"step": 34}
    )
