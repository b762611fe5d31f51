"""Chips for magnets: the page's model (filters, periods, focus, the link card), its charts (the
sequence of moves and answers, the tariff steps, the links by lever), and a few runs of the real app
for what only it shows (options read from the URL into the share link, the link card).

The sequence: every move labelled, no two labels overlapping, at desktop and phone widths, in the
layout and in the rendered SVG."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pandas as pd
import pytest
import vl_convert as vlc

from app_pages.linkage import charts, model, sequence
from app_pages.linkage import sequence_layout as seq_layout
from chipsmag import chartbase, hovers, metrics
from chipsmag.filters import (
    Filters,
    apply_to_links,
    with_plot_dates,
)
from support.apptest import open_page, share_link, texts, vega_values
from support.svg import svg_texts

WIDTHS = (1400 - 60, 390 - 32)  # the chart's width in a 1400 px window and on a 390 px phone
EVERYTHING = Filters(dt.date(2018, 1, 1), dt.date(2025, 12, 31))  # the whole record_2025 fixture


@pytest.fixture(scope="module")
def derived(record):
    """What the app's per-version caches hand the model, derived here without Streamlit."""
    t = record.tables
    names = dict(zip(t["actors"]["id"], t["actors"]["name"], strict=True))
    return model.Derived(
        hovers.with_hovers(with_plot_dates(t["events"]), names, {}),
        hovers.with_link_hovers(t["links"], {}),
        metrics.tariff_lines(t["tariffs"], t["tariff_layers"]),
    )


def build(record, derived, period="all", relations=(), basis=(), focus=None, link=None, filters=EVERYTHING):
    return model.build(record, filters, period, list(relations), list(basis), focus, link, derived)


# The model.


def test_the_url_parameters_and_the_period_the_page_opens_on(record):
    params = {p.key: p for p in model.params(record, dt.date(2026, 1, 1))}
    assert list(params) == ["period", "relation", "basis", "link", "focus", "link_rows"]
    assert params["link_rows"].kind == "flag"  # the table of the links, drawn when opened
    assert all(p.page == "linkage" for p in params.values())
    assert params["period"].options == ("2025", "all")  # only 2025 has five links ending in it
    assert params["relation"].options == model.RELATIONS and params["basis"].options == ("stated", "inferred")
    assert params["link"].options == tuple(record.tables["links"]["id"])
    assert params["focus"].options == tuple(record.tables["events"]["id"])
    assert model.default_period(["2024", "2025", "all"]) == "2025"
    assert model.default_period(["all"]) == "all"


def test_relation_and_basis_filters(record, derived):
    full = build(record, derived)
    assert {r["link"] for r in full.sequence["data"]["values"]} == set(record.tables["links"]["id"])
    assert full.total_links == len(record.tables["links"]) == len(full.links)
    m = build(record, derived, relations=["quid pro quo"], basis=["stated"])
    assert {(r["relation"], r["basis"]) for r in m.sequence["data"]["values"]} == {("quid pro quo", "stated")}
    assert {r["link"] for r in m.sequence["data"]["values"]} == {"L13", "L15", "L17", "L18"}
    assert list(m.table["id"]) == ["L13", "L15", "L17", "L18"]
    assert m.total_links == len(record.tables["links"])
    inferred = build(record, derived, basis=["inferred"])  # each filter alone
    assert set(inferred.links["basis"]) == {"inferred"} and len(inferred.links) == 8
    answers = build(record, derived, relations=["retaliation", "concession"])
    assert set(answers.links["relation"]) == {"retaliation", "concession"} and len(answers.links) == 13
    assert set(m.link_sources) == {s for ids in m.links["source_ids"] for s in ids.split(";")}


