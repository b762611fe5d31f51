"""The revenue page's charts: pure functions of frames and options that return Vega-Lite specs."""

from __future__ import annotations

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from chipsmag.chartbase import (
    CATEGORY_COLORS,
    FONT,
    SIDE_COLORS,
    VEGA_CONFIG,
    as_records,
    esc,
    row_tuples,
    series_color,
    title_lines,
    vega_title,
    vl_spec,
)
from chipsmag.text import format_event_date

KIND_COLORS = {
    "filing": "#0072B2",
    "press_release": "#56B4E9",
    "earnings_call": "#009E73",
    "interview": "#E69F00",
    "public_remarks": "#CC79A7",
    "social_post": "#D55E00",
    "news_report": "#999999",
}


def _axis(**props) -> dict:
    return {"showgrid": True, "gridcolor": "#eeeeee", "zeroline": False, **props}


class Spec:
    """A figure under construction: a list of traces and a layout dict (fresh per figure)."""

    def __init__(self, title: str, height: int = 420, **layout) -> None:
        self.data: list[dict] = []
        lines = title_lines(title)
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
                "color": series_color(QUARTER_SERIES),
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
    return vl_spec(f"Nvidia by quarter, {span}: total, Data Center and China", layers, bars, height=480)


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
