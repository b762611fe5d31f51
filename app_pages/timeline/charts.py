"""The timeline page's charts: pure functions of frames and options that return Vega-Lite specs."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    CATEGORY_COLORS,
    TIME_X,
    category_color,
    lane_of,
    lane_y,
    vl_spec,
)
from chipsmag.filters import CATEGORY_LABELS

# Above these sizes a chart aggregates or draws a bounded subset, and says so: a page must stay
# light however large the data grows.
MAX_EVENT_POINTS = 1500

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
