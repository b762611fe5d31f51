"""The scenario's charts as Vega-Lite specs (pure): the range of net revenue by quarter against the
sourced actuals, and the tornado of each input's band."""

from __future__ import annotations

import pandas as pd

from app_pages.revenue.charts import lines_axis, over_all, row_step
from chipsmag.chartbase import SIDE_COLORS, as_records, row_tuples, series_color, vl_spec, wrapped

RANGE_SERIES = {
    "Low-high range": "#D1E6F1",  # the base's blue at 18% on white: a pale band behind the paths
    "Expected net revenue (base)": SIDE_COLORS["US"],
    "Serviceable demand (no controls)": "#555555",
    "Actual H20 sales to China (sourced)": SIDE_COLORS["China"],
}
TORNADO_SERIES = {"Pessimistic end": SIDE_COLORS["China"], "Optimistic end": SIDE_COLORS["US"]}
USD = {"type": "quantitative", "format": "$.2f", "title": "USD billions"}


def quarter_x(quarters: list[str]) -> dict:
    """The horizon's quarters in order, each label on two lines ('Q1' over 'FY26') to fit a phone."""
    return {
        "field": "quarter",
        "type": "ordinal",
        "title": None,
        "sort": quarters,
        "scale": {"paddingOuter": 0.2},
        "axis": {"labelAngle": 0, "labelExpr": "split(replace(datum.label, 'FY20', 'FY'), ' ')", "labelOverlap": False},
    }


def range_chart(rng: pd.DataFrame, backtest: pd.DataFrame) -> dict:
    """Net China revenue per quarter: the low-high band, the base path, serviceable demand and the
    sourced actuals of the back-test."""
    band, base, serviceable, actual = RANGE_SERIES
    x = quarter_x(rng["quarter"].tolist())
    y = {"type": "quantitative", "title": "USD billions per quarter"}
    paths = pd.DataFrame(
        {
            "quarter": rng["quarter"].tolist() * 2,
            "series": [base] * len(rng) + [serviceable] * len(rng),
            "usd_b": rng["base"].tolist() + rng["serviceable"].tolist(),
        }
    )
    actuals = pd.DataFrame(
        {
            "quarter": backtest["quarter"].tolist(),
            "series": actual,
            "usd_b": backtest["actual_usd_b"].tolist(),
            "note": backtest["note"].tolist(),
        }
    )
    # One colour legend for the band, the paths and the actuals: two legends side by side ran past a
    # phone's width.
    color = {**series_color(RANGE_SERIES), "legend": {"symbolType": "circle", "symbolOpacity": 1}}
    quarter_tip = {"field": "quarter", "title": "Quarter"}
    layers = [
        {
            "mark": {"type": "area"},
            "encoding": {
                "x": x,
                "y": {**y, "field": "low"},
                "y2": {"field": "high"},
                "color": {**color, "field": "band"},
                "tooltip": [
                    quarter_tip,
                    {**USD, "field": "low", "title": "Low"},
                    {**USD, "field": "high", "title": "High"},
                ],
            },
        },
        # One layer per path, each with its own line (base: solid and thick; serviceable: thin and
        # dashed): a stroke width or dash encoded by field puts the colour legend's symbols over its
        # labels as Streamlit draws them.
        *(
            {
                "data": {"values": as_records(paths)},
                "transform": [{"filter": {"field": "series", "equal": name}}],
                "mark": {"type": "line", "point": True, "strokeWidth": width, "strokeDash": dash},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "usd_b"},
                    "color": color,
                    "tooltip": [quarter_tip, {"field": "series", "title": "Series"}, {**USD, "field": "usd_b"}],
                },
            }
            for name, width, dash in ((base, 3, [1, 0]), (serviceable, 1.5, [6, 4]))
        ),
        {
            "data": {"values": as_records(actuals)},
            "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 150, "opacity": 1},
            "encoding": {
                "x": x,
                "y": {**y, "field": "usd_b"},
                "color": color,
                "tooltip": [quarter_tip, {**USD, "field": "usd_b", "title": "Actual, USD billions"}, {"field": "note"}],
            },
        },
    ]
    title = "Nvidia China data-center revenue by quarter: scenario range and actuals"
    # The height holds the plot and the four-entry legend under it.
    return vl_spec(title, layers, rng[["quarter", "low", "high"]].assign(band=band), height=430)


def tornado_chart(t: pd.DataFrame) -> dict:
    """Total net revenue over the horizon as each input alone moves to either end of its band: a bar
    from the base to each end, labelled with the total there; the biggest swing on top."""
    base = float(t["base"].iloc[0]) if len(t) else 0.0
    rows = []
    for label, low, high, band in row_tuples(t, "input", "low", "high", "band"):
        for series, value in zip(TORNADO_SERIES, (low, high), strict=True):
            rows.append(
                {
                    "input": wrapped(label, 22),
                    "name": label,
                    "series": series,
                    "total": value,
                    "change": value - base,
                    "band": band,
                    "label": f"${value:,.2f}B",
                    "pessimistic": series == "Pessimistic end",
                }
            )
    data = pd.DataFrame(rows, columns=["input", "name", "series", "total", "change", "band", "label", "pessimistic"])
    y = {
        "field": "input",
        "type": "nominal",
        "title": None,
        "sort": [wrapped(v, 22) for v in reversed(t["input"].tolist())],
        "axis": lines_axis(150),  # every label kept
    }
    x = {
        "field": "total",
        "type": "quantitative",
        "title": f"USD billions (base: {base:.2f})",
        "scale": {"zero": False, "padding": 48},  # room for the totals beside the bars' ends
    }
    tooltip = [
        {"field": "name", "title": "Input"},
        {"field": "series", "title": "End of its band"},
        {"field": "band", "title": "Band"},
        {**USD, "field": "total", "title": "Total net revenue, USD billions"},
        {"field": "change", "type": "quantitative", "format": "+$.2f", "title": "Change, USD billions"},
    ]
    ends = {"x": x, "y": y, "text": {"field": "label"}, "tooltip": tooltip}
    layers = [
        {
            "mark": {"type": "bar", "height": {"band": 0.6}},
            "encoding": {
                "x": x,
                "x2": {"datum": base},
                "y": y,
                "color": series_color(TORNADO_SERIES),
                "tooltip": tooltip,
            },
        },
        {
            "transform": [{"filter": "datum.pessimistic"}],
            "mark": {"type": "text", "align": "right", "dx": -4, "fontSize": 10},
            "encoding": ends,
        },
        {
            "transform": [{"filter": "!datum.pessimistic"}],
            "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
            "encoding": ends,
        },
        {
            "data": {"values": [{}]},  # one rule, not one per row
            "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#333333"},
            "encoding": {"x": {"datum": base, "type": "quantitative"}},
        },
    ]
    title = "Sensitivity: total net revenue over 8 quarters (USD billions)"
    return over_all(vl_spec(title, layers, data, height={"step": row_step(data["input"])}))
