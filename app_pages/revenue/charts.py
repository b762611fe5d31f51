"""The revenue page's History charts (Nvidia by fiscal year and by quarter) and the helpers its other
charts share: pure functions of frames that return Vega-Lite specs."""

from __future__ import annotations

import json

import pandas as pd

from chipsmag.chartbase import (
    CATEGORY_COLORS,
    LINES,
    SIDE_COLORS,
    as_records,
    event_marks,
    line_count,
    row_tuples,
    series_color,
    vl_spec,
)
from chipsmag.grading import strength_of
from chipsmag.text import format_event_date

LINE_PX, ROW_GAP_PX = 14, 12  # a band axis's label line, and the gap between two rows' labels


def lines_axis(label_limit: int) -> dict:
    """A band axis of labels on several lines (``wrapped``), every label kept: Vega's default drops
    every other label it finds crowded, which leaves rows unnamed. Its rows are ``row_step`` tall."""
    return {"labelExpr": LINES, "labelLimit": label_limit, "labelPadding": 6, "labelOverlap": False}


def row_step(labels) -> int:
    """Pixels a row of a ``lines_axis``: as tall as the longest label, plus a gap."""
    return LINE_PX * max(map(line_count, labels), default=1) + ROW_GAP_PX


def over_all(spec: dict) -> dict:
    """The spec with its title centred over the whole chart, row labels included, not over the plot
    alone: beside a phone's wide row labels a plot-centred title ran off the right edge."""
    title = spec["title"] if isinstance(spec["title"], dict) else {"text": spec["title"]}
    return {**spec, "title": {**title, "frame": "bounds"}}