def test_a_year_keeps_its_linked_moves_in_date_order(record, derived):
    m = build(record, derived, period="2025")
    assert (m.moves["plot_date"].dt.year == 2025).all()
    assert m.moves["plot_date"].is_monotonic_increasing
    ends = {e for r in m.sequence["data"]["values"] for e in r["route"].split(" → ")}
    assert ends == set(m.moves["id"])  # every move drawn takes part in a link drawn
    assert m.domain == ["2024-11-15", "2026-01-15"]
    assert set(m.tariff_moves["category"]) == {"tariff"}
    assert m.tariff_moves["plot_date"].between(*m.domain).all()
    backwards = model.Derived(derived.events.iloc[::-1], derived.links, derived.tariff_lines)
    assert build(record, backwards, period="2025").move_ids == m.move_ids  # the focus list runs in date order
    assert m.move_labels(["E28"]) == {"E28": f"E28 · {m.moves.set_index('id').at['E28', 'title']}"}


def test_focus_holds_only_for_a_move_on_the_chart(record, derived):
    m = build(record, derived, period="2025", focus="E28")
    assert m.focus == "E28"
    marks = next(layer for layer in m.sequence["layer"] if layer.get("params", [{}])[0].get("name") == sequence.PICK)
    assert [r["id"] for r in marks["data"]["values"] if r["chosen"]] == ["E28"]
    old = record.tables["events"].set_index("id").loc["E07", "date"]
    assert old < "2025"
    assert build(record, derived, period="2025", focus="E07").focus is None  # a move of another year
    assert build(record, derived, period="2025", focus="E999").focus is None


def test_the_sequence_draws_the_latest_moves_when_too_many_match(record, derived, monkeypatch):
    monkeypatch.setattr(sequence, "MAX_MOVES", 10)
    m = build(record, derived)
    assert m.hidden_moves == len(m.moves) - 10 > 0
    marks = next(layer for layer in m.sequence["layer"] if layer.get("params", [{}])[0].get("name") == sequence.PICK)
    assert [r["id"] for r in marks["data"]["values"]] == m.move_ids[-10:]
    latest = set(m.move_ids[-10:])
    drawn = {r["link"] for r in m.sequence["data"]["values"]}
    assert drawn == set(apply_to_links(m.links, latest)["id"])
    assert set(m.sequence_sources) == {
        s for ids in m.links[m.links["id"].isin(drawn)]["source_ids"] for s in ids.split(";")
    }


def test_nothing_matches_a_window_without_links_or_tariffs(record, derived):
    m = build(record, derived, period="2025", filters=Filters(dt.date(2019, 1, 1), dt.date(2019, 2, 1)))
    assert m.sequence is None and m.tariffs is None and m.pairs is None
    assert m.links.empty and m.total_links == len(record.tables["links"])


def test_the_link_card_names_both_moves_and_quotes_the_evidence(record, derived):
    card = build(record, derived, relations=["retaliation"], link="L17").card  # a link the filters hide
    assert (card.link, card.relation, card.basis) == ("L17", "quid pro quo", "stated")
    assert (card.from_title, card.from_when) == ("MOFCOM confirms deal terms", "27 Jun 2025")
    assert (card.to_title, card.to_when) == ("Nvidia to resume H20 sales", "14 Jul 2025")
    assert "We put that in the trade deal with the magnets" in card.evidence
    assert card.source_ids == ("btimes_20250716", "kesq_cnn_20250715")
    assert build(record, derived).card is None
    assert model.link_labels(record.tables["links"], ["L17"]) == {"L17": "L17 · E40 → E42 · quid pro quo"}


# The tariff chart and the links by lever.


def test_the_tariff_chart_draws_the_headline_steps_from_the_layers(record):
    t = record.tables
    domain = charts.linkage_domain(with_plot_dates(t["events"]), "2025")
    assert domain == ["2024-11-15", "2026-01-15"]
    lines = metrics.tariff_lines(t["tariffs"], t["tariff_layers"])
    tariffs = charts.tariff_chart(lines, t["tariffs"], t["tariff_layers"], domain, end="2025-12-08")
    us = [r["rate"] for r in tariffs["data"]["values"] if r["series"].startswith("US on China")]
    assert us == [10, 20, 104, 145, 30, 30, 20, 20]  # each change, then the last rate held to the end
    assert tariffs["layer"][0]["mark"]["interpolate"] == "step-after"
    threats = next(layer for layer in tariffs["layer"] if layer.get("mark", {}).get("shape") == "cross")
    assert [r["rate"] for r in threats["data"]["values"]] == [100]  # threatened, never imposed
    assert tariffs["layer"][0]["encoding"]["x"]["scale"]["domain"] == domain


