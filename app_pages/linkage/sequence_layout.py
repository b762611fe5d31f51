"""The chips-for-magnets sequence's layout: where each move, label, arrow and tariff strip goes (no Streamlit).

Time runs down the page, one row per move: US moves on the left, China's on the right, tariffs and
deals in the middle. Each move is labelled with its date and title in its side's gutter; every row
has its own band, so labels never overlap at any width. The layout is computed here, in pixels
down the page and fractions across it, so tests can check it without a browser; sequence.py turns
it into the Vega-Lite spec.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import pandas as pd

from chipsmag.chartbase import cut_word, fill, text_width
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

    def fits(line: str) -> bool:
        return text_width(line) <= LINE_PX

    lines = fill(" ".join(title.split()), fits, lambda word: cut_word(word, fits))
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


def label_x(gutter: str) -> float:
    lo, hi = GUTTER[gutter]
    return hi if gutter == "US" else lo


def label_boxes(lay: Layout, width: float) -> pd.DataFrame:
    """Each label's box in pixels at a given chart width (text width estimated at 0.55 em a
    character): id, gutter, x0, x1, y0, y1. The layout's promise that no two labels overlap and
    none leaves its gutter, stated at a width in pixels: the chart itself never knows its width
    (Vega-Lite sizes it to the container), so only the tests read these boxes, at a phone's and a
    desktop's width."""
    out = []
    for r in lay.rows.itertuples():
        text_w = max(text_width(r.when), *(text_width(line) for line in r.lines))
        lo, hi = GUTTER[r.gutter]
        room = (hi - lo) * width
        w = min(text_w, room)
        x = label_x(r.gutter) * width
        x0, x1 = (x - w, x) if r.gutter == "US" else (x, x + w)
        out.append({"id": r.id, "gutter": r.gutter, "x0": x0, "x1": x1, "y0": r.top, "y1": r.top + r.height - ROW_GAP})
    return pd.DataFrame(out)


def label_rows(lay: Layout) -> list[dict]:
    """The text marks of every row's label: its date, then its title's lines, anchored at the inner
    edge of its gutter (right-aligned on the US side, left-aligned on China's)."""
    labels = []
    for r in lay.rows.itertuples():
        anchor = label_x(r.gutter)
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
    return labels


def focus_set(links: pd.DataFrame, focus: str | None) -> set[str] | None:
    """The chosen move, the moves it answered and the moves that answered it; None for no focus."""
    if not focus:
        return None
    answered = links.loc[links["to_event"] == focus, "from_event"]
    answers = links.loc[links["from_event"] == focus, "to_event"]
    return {focus, *answered, *answers}


def link_rows(lay: Layout, links: pd.DataFrame, focus: set[str] | None) -> tuple[list[dict], list[dict]]:
    pos = {r.id: (r.x, r.y, r.column) for r in lay.rows.itertuples()}
    lines, heads = [], []
    strengths = links["strength"] if "strength" in links.columns else [""] * len(links)
    for link_id, a, b, relation, basis, evidence, cited, strength in zip(
        links["id"],
        links["from_event"],
        links["to_event"],
        links["relation"],
        links["basis"],
        links["evidence"],
        links["source_list"],
        strengths,
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
            "strength": strength,
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
        days, rates = mine["day"].tolist(), mine["rate"].tolist()
        last = None
        for r in lay.rows.itertuples():
            known = bisect.bisect_right(days, r.day)  # the changes on or before the row's date
            rate = rates[known - 1] if known else None
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
