"""The revenue page's claims chart as a Vega-Lite spec (pure): who said what, when, in what kind of document."""

from __future__ import annotations

import pandas as pd

from app_pages.revenue.charts import lines_axis, over_all, row_step
from chipsmag.chartbase import row_tuples, vl_spec, wrapped
from chipsmag.grading import strength_of

KIND_COLORS = {
    "filing": "#0072B2",
    "press_release": "#56B4E9",
    "earnings_call": "#009E73",
    "interview": "#E69F00",
    "public_remarks": "#CC79A7",
    "social_post": "#D55E00",
    "news_report": "#999999",
}


def _usd_b(low: float, value: float, high: float) -> str:
    """'$15B', '$0.45B', or the range '$2-5B' where the claim gives one (with or without a point value)."""
    if pd.notna(low) and pd.notna(high) and low != high:
        return f"${round(low, 2):g}-{round(high, 2):g}B"
    return "" if pd.isna(value) else f"${round(value, 2):g}B"


def claims_chart(claims: pd.DataFrame) -> dict:
    """Who said what, when, in what kind of document (USD figures only): each claim a dot at its
    figure (a bar over its range where it gives one), labelled with it, coloured by kind of document."""
    usd = claims[claims["unit"] == "usd_m"]
    # Two lines per label ('date · speaker' over the topic; a long speaker takes a third): on one line
    # they left a phone's plot about 100 px wide.
    billions = usd["value"] / 1000
    low, high = usd["value_low"].fillna(usd["value"]) / 1000, usd["value_high"].fillna(usd["value"]) / 1000
    data = pd.DataFrame(
        {
            "label": [
                wrapped(f"{d} · {s}", 34) + "\n" + t.replace("_", " ")
                for d, s, t in row_tuples(usd, "date", "speaker", "topic")
            ],
            "billions": billions.tolist(),
            "low": low.tolist(),
            "high": high.tolist(),
            "figure": [_usd_b(a, v, b) for a, v, b in zip(low, billions, high, strict=True)],
            "kind_label": usd["kind"].str.replace("_", " ").tolist(),
            "quote": usd["quote"].tolist(),
            "strength": strength_of(usd),
            "qualifier": usd["qualifier"].tolist(),
            "date": usd["date"].tolist(),
        }
    )
    y = {
        "field": "label",
        "type": "nominal",
        "title": None,
        "sort": {"field": "date"},
        "axis": lines_axis(220),  # every label kept
    }
    # Room on the right for the figures beside the dots (the axis still starts at 0).
    x = {"field": "billions", "type": "quantitative", "title": "USD billions", "scale": {"padding": 40, "domainMin": 0}}
    color = {
        "field": "kind_label",
        "type": "nominal",
        "title": "Kind of document",
        "scale": {"domain": [k.replace("_", " ") for k in KIND_COLORS], "range": list(KIND_COLORS.values())},
    }
    layers = [
        {
            "mark": {"type": "rule", "strokeWidth": 3},
            "encoding": {"x": {**x, "field": "low"}, "x2": {"field": "high"}, "y": y, "color": color},
        },
        {
            "mark": {"type": "circle", "size": 110, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "tooltip": [
                    {"field": "label", "title": "Claim"},
                    {"field": "figure", "title": "USD"},
                    {"field": "qualifier", "title": "Qualifier"},
                    {"field": "kind_label", "title": "Kind"},
                    {"field": "quote", "title": "Quote"},
                    {"field": "strength", "title": "Source strength"},
                ],
            },
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 10},
            "encoding": {"x": {**x, "field": "high"}, "y": y, "text": {"field": "figure"}},
        },
    ]
    title = "Claims about losses and markets: who said what, when, where"
    spec = vl_spec(title, layers, data, height={"step": row_step(data["label"])})
    return over_all(spec)