def test_lever_pairs_count_every_link(record):
    t = record.tables
    spec = charts.lever_pairs_chart(t["links"], t["events"])
    assert sum(r["n"] for r in spec["data"]["values"]) == len(t["links"])


# The sequence's layout and spec.


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
    lay = seq_layout.layout(moves, countries)
    assert sorted(lay.rows["id"]) == sorted(moves["id"])
    order = moves.set_index("id").loc[lay.rows["id"], "plot_date"]
    assert order.is_monotonic_increasing
    assert (lay.rows["top"].diff().dropna() > 0).all()


@pytest.mark.parametrize("width", WIDTHS, ids=["desktop", "phone"])
def test_labels_never_overlap_and_stay_out_of_the_arrows_band(year_2025, width):
    moves, _links, countries, _lines = year_2025
    boxes = seq_layout.label_boxes(seq_layout.layout(moves, countries), width)
    for _gutter, side in boxes.groupby("gutter"):
        side = side.sort_values("y0")
        assert (side["y0"].iloc[1:].to_numpy() >= side["y1"].iloc[:-1].to_numpy()).all()
    us, cn = boxes[boxes["gutter"] == "US"], boxes[boxes["gutter"] == "CN"]
    assert (us["x1"] <= seq_layout.GUTTER["US"][1] * width + 0.01).all()
    assert (us["x0"] >= seq_layout.GUTTER["US"][0] * width - 0.01).all()
    assert (cn["x0"] >= seq_layout.GUTTER["CN"][0] * width - 0.01).all()


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
    rows = seq_layout.layout(events, countries).rows.set_index("id")
    assert rows.loc["A", ["column", "gutter"]].tolist() == ["US", "US"]
    assert rows.loc["B", ["column", "gutter"]].tolist() == ["CN", "CN"]
    assert rows.loc["C", ["column", "gutter"]].tolist() == ["both", "US"]  # a deal sits between, labelled on its side
    assert rows.loc["D", "column"] == "both"  # a third country's move sits between
    assert 1 < len(rows.loc["C", "lines"]) <= seq_layout.MAX_LINES
    assert all(chartbase.text_width(line) <= seq_layout.LINE_PX for line in rows.loc["C", "lines"])


def test_focus_keeps_what_a_move_answered_and_what_answered_it(year_2025):
    moves, links, countries, lines = year_2025
    row = links.iloc[0]
    keep = seq_layout.focus_set(links, row["to_event"])
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
    strips = seq_layout.strips(seq_layout.layout(moves, countries), lines)
    us = [s for s in strips if s["side"] == "US"]
    written = [s["text"] for s in us if s["text"]]
    assert written[0] == f"{us[0]['rate']:g}"
    assert all(a["rate"] != b["rate"] for a, b in itertools.pairwise(us) if b["text"])


@pytest.mark.parametrize("width", WIDTHS, ids=["desktop", "phone"])
def test_the_rendered_svg_holds_every_label_and_no_two_overlap(year_2025, width):
    moves, links, countries, lines = year_2025
    spec = sequence.sequence_chart(moves, links, countries, lines)
    spec["width"] = width
    svg = vlc.vegalite_to_svg(json.dumps(spec))
    texts = svg_texts(svg)
    shown = {t["text"] for t in texts}
    for row in seq_layout.layout(moves, countries).rows.itertuples():
        assert row.when in shown, row.id
        for line in row.lines:  # each line whole: Vega cuts a label too wide for its room with '…'
            assert line in shown, (row.id, line, [t for t in shown if t.startswith(line[:8])])
    labels = [t for t in texts if t["y"] > seq_layout.HEADER and abs(t["size"] - seq_layout.FONT) < 0.5]
    boxes = []
    for t in labels:
        w = len(t["text"]) * t["size"] * 0.5
        x0 = t["x"] - w if t["anchor"] == "end" else t["x"] - w / 2 if t["anchor"] == "middle" else t["x"]
        boxes.append((x0, x0 + w, t["y"] - t["size"] * 0.8, t["y"] + t["size"] * 0.2, t["text"]))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[1] - 0.5 and b[0] < a[1] - 0.5 and a[2] < b[3] - 0.5 and b[2] < a[3] - 0.5
            assert not overlap, (a, b)


