"""The chips-for-magnets sequence: moves and answers as a two-sided sequence diagram (no Streamlit).

Time runs down the page, one row per move: US moves on the left, China's on the right, tariffs and
deals in the middle. Each move is labelled with its date and title in its side's gutter; every row
has its own band, so labels never overlap at any width. Arrows run from a move to the move that
answered it (colour: relation; dashed: inferred). Thin strips at the edges carry the headline
additional tariff of each side in force at that row's date. The layout is computed here, in
pixels down the page and fractions across it, so tests can check it without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from chipsmag.chartbase import EVENT_TOOLTIP, RELATION_COLORS, as_records, category_color, text_width
from chipsmag.filters import CATEGORY_LABELS
from chipsmag.text import format_event_date

# Across the page, as fractions of the width (a linear scale, so the layout holds at any width).
COLUMN_X = {"US": 0.40, "both": 0.50, "CN": 0.60}
GUTTER = {"US": (0.045, 0.385), "CN": (0.615, 0.955)}  # where each side's labels may go
STRIP = {"US": (0.0, 0.035), "CN": (0.965, 1.0)}  # the tariff strips at the edges
# Column headers over the gutters (the middle band is too narrow for words on a phone).
HEADERS = ((sum(GUTTER["US"]) / 2, "United States"), (0.5, "↕"), (sum(GUTTER["CN"]) / 2, "China"))
# Down the page, in pixels.
MAX_LINES = 5
DATE_LINE, TITLE_LINE, ROW_GAP, HEADER, YEAR_BAND = 14, 13, 10, 34, 28
FONT = 11
LEGEND_ROOM = 270  # px: the title and the legends (answer, category) under the rows
MAX_MOVES = 120  # rows drawn at most (a year holds about 40 linked moves)
PICK = "seq_pick"  # the click selection of a move, by event id
LINK_PICK = "link_pick"  # the click selection of an arrowhead, by link id


@dataclass(frozen=True)
class Layout:
    rows: pd.DataFrame  # one row per move: id, column, gutter, y, height, lines, date text, opacity
    years: pd.DataFrame  # year separators: year, y
    height: int


def side_of(actor_country: str | None) -> str | None:
    if not actor_country:
        return None
    countries = set(actor_country.split(";"))
    if countries == {"US"}:
        return "US"
    if countries == {"CN"}:
        return "CN"
    return None


LINE_PX = 116  # a title line's room: the gutter on a 390 px phone, less a margin


def wrap_title(title: str) -> list[str]:
    """Words on lines that fit LINE_PX; at most MAX_LINES, the last ending in '…' if cut."""
    lines: list[str] = []
    for word in title.split():
        while text_width(word) > LINE_PX:  # a word longer than a line: break it
            cut = max(i for i in range(1, len(word)) if text_width(word[:i]) <= LINE_PX)
            lines.append(word[:cut])
            word = word[cut:]
        if lines and text_width(lines[-1] + " " + word) <= LINE_PX:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        while lines[-1] and text_width(lines[-1] + "…") > LINE_PX:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def layout(events: pd.DataFrame, countries: dict[str, str], focus: set[str] | None = None) -> Layout:
    """Rows in date order; each move's column (US, both, CN) and label gutter (US or CN side).

    ``countries`` maps actor ids to ISO codes; a move sits on the side of the actor that moved
    (its first actor) unless it is a tariff or deal move (lever 'both'), which sits in the middle
    with its label on its first actor's side. ``focus`` holds the ids to show at full strength
    (None: all)."""
    ev = events.sort_values(["plot_date", "id"], kind="stable")
    rows, years = [], []
    y = HEADER
    year = None
    for eid, plot_date, date, precision, title, actors, lever, category in zip(
        ev["id"],
        ev["plot_date"],
        ev["date"],
        ev["date_precision"],
        ev["title"],
        ev["actors"],
        ev["lever"],
        ev["category"],
        strict=True,
    ):
        if plot_date.year != year:
            year = plot_date.year
            years.append({"year": str(year), "y": y + YEAR_BAND / 2})
            y += YEAR_BAND
        first = str(actors).split(";")[0]
        side = side_of(countries.get(first))
        column = "both" if lever == "both" or side is None else side
        gutter = side or "CN"
        lines = wrap_title(str(title))
        height = DATE_LINE + TITLE_LINE * len(lines) + ROW_GAP
        rows.append(
            {
                "id": eid,
                "column": column,
                "gutter": gutter,
                "x": COLUMN_X[column],
                "y": y + DATE_LINE / 2,
                "top": y,
                "height": height,
                "when": format_event_date(date, precision),
                "day": plot_date.strftime("%Y-%m-%d"),
                "title": str(title),
                "lines": lines,
                "category": category,
                "category_label": CATEGORY_LABELS.get(category, category),
                "dim": focus is not None and eid not in focus,
            }
        )
        y += height
    return Layout(pd.DataFrame(rows), pd.DataFrame(years, columns=["year", "y"]), int(y + ROW_GAP))


def _label_x(gutter: str) -> float:
    lo, hi = GUTTER[gutter]
    return hi if gutter == "US" else lo


def label_boxes(lay: Layout, width: float) -> pd.DataFrame:
    """Each label's box in pixels at a given chart width (text width estimated at 0.55 em a
    character): id, gutter, x0, x1, y0, y1. Used to prove that no two labels overlap."""
    out = []
    for r in lay.rows.itertuples():
        text_w = max(text_width(r.when), *(text_width(line) for line in r.lines))
        lo, hi = GUTTER[r.gutter]
        room = (hi - lo) * width
        w = min(text_w, room)
        x = _label_x(r.gutter) * width
        x0, x1 = (x - w, x) if r.gutter == "US" else (x, x + w)
        out.append({"id": r.id, "gutter": r.gutter, "x0": x0, "x1": x1, "y0": r.top, "y1": r.top + r.height - ROW_GAP})
    return pd.DataFrame(out)


def focus_set(links: pd.DataFrame, focus: str | None) -> set[str] | None:
    """The chosen move, the moves it answered and the moves that answered it; None for no focus."""
    if not focus:
        return None
    answered = links.loc[links["to_event"] == focus, "from_event"]
    answers = links.loc[links["from_event"] == focus, "to_event"]
    return {focus, *answered, *answers}


def _link_rows(lay: Layout, links: pd.DataFrame, focus: set[str] | None) -> tuple[list[dict], list[dict]]:
    pos = {r.id: (r.x, r.y, r.column) for r in lay.rows.itertuples()}
    lines, heads = [], []
    for link_id, a, b, relation, basis, evidence, cited in zip(
        links["id"],
        links["from_event"],
        links["to_event"],
        links["relation"],
        links["basis"],
        links["evidence"],
        links["source_list"],
        strict=True,
    ):
        if a not in pos or b not in pos:
            continue
        (x0, y0, c0), (x1, y1, c1) = pos[a], pos[b]
        bump = 0.05 if c0 == c1 else 0.0  # within one column, bow out towards the middle
        if c0 == "CN":
            bump = -bump
        mid = ((x0 + x1) / 2 + bump, (y0 + y1) / 2)
        dim = focus is not None and not (a in focus and b in focus)
        common = {
            "link": link_id,
            "relation": relation,
            "basis": basis,
            "route": f"{a} → {b}",
            "evidence": evidence,
            "sources": cited,
            "dim": dim,
        }
        for order, (x, y) in enumerate(((x0, y0), mid, (x1, y1))):
            lines.append({**common, "order": order, "x": x, "y": y})
        tx, ty = mid[0] + (x1 - mid[0]) * 0.75, mid[1] + (y1 - mid[1]) * 0.75  # arrowhead on the last stretch
        shape = "triangle-down" if y1 >= y0 else "triangle-up"
        heads.append({**common, "x": tx, "y": ty, "shape": shape, "aria": f"Link {link_id}, {a} → {b}, {relation}"})
    return lines, heads


def strips(lay: Layout, tariff_lines: pd.DataFrame) -> list[dict]:
    """Per row and side, the headline additional tariff in force at the row's date; the value is
    written where it changed since the row above."""
    out = []
    for side in ("US", "CN"):
        mine = tariff_lines[tariff_lines["side"] == side].sort_values("day")
        last = None
        for r in lay.rows.itertuples():
            known = mine[mine["day"] <= r.day]
            rate = known["rate"].iloc[-1] if len(known) else None
            rate = None if rate is None or pd.isna(rate) else float(rate)
            x0, x1 = STRIP[side]
            out.append(
                {
                    "side": side,
                    "x": x0,
                    "x2": x1,
                    "y": r.top,
                    "y2": r.top + r.height,
                    "rate": rate,
                    "text": "" if rate is None or rate == last else f"{rate:g}",
                }
            )
            last = rate
    return out


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
    line_rows, heads = _link_rows(lay, links, keep)
    x = {"field": "x", "type": "quantitative", "scale": {"domain": [0, 1]}, "axis": None}
    y = {"field": "y", "type": "quantitative", "scale": None, "axis": None}
    labels = []
    for r in rows.itertuples():
        anchor = _label_x(r.gutter)
        align = "right" if r.gutter == "US" else "left"
        labels.append(
            {"id": r.id, "x": anchor, "y": r.top + 1, "text": r.when, "kind": "date", "align": align, "dim": r.dim}
        )
        for i, line in enumerate(r.lines):
            labels.append(
                {
                    "id": r.id,
                    "x": anchor,
                    "y": r.top + DATE_LINE + 1 + i * TITLE_LINE,
                    "text": line,
                    "kind": "title",
                    "align": align,
                    "dim": r.dim,
                }
            )
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
                "mark": {"type": "rect"},
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
