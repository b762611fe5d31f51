"""The chips-for-magnets sequence: every move labelled, no two labels overlapping, at desktop and
phone widths, in the layout and in the rendered SVG."""

from __future__ import annotations

import itertools
import json
import re
from html import unescape

import pandas as pd
import pytest
import vl_convert as vlc

from app_pages.linkage import sequence
from chipsmag import chartbase, hovers, metrics
from chipsmag.filters import apply_to_links, with_plot_dates

WIDTHS = (1400 - 60, 390 - 32)  # the chart's width in a 1400 px window and on a 390 px phone


@pytest.fixture(scope="module")
def year_2025(record):
    t = record.tables
    events = with_plot_dates(t["events"])
    events = events[events["plot_date"].dt.year == 2025]
    links = apply_to_links(hovers.with_link_hovers(t["links"], {}), events["id"])
    moves = events[events["id"].isin(set(links["from_event"]) | set(links["to_event"]))]
    countries = dict(zip(t["actors"]["id"], t["actors"]["country"], strict=True))
    lines = metrics.tariff_lines(t["tariffs"], t["tariff_layers"])
    return moves, links, countries, lines


def test_every_move_is_one_row_in_date_order(year_2025):
    moves, _links, countries, _lines = year_2025
    lay = sequence.layout(moves, countries)
    assert sorted(lay.rows["id"]) == sorted(moves["id"])
    order = moves.set_index("id").loc[lay.rows["id"], "plot_date"]
    assert order.is_monotonic_increasing
    assert (lay.rows["top"].diff().dropna() > 0).all()


@pytest.mark.parametrize("width", WIDTHS, ids=["desktop", "phone"])
def test_labels_never_overlap_and_stay_out_of_the_arrows_band(year_2025, width):
    moves, _links, countries, _lines = year_2025
    boxes = sequence.label_boxes(sequence.layout(moves, countries), width)
    for _gutter, side in boxes.groupby("gutter"):
        side = side.sort_values("y0")
        assert (side["y0"].iloc[1:].to_numpy() >= side["y1"].iloc[:-1].to_numpy()).all()
    us, cn = boxes[boxes["gutter"] == "US"], boxes[boxes["gutter"] == "CN"]
    assert (us["x1"] <= sequence.GUTTER["US"][1] * width + 0.01).all()
    assert (us["x0"] >= sequence.GUTTER["US"][0] * width - 0.01).all()
    assert (cn["x0"] >= sequence.GUTTER["CN"][0] * width - 0.01).all()


def test_a_move_sits_on_the_side_of_the_actor_that_moved():
    events = pd.DataFrame(
        {
            "id": ["A", "B", "C", "D"],
            "plot_date": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]),
            "date": ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"],
            "date_precision": ["day"] * 4,
            "title": ["US rule", "China ban", "A truce of two governments with a long title to wrap", "Dutch order"],
            "actors": ["us_bis", "cn_mofcom;us_bis", "white_house;cn_gov", "netherlands"],
            "lever": ["chips", "magnets", "both", "chips"],
            "category": ["export_control", "rare_earth", "negotiation", "export_control"],
        }
    )
    countries = {"us_bis": "US", "cn_mofcom": "CN", "white_house": "US", "cn_gov": "CN", "netherlands": "NL"}
    rows = sequence.layout(events, countries).rows.set_index("id")
    assert rows.loc["A", ["column", "gutter"]].tolist() == ["US", "US"]
    assert rows.loc["B", ["column", "gutter"]].tolist() == ["CN", "CN"]
    assert rows.loc["C", ["column", "gutter"]].tolist() == ["both", "US"]  # a deal sits between, labelled on its side
    assert rows.loc["D", "column"] == "both"  # a third country's move sits between
    assert 1 < len(rows.loc["C", "lines"]) <= sequence.MAX_LINES
    assert all(chartbase.text_width(line) <= sequence.LINE_PX for line in rows.loc["C", "lines"])


def test_focus_keeps_what_a_move_answered_and_what_answered_it(year_2025):
    moves, links, countries, lines = year_2025
    row = links.iloc[0]
    keep = sequence.focus_set(links, row["to_event"])
    assert {row["from_event"], row["to_event"]} <= keep
    spec = sequence.sequence_chart(moves, links, countries, lines, focus=row["to_event"])
    dim = {r["link"]: r["dim"] for r in spec["data"]["values"]}
    assert dim[row["id"]] is False
    assert all(d == (not ({a, b} <= keep)) for (a, b), d in _routes(spec, links).items())


def _routes(spec, links):
    by_id = links.set_index("id")
    return {
        (by_id.at[r["link"], "from_event"], by_id.at[r["link"], "to_event"]): r["dim"] for r in spec["data"]["values"]
    }


def test_the_tariff_strips_write_a_rate_where_it_changed(year_2025):
    moves, _links, countries, lines = year_2025
    strips = sequence.strips(sequence.layout(moves, countries), lines)
    us = [s for s in strips if s["side"] == "US"]
    written = [s["text"] for s in us if s["text"]]
    assert written[0] == f"{us[0]['rate']:g}"
    assert all(a["rate"] != b["rate"] for a, b in itertools.pairwise(us) if b["text"])


def _svg_texts(svg: str) -> list[dict]:
    """The text marks of a Vega SVG: their string, position and font size."""
    out = []
    for m in re.finditer(r"<text([^>]*)>(.*?)</text>", svg, flags=re.S):
        attrs, body = m.group(1), unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        move = re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", attrs)
        size = re.search(r"font-size=\"([\d.]+)px\"", attrs)
        anchor = re.search(r'text-anchor="(\w+)"', attrs)
        if move and body.strip():
            out.append(
                {
                    "text": body,
                    "x": float(move.group(1)),
                    "y": float(move.group(2)),
                    "size": float(size.group(1)) if size else 11.0,
                    "anchor": anchor.group(1) if anchor else "start",
                }
            )
    return out


@pytest.mark.parametrize("width", WIDTHS, ids=["desktop", "phone"])
def test_the_rendered_svg_holds_every_label_and_no_two_overlap(year_2025, width):
    moves, links, countries, lines = year_2025
    spec = sequence.sequence_chart(moves, links, countries, lines)
    spec["width"] = width
    svg = vlc.vegalite_to_svg(json.dumps(spec))
    texts = _svg_texts(svg)
    shown = {t["text"] for t in texts}
    for row in sequence.layout(moves, countries).rows.itertuples():
        assert row.when in shown, row.id
        for line in row.lines:  # each line whole: Vega cuts a label too wide for its room with '…'
            assert line in shown, (row.id, line, [t for t in shown if t.startswith(line[:8])])
    labels = [t for t in texts if t["y"] > sequence.HEADER and abs(t["size"] - sequence.FONT) < 0.5]
    boxes = []
    for t in labels:
        w = len(t["text"]) * t["size"] * 0.5
        x0 = t["x"] - w if t["anchor"] == "end" else t["x"] - w / 2 if t["anchor"] == "middle" else t["x"]
        boxes.append((x0, x0 + w, t["y"] - t["size"] * 0.8, t["y"] + t["size"] * 0.2, t["text"]))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[1] - 0.5 and b[0] < a[1] - 0.5 and a[2] < b[3] - 0.5 and b[2] < a[3] - 0.5
            assert not overlap, (a, b)