# The running app.


def test_relation_and_basis_from_the_url_filter_the_chart_the_table_and_the_share_link(on_record):
    at = open_page("linkage", relation="quid pro quo", basis="stated", period="all", link_rows="true")
    assert not at.exception
    assert {(r["relation"], r["basis"]) for r in vega_values(at, 0)} == {("quid pro quo", "stated")}
    assert {r["link"] for r in vega_values(at, 0)} == {"L13", "L15", "L17", "L18"}
    assert list(at.dataframe[0].value["id"]) == ["L13", "L15", "L17", "L18"]
    assert at.multiselect(key="relation").value == ["quid pro quo"] and at.radio(key="period").value == "all"
    assert share_link(at) == (
        "http://localhost:8501/linkage?period=all&relation=quid%20pro%20quo&basis=stated&link_rows=true"
    )
    closed = open_page("linkage", relation="quid pro quo", basis="stated", period="all")
    assert not closed.dataframe and "Table of these links" in [e.label for e in closed.expander]  # drawn when opened


def test_linkage_link_card_from_the_url(on_record):
    at = open_page("linkage", link="L17")
    body = texts(at)
    assert "We put that in the trade deal with the magnets" in body
    assert "**Quid pro quo** (stated)" in body
    assert "From **MOFCOM confirms deal terms** (27 Jun 2025)  \nto **Nvidia to resume H20 sales** (14 Jul 2025)" in (
        body
    )
    assert at.selectbox(key="link").value == "L17"
    assert at.radio(key="period").value == "2025"  # the default period stays out of the link
    assert share_link(at) == "http://localhost:8501/linkage?link=L17"


def test_tariff_lines_sum_the_general_layers_and_stop_at_an_unknown_outcome():
    layers = pd.DataFrame(
        {
            "id": ["a", "b", "p", "c"],
            "side": ["US", "US", "US", "CN"],
            "scope": ["general", "general", "product_lines", "general"],
            "authority": ["x"] * 4,
            "name": ["A", "B", "P", "C"],
            "description": ["d"] * 4,
        }
    )
    rows = [
        ("a", "2025-01-01", 10.0, "in_force"),
        ("b", "2025-02-01", 5.0, "in_force"),
        ("p", "2025-02-15", 25.0, "in_force"),
        ("b", "2025-03-01", 50.0, "threatened"),
        ("a", "2025-04-01", 0.0, "in_force"),
        ("b", "2025-05-01", None, "lapse_scheduled"),
        ("c", "2025-01-10", 10.0, "in_force"),
    ]
    tariffs = pd.DataFrame(rows, columns=["layer", "effective_date", "rate_pct", "status"]).assign(
        computed=False, trigger="t", note="", event_ids="", source_ids="s"
    )
    lines = metrics.tariff_lines(tariffs, layers)
    us = lines[lines["side"] == "US"].set_index("day")
    assert us["rate"].iloc[:3].tolist() == [10, 15, 5]  # the product line and the threat are never summed
    assert us.at["2025-02-01", "components"] == "A 10% + B 5%"
    assert bool(us.at["2025-05-01", "unknown"]) and pd.isna(us.at["2025-05-01", "rate"])
    state = metrics.tariffs_in_force(tariffs, layers, "2025-06-01").set_index("layer")
    assert state.at["b", "status"] == "lapse_scheduled" and state.at["p", "rate_pct"] == 25


