"""The linkage page's charts: pure functions of frames and options that return Vega-Lite specs."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    CATEGORY_COLORS,
    LEVER_LANES,
    RELATION_COLOR,
    SIDE_COLORS,
    as_records,
    event_marks,
    row_tuples,
    series_color,
    vl_spec,
)
from chipsmag.filters import LEVER_LABELS

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


def with_unknown_ends(domain: list[str], lines: pd.DataFrame) -> list[str]:
    """The range of every date stretched to the last scheduled end that passed with no recorded outcome
    (the chart draws a '?' only inside its range)."""
    days = lines.loc[lines["unknown"].astype(bool), "day"].tolist()
    if not days:
        return domain
    last = (pd.Timestamp(max(days)) + pd.Timedelta(days=30)).strftime("%Y-%m-%d")
    return [domain[0], max(domain[1], last)]


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
        for day, rate, comps, trigger, computed, is_unknown in row_tuples(
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
        for day, rate, trigger in row_tuples(rows, "effective_date", "rate_pct", "trigger"):
            product_steps.append({"day": day, "rate": rate, "layer": layer, "name": name, "why": trigger})
        if stop > product_steps[-1]["day"]:
            product_steps.append({**product_steps[-1], "day": stop})
    for status, label in TARIFF_MARKS.items():
        for layer, day, rate, note, trigger in row_tuples(
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
    encoding = {"x": x, "y": y, "color": series_color(colors), "tooltip": tooltip}
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
        ends = ends[ends["day"].between(*domain)]  # a label at an end past the range would be cut by the plot
        ends["label"] = [
            f"{n}: {r:g}%" if ";" not in n else f"{n.count(';') + 1} product layers: {r:g}%"
            for n, r in row_tuples(ends, "names", "rate")
        ]
        layers_out += [
            {
                "data": {"values": as_records(pdata)},
                "mark": {
                    "type": "line",
                    "interpolate": "step-after",
                    "strokeDash": [5, 3],
                    "strokeWidth": 1.5,
                    "clip": True,
                },
                "encoding": {
                    **encoding,
                    "detail": {"field": "layer"},
                    "tooltip": [{"field": "name", "title": "Layer"}, *tooltip[1:]],
                },
            },
            {
                "data": {"values": as_records(ends)},
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
    unknown = [u for u in unknown if domain[0] <= u["day"] <= domain[1]]  # marks in the range only
    if unknown:
        layers_out.append(
            {
                "data": {"values": [{**u, "label": "?"} for u in unknown]},
                "mark": {
                    "type": "text",
                    "align": "right",  # left of its date: a date at the plot's end keeps its '?' inside
                    "dx": -3,
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
    return vl_spec("Additional tariffs by legal layer (%)", layers_out, pd.DataFrame(steps), height=520)


def lever_pairs_chart(links: pd.DataFrame, events: pd.DataFrame) -> dict:
    """Which lever's move was answered by which lever's move, and how: links counted per pair of
    levers, stacked by relation."""
    lever = events.set_index("id")["lever"]
    frame = links.assign(src=links["from_event"].map(lever), dst=links["to_event"].map(lever)).dropna(
        subset=["src", "dst"]
    )
    counts = frame.groupby(["src", "dst", "relation"]).size().reset_index(name="n")
    counts["pair"] = [f"{LEVER_LABELS[a]} → {LEVER_LABELS[b]}" for a, b in row_tuples(counts, "src", "dst")]
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
    return vl_spec("Links by lever: which kind of move answered which", [layer], data, height={"step": 34})