def _listed(events: pd.DataFrame, limit: int = 12) -> str:
    """Tooltip text listing events, the first ``limit`` of them and a count of the rest."""
    head = events.head(limit)
    lines = [
        f"{i} {format_event_date(d, p)}: {title}"
        for i, d, p, title in row_tuples(head, "id", "date", "date_precision", "title")
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
            "data": {"values": as_records(rows)},
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


def revenue_annual_chart(annual: pd.DataFrame, marks: dict[str, pd.DataFrame] | None = None) -> dict:
    """Nvidia by fiscal year as Vega-Lite: China and the rest stacked (the total alone where China
    is unverified), China's share on the right axis, chip export-control events above the bars."""
    china, rest, unverified, share_label, _ = ANNUAL_SERIES
    known = annual["china_status"].eq("reported").tolist()
    parts = []
    for period, total, ch, rw, k in row_tuples(annual, "fiscal_period", "total", "china", "rest", "china_status"):
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
                "color": series_color(ANNUAL_SERIES),
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
                "data": {"values": as_records(notes)},
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
            "data": {"values": as_records(shares)},
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
    return vl_spec(title, layers, bars, height=540, resolve={"scale": {"y": "independent"}})


QUARTER_SERIES = {"Total": "#555555", "Data Center": "#999999", "China incl. Hong Kong": SIDE_COLORS["China"]}
QUARTER_METRICS = dict(zip(("total", "data_center", "china_incl_hk"), QUARTER_SERIES, strict=True))
NARROW = 800  # px: a plot narrower than this (a phone, a narrow window) turns the bars' labels upright


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


def quarter_spans(quarters: pd.DataFrame) -> pd.DataFrame:
    """Each fiscal quarter's first and last day: from the day after the previous quarter's end (the
    first quarter: three months before its end), as ``metrics.events_in_periods`` counts them."""
    ends = pd.to_datetime(quarters.drop_duplicates("fiscal_period").set_index("fiscal_period")["period_end"])
    starts = ends.shift(1) + pd.Timedelta(days=1)
    if len(ends):
        starts.iloc[0] = ends.iloc[0] - pd.DateOffset(months=3) + pd.Timedelta(days=1)
    return pd.DataFrame({"start": starts, "end": ends})


def _quarter_x(spans: pd.DataFrame) -> dict:
    """A time axis labelled with the fiscal quarters ('Q1' over 'FY2026') at their middles."""
    mids = spans["start"] + (spans["end"] - spans["start"]) / 2
    names = {m.strftime("%Y-%m-%d"): p.split(" ") for p, m in zip(spans.index, mids, strict=True)}
    return {
        "field": "x0",
        "type": "temporal",
        "title": None,
        "axis": {
            "values": [{"year": m.year, "month": m.month, "date": m.day} for m in mids],
            "labelExpr": f"{json.dumps(names)}[timeFormat(datum.value, '%Y-%m-%d')]",
            "labelOverlap": False,
            "grid": False,
        },
    }


def _upright(narrow: object, wide: object) -> dict:
    return {"expr": f"width < {NARROW} ? {narrow!r} : {wide!r}"}


def revenue_quarters_chart(quarters: pd.DataFrame, events: pd.DataFrame | None = None) -> dict:
    """Nvidia's quarters as Vega-Lite, on a time axis: total, Data Center and China side by side in
    each quarter, each labelled with its value or 'unverified' (never drawn); the chip export-control
    events of those quarters on the days they fell, named by id (``event_marks``, as on every page)."""
    spans = quarter_spans(quarters)
    shown = quarters[quarters["metric"].isin(list(QUARTER_METRICS))]
    reported = shown["status"].eq("reported")
    values = (shown["value_usd_m"].where(reported) / 1000).tolist()
    slot = shown["metric"].map({m: k for k, m in enumerate(QUARTER_METRICS)})
    start, end = shown["fiscal_period"].map(spans["start"]), shown["fiscal_period"].map(spans["end"])
    width = (end - start) * 0.28  # three bars take 84% of the quarter, 8% left free either side
    x0 = start + (end - start) * 0.08 + width * slot
    bars = pd.DataFrame(
        {
            "fiscal_period": shown["fiscal_period"].tolist(),
            "days": [f"{a:%Y-%m-%d} to {b:%Y-%m-%d}" for a, b in zip(start, end, strict=True)],
            "series": shown["metric"].map(QUARTER_METRICS).tolist(),
            "usd_b": values,
            "label": _quarter_labels(shown["fiscal_period"].tolist(), values),
            "label_at": [v if pd.notna(v) else 0.0 for v in values],  # 'unverified' sits on the axis
            "status": shown["status"].tolist(),
            "strength": strength_of(shown),
            "x0": (x0 + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d").tolist(),
            "x1": (x0 + width - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d").tolist(),
            "mid": (x0 + width / 2).dt.strftime("%Y-%m-%d").tolist(),
        }
    )
    x = _quarter_x(spans)
    known = [v for v in values if pd.notna(v)]
    # Headroom over the tallest bar for its label and the events' rows at the top of the plot.
    top = max(10, -(-max(known, default=0) * 1.45 // 10) * 10)
    usd = {"field": "usd_b", "type": "quantitative", "title": "USD billions", "scale": {"domain": [0, top]}}
    layers = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": x,
                "x2": {"field": "x1"},
                "y": usd,
                "y2": {"datum": 0},
                "color": series_color(QUARTER_SERIES),
                "tooltip": [
                    {"field": "fiscal_period", "title": "Quarter"},
                    {"field": "days", "title": "Days"},
                    {"field": "series", "title": "Metric"},
                    {"field": "label", "title": "USD"},
                    {"field": "status", "title": "Status"},
                    {"field": "strength", "title": "Source strength"},
                ],
            },
        },
        {
            "mark": {
                "type": "text",
                "fontSize": 10,
                "angle": _upright(270, 0),
                "align": _upright("left", "center"),
                "baseline": _upright("middle", "bottom"),
                "dx": _upright(4, 0),
                "dy": _upright(0, -4),
            },
            "encoding": {
                "x": {**x, "field": "mid"},
                "y": {**usd, "field": "label_at"},
                "text": {"field": "label"},
            },
        },
    ]
    if events is not None and len(events):
        layers.append(event_marks(events, x, CATEGORY_COLORS["export_control"]))
    # The height holds the plot and the legend under it (Streamlit fits the whole chart to it).
    periods = list(spans.index)
    span = f"{periods[0]} to {periods[-1]}" if periods else ""
    return vl_spec(f"Nvidia by quarter, {span}: total, Data Center and China", layers, bars, height=520)