def test_a_links_table_flag_the_dashboard_cannot_read_is_named_as_text(on_record):
    at = open_page("linkage", link_rows="<b>yes</b>")
    assert not at.exception and not at.dataframe
    assert "Table of these links: '<b>yes</b>' is not true or false; it was left off." in texts(at)


def test_a_click_on_a_move_focuses_it_and_a_click_on_an_arrowhead_opens_its_link(on_record):
    at = open_page("linkage", period="all")
    moves = [label.split(" · ")[0] for label in at.selectbox(key="focus").options if " · " in label]
    move, link = moves[0], vega_values(at, 0)[0]["link"]  # a move of the select box, an arrow of the chart
    at.session_state["lk_chart"] = {"selection": {sequence.PICK: [{"id": move}]}}
    at.run()
    assert at.selectbox(key="focus").value == move and at.query_params["focus"] == move
    at.session_state["lk_chart"] = {"selection": {sequence.PICK: [{"id": move}], sequence.LINK_PICK: [{"link": link}]}}
    at.run()
    assert at.selectbox(key="link").value == link and at.selectbox(key="focus").value == move
    at.session_state["lk_chart"] = {"selection": {sequence.PICK: [{"id": "not-a-move"}]}}
    at.run()  # a point the page does not know changes nothing
    assert not at.exception and at.selectbox(key="focus").value == move


def test_every_date_reaches_the_last_scheduled_end_with_no_recorded_outcome():
    # The tariff chart clips what falls outside its range: on 'all' its '?' marks must fall inside.
    lines = pd.DataFrame({"day": ["2025-04-10", "2026-11-10", "2026-03-01"], "unknown": [False, True, True]})
    assert charts.with_unknown_ends(["2018-06-01", "2026-07-22"], lines) == ["2018-06-01", "2026-12-10"]
    assert charts.with_unknown_ends(["2018-06-01", "2027-01-15"], lines) == ["2018-06-01", "2027-01-15"]
    assert charts.with_unknown_ends(["2018-06-01", "2026-07-22"], lines.assign(unknown=False)) == [
        "2018-06-01",
        "2026-07-22",
    ]


def test_the_tariff_chart_writes_its_labels_and_marks_inside_its_range():
    # A label or '?' at a date past the range was drawn past the plot, or cut by it into a fragment.
    layers = pd.DataFrame(
        {
            "id": ["us_general", "us_magnets"],
            "scope": ["general", "product_lines"],
            "name": ["US general tariff", "Section 301: magnets"],
            "side": ["US", "US"],
        }
    )
    tariffs = pd.DataFrame(
        {
            "layer": ["us_general", "us_magnets"],
            "effective_date": ["2025-03-01", "2025-06-01"],
            "rate_pct": [10.0, 25.0],
            "status": ["in_force", "in_force"],
            "note": ["", ""],
            "trigger": ["an order", "a notice"],
        }
    )
    lines = pd.DataFrame(
        {
            "side": ["US", "US", "US"],
            "day": ["2025-03-01", "2025-12-01", "2026-08-01"],
            "rate": [10.0, float("nan"), float("nan")],
            "components": ["US general tariff 10%", "", ""],
            "trigger": ["an order", "a scheduled end", "a later scheduled end"],
            "computed": [True, False, False],
            "unknown": [False, True, True],
        }
    )
    texts = {}
    for domain, end in ((["2024-11-15", "2026-01-15"], "2026-06-22"), (["2024-11-15", "2026-09-01"], "2026-06-22")):
        spec = charts.tariff_chart(lines, tariffs, layers, domain, end)
        marks = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
        texts[domain[1]] = sorted(row["day"] for layer in marks for row in layer["data"]["values"])
    # One year: the magnets' label (at the coverage end) and the later '?' fall past it and are left out.
    assert texts["2026-01-15"] == ["2025-12-01"]
    assert texts["2026-09-01"] == ["2025-12-01", "2026-06-22", "2026-08-01"]
