"""The timeline: its model (which events, which window, counts or markers, the table's pages, the card),
its labelled chart (labels that never overlap on a phone or wider, every event labelled in a small
window) and, in the running app, the filters, the link's zoom and event, and the table's pages."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import vl_convert as vlc

from app_pages.timeline import charts, model
from chipsmag import chartbase, hovers
from chipsmag.filters import Filters, apply_to_events, with_plot_dates
from chipsmag.urlstate import review_query
from support.apptest import (
    charts_of,
    frame_with,
    open_page,
    share_link,
    texts,
    unescape,
    vega_datasets,
    vega_values,
)
from support.svg import svg_texts

EVERYTHING = Filters(dt.date(2018, 1, 1), dt.date(2026, 1, 1))
APRIL = (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
TIMELINE_CHART = 1  # in the running app: the labelled chart, under the overview strip


@pytest.fixture(scope="module")
def events(record):
    return hovers.with_hovers(with_plot_dates(record.tables["events"]), {}, {})


@pytest.fixture(scope="module")
def names(record):
    actors = record.tables["actors"]
    return dict(zip(actors["id"], actors["name"], strict=True))


def copies(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` copies of the events, the copies' ids suffixed (E27, E27_0001, ...), as bench/generate.py makes them."""
    return pd.concat([events.assign(id=events["id"] + (f"_{k:04d}" if k else "")) for k in range(n)], ignore_index=True)


def _window(events, start, end):
    w = (pd.Timestamp(start), pd.Timestamp(end))
    return events[(events["plot_date"] >= w[0]) & (events["plot_date"] <= w[1])], w


# The model: which events, which window, and how they are drawn.


def test_filters_lanes_and_zoom_choose_what_the_chart_draws(record, events, names):
    full = model.build(record, EVERYTHING, events, names)
    assert len(full.events) == len(full.in_view) == 59 and full.window is None and not full.counts_only
    assert {r["id"] for r in full.chart["data"]["values"]} == set(events["id"])
    narrowed = model.build(
        record, Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 8), levers=("magnets",)), events, names
    )
    assert {r["id"] for r in narrowed.chart["data"]["values"]} == {"E27", "E52", "E56"}
    assert narrowed.table.frame["id"].tolist() == narrowed.events["id"].tolist() == ["E27", "E52", "E56"]
    by_side = model.build(record, EVERYTHING, events, names, lanes="side")
    lanes = [r["lane"] for r in by_side.chart["datasets"]["lane_titles"]]
    assert lanes == ["US government", "China government", "Companies", "Other governments"]
    assert {r["id"]: r["lane"] for r in by_side.chart["data"]["values"]}["E27"] == "China government"
    zoomed = model.build(record, EVERYTHING, events, names, zoom=APRIL)
    assert zoomed.window == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    assert set(zoomed.in_view["id"]) <= {"E26", "E27", "E28", "E29", "E30", "E31"} and len(zoomed.events) == 59
    assert zoomed.overview["params"][0]["value"] == {
        "x": [{"year": 2025, "month": 4, "date": 1}, {"year": 2025, "month": 4, "date": 30}]
    }


def test_actor_filter(record, events, names):
    ids = set(
        model.build(record, Filters(EVERYTHING.start, EVERYTHING.end, actors=("cn_mofcom",)), events, names).in_view[
            "id"
        ]
    )
    assert "E27" in ids and "E28" not in ids and len(ids) == 12


def test_no_events_means_no_charts_and_an_empty_table(record, events, names):
    m = model.build(
        record, Filters(EVERYTHING.start, EVERYTHING.end, levers=("magnets",), categories=("market",)), events, names
    )
    assert m.events.empty and m.chart is None and m.overview is None and m.source_ids == []
    assert m.table.frame.empty and m.table.pages == 1


def test_a_zoom_that_is_not_two_dates_is_named_and_the_full_range_shown(record, events, names):
    review = review_query({"zoom": ["soon", "2025-04-30"]}, model.params(record, dt.date(2026, 1, 1)), "timeline")
    assert review.notices == ["Zoom: 'soon' is not a date in the form YYYY-MM-DD; the range was reset."]
    m = model.build(record, EVERYTHING, events, names, zoom=model.parse_window(["soon", "2025-04-30"]))
    assert m.window is None and len(m.in_view) == 59


def test_the_brush_window_is_read_back_and_clamped():
    ms = [pd.Timestamp("2025-04-01").value // 10**6, pd.Timestamp("2025-04-30").value // 10**6]
    assert model.window_of({"day": ms}) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    assert model.window_of({"day": ["2025-04-30", "2025-04-01"]})[0] == pd.Timestamp("2025-04-01")
    assert model.window_of({"day": [1]}) is None
    first, last = pd.Timestamp("2018-07-06"), pd.Timestamp("2025-12-08")
    assert model.clamp((pd.Timestamp("2010-01-01"), pd.Timestamp("2030-01-01")), first, last) is None
    assert model.clamp((pd.Timestamp("2025-01-01"), pd.Timestamp("2030-01-01")), first, last)[1] == last
    assert model.parse_window(["2025-04-30", "2025-04-01"]) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    assert model.parse_window(["soon", "2025-04-01"]) is None


def test_too_many_events_in_view_are_drawn_as_monthly_counts_and_the_table_still_holds_them_all(record, events, names):
    many = copies(events, 26)  # 1,534 events: more than the chart draws one by one
    assert len(many) > charts.MAX_EVENT_POINTS
    m = model.build(record, EVERYTHING, many, names)
    title = " ".join(m.chart["title"]["text"])  # a long title goes as lines
    assert m.counts_only and title == "1,534 events by lever: monthly counts (marker area)"
    assert sum(r["n"] for r in m.chart["data"]["values"]) == 1534 and "too many to draw one by one" in m.caption
    zoomed = model.build(record, EVERYTHING, many, names, zoom=APRIL)
    assert not zoomed.counts_only and zoomed.chart["title"] == "Events by lever, labelled"
    assert m.table.pages == 16 and m.table.total == 1534


# The table: every filtered event, a page at a time; a row click opens the event on that row.


def test_the_table_pages_hold_every_event_once_in_date_order(record, events, names):
    many = copies(events, 3)  # 177 events: two pages
    ordered = many.sort_values("plot_date")
    urls = record.tables["sources"].set_index("id")["url"]
    pages = [model.table_page(ordered, k, names, urls) for k in (1, 2)]
    assert [p.pages for p in pages] == [2, 2] and [len(p.ids) for p in pages] == [100, 77]
    assert pages[0].ids + pages[1].ids == ordered["id"].tolist()  # each event once, in date order
    assert [p.rows_line for p in pages] == ["Rows 1-100 of 177", "Rows 101-177 of 177"]
    assert pages[1].frame["id"].tolist() == pages[1].ids and pages[1].frame.columns.tolist() == [
        "id",
        "date",
        "title",
        "category",
        "lever",
        "actors",
        "source",
        "source strength",
    ]
    assert model.table_page(ordered, 9, names, urls).page == 2 and model.table_page(ordered, 0, names, urls).page == 1
    e28 = model.table_page(events.sort_values("plot_date"), 1, names, urls).frame.set_index("id").loc["E28"]
    assert e28["date"] == "9 Apr 2025" and e28["source"].startswith("http") and "Nvidia" in e28["actors"]
    assert model.table_page(ordered.iloc[:0], 1, names, urls).rows_line == "Rows 1-0 of 0"  # never shown: one page


def test_a_row_click_opens_the_event_on_that_row_of_the_page_shown(record, events, names):
    many = copies(events, 3)
    ordered = many.sort_values("plot_date")["id"].tolist()

    def chosen(frame=many, filters=EVERYTHING, **clicked) -> str | None:
        # a zoom keeps the chart small: these builds are read for the chosen event only
        return model.build(record, filters, frame, names, zoom=APRIL, chosen="E01", **clicked).chosen

    assert chosen(picked_row=5, table_page_no=2) == ordered[105]  # the 6th row of the second page
    assert chosen(picked_row=5) == ordered[5]
    assert chosen(picked_row=80, table_page_no=2) == "E01"  # past the page's 77 rows: nothing changes
    assert chosen(picked_id="E28") == "E28"  # a click on the chart
    magnets = Filters(EVERYTHING.start, EVERYTHING.end, levers=("magnets",))
    assert chosen(events, magnets, picked_id="E28") == "E01"  # an event the filters leave out: nothing changes


def test_the_card_reads_the_event_its_actors_sources_and_links(record, names):
    card = model.card(record, names, "E28")
    assert card.title == "H20 licence requirement; US tariff to 125%" and card.when == "9 Apr 2025"
    assert card.source_ids == ["tomshardware_h20", "novinite_20250409"] and "Nvidia" in card.actors
    assert ("answered by", "E29", "China raises tariff to 125%", "escalation", "stated") in card.links
    assert (
        "answers",
        "E27",
        "China imposes rare-earth controls and a 34% tariff",
        "escalation",
        "inferred",
    ) in card.links
    assert model.event_labels(record.tables["events"], ["E28"]) == {
        "E28": "E28 · 9 Apr 2025 · H20 licence requirement; US tariff to 125%"
    }


def test_the_timeline_params_are_the_links_lanes_event_and_zoom(record):
    lanes, event, zoom, rows = model.params(record, dt.date(2026, 1, 1))
    assert (lanes.key, lanes.options, lanes.page) == ("lanes", ("lever", "side"), "timeline")
    assert event.kind == "one" and event.options == tuple(record.tables["events"]["id"])
    assert (zoom.key, zoom.label, zoom.kind) == ("zoom", "Zoom", "date_range")
    assert (rows.key, rows.kind, rows.page) == ("rows", "flag", "timeline")


# The labelled chart.


def test_timeline_spec_draws_every_event_once_with_its_text_as_written(record):
    events = apply_to_events(record.tables["events"], EVERYTHING)
    events.loc[events.index[0], "title"] = "<img src=x onerror=alert(1)>"
    names = {"nvidia": "<b>Nvidia</b>"}
    hovered = hovers.with_hovers(events, names, {})
    window = (hovered["plot_date"].min(), hovered["plot_date"].max())
    spec = charts.labelled_chart(hovered, record.tables["actors"], "lever", window, "E28")
    rows = spec["data"]["values"]
    assert sorted(r["id"] for r in rows) == sorted(events["id"])  # 59, each once
    assert {r["category_label"] for r in rows} == {
        "Export control",
        "Tariff",
        "Rare earth / minerals",
        "Corporate",
        "Market",
        "Negotiation",
        "Investment",
    }
    # Vega-Lite draws text as text (marks, tooltips): the data goes as written, not HTML-escaped.
    assert next(r for r in rows if r["id"] == events["id"].iloc[0])["title"] == "<img src=x onerror=alert(1)>"
    assert any("<b>Nvidia</b>" in r["actors"] for r in rows)
    chosen = [r for r in rows if r["size"] == max(x["size"] for x in rows)]
    assert [r["id"] for r in chosen] == ["E28"] and chosen[0]["stroke"] == "#222222"
    markers = next(layer for layer in spec["layer"] if layer.get("params"))
    assert markers["params"][0]["name"] == charts.TIMELINE_PICK
    lanes = [r["lane"] for r in spec["datasets"]["lane_titles"]]
    assert lanes == ["Chips", "Both (tariffs, deals)", "Magnets"]


def test_a_filter_change_changes_the_labelled_charts_data_not_its_spec(record, events, names):
    """The browser swaps the data of a chart whose spec (all but its data) is unchanged, rather than
    drawing it anew: the window, the height and the labels travel as data."""

    def frame_of(spec: dict) -> str:
        return json.dumps({k: v for k, v in spec.items() if k not in ("data", "datasets")}, sort_keys=True)

    full = model.build(record, EVERYTHING, events, names).chart
    narrowed = model.build(
        record, Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 8), levers=("magnets",)), events, names
    )
    zoomed = model.build(record, EVERYTHING, events, names, zoom=APRIL).chart
    assert frame_of(full) == frame_of(narrowed.chart) == frame_of(zoomed)
    assert full["datasets"]["frame"] != narrowed.chart["datasets"]["frame"] != zoomed["datasets"]["frame"]
    assert zoomed["datasets"]["frame"][0]["start"] == "2025-04-01"


def test_side_lanes(record):
    events = apply_to_events(record.tables["events"], EVERYTHING)
    lane, names = chartbase.lane_of(events, "side", record.tables["actors"])
    pos = dict(zip(events["id"], lane, strict=True))
    assert pos["E27"] == "China government"
    assert pos["E30"] == "Companies"
    assert pos["E08"] == "Other governments"
    assert names == ("US government", "China government", "Companies", "Other governments")


@pytest.mark.parametrize(("start", "end"), [("2018-07-01", "2025-12-08"), ("2025-04-01", "2025-06-30")])
def test_labels_in_one_row_never_overlap_on_a_phone(record, events, start, end):
    shown, w = _window(events, start, end)
    _m, labels, _b, _h = charts.layout(shown, w, "lever", record.tables["actors"])
    for _y, row in labels.groupby("y"):
        row = row.sort_values("x0")
        assert (row["x0"].iloc[1:].to_numpy() >= row["x1"].iloc[:-1].to_numpy()).all()
        assert (row["x0"] >= -0.01).all() and (row["x1"] <= charts.PHONE_PLOT + 0.01).all()


def test_every_event_is_labelled_in_a_small_window_and_rows_are_capped_otherwise(record, events):
    shown, w = _window(events, "2025-04-01", "2025-06-30")
    assert len(shown) <= charts.LABEL_ALL_UNDER
    markers, labels, _b, _h = charts.layout(shown, w, "lever", record.tables["actors"])
    assert set(labels["id"]) == set(shown["id"]) and markers["labelled"].all()
    everything, w = _window(events, "2018-07-01", "2025-12-08")
    markers, labels, bands, _h = charts.layout(everything, w, "lever", record.tables["actors"])
    assert len(markers) == len(everything) and not markers["labelled"].all()
    for band in bands.itertuples():  # at most MAX_ROWS label rows under a lane
        mine = labels[(labels["y"] >= band.top) & (labels["y"] < band.bottom)]
        assert mine["y"].nunique() <= charts.MAX_ROWS


@pytest.mark.parametrize("width", [1400 - 60, 390 - 32], ids=["desktop", "phone"])
def test_the_rendered_labels_are_whole_and_apart(record, events, width):
    shown, w = _window(events, "2025-04-01", "2025-06-30")
    spec = charts.labelled_chart(shown, record.tables["actors"], "lever", w)
    spec["width"] = width
    texts = svg_texts(vlc.vegalite_to_svg(json.dumps(spec)))
    expected = {lb["text"] for align in ("left", "right") for lb in spec["datasets"][f"labels_{align}"]}
    labels = [t for t in texts if t["text"] in expected]  # the event labels (not the axis' dates)
    assert expected == {t["text"] for t in labels}  # every label drawn whole (Vega cuts with '…')
    boxes = []
    for t in labels:
        w_px = len(t["text"]) * t["size"] * 0.5
        x0 = t["x"] - w_px if t["anchor"] == "end" else t["x"]
        boxes.append((x0, x0 + w_px, t["y"], t["y"] + t["size"], t["text"]))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[1] - 0.5 and b[0] < a[1] - 0.5 and a[2] < b[3] - 0.5 and b[2] < a[3] - 0.5), (a, b)


# The running app.


def event_ids(at) -> set[str]:
    """The events the timeline chart draws."""
    return {row["id"] for row in vega_values(at, TIMELINE_CHART)}


def test_the_table_is_drawn_when_opened_and_its_state_travels_in_the_link(on_record):
    at = open_page("timeline")
    assert "Table of these events" in [e.label for e in at.expander] and not at.dataframe
    assert "rows=" not in share_link(at)
    at.session_state["rows"] = True  # the reader opens it
    at.run()
    assert len(at.dataframe[0].value) == len(event_ids(at)) and "rows=true" in share_link(at)


def test_timeline_filters_change_the_chart_and_table(on_record):
    full = open_page("timeline", rows="true")
    assert len(event_ids(full)) == 59
    assert len(full.dataframe[0].value) == 59
    assert not full.number_input  # one page: no page control
    narrowed = open_page("timeline", lever="Magnets", dates=["2025-01-01", "2025-12-08"], lanes="side", rows="true")
    assert event_ids(narrowed) == {"E27", "E52", "E56"}
    assert {row["id"]: row["lane"] for row in vega_values(narrowed, TIMELINE_CHART)}["E27"] == "China government"
    assert len(narrowed.dataframe[0].value) == 3
    assert "filtered: 2025-01-01 to 2025-12-08 · lever: magnets (applies to chart and table)" in texts(narrowed)
    empty = open_page("timeline", lever="Magnets", category="Market")
    assert not charts_of(empty)
    assert any("No events match the current filters" in i.value for i in empty.info)


def test_the_event_in_the_link_opens_its_card_is_highlighted_and_follows_the_selectbox(on_record):
    at = open_page("timeline", event="E28")
    body = texts(at)
    assert "H20 licence requirement; US tariff to 125%" in body
    assert "answered by **E29** China raises tariff to 125% (escalation, stated)" in body
    assert "answers **E27** China imposes rare-earth controls and a 34% tariff (escalation, inferred)" in body
    assert "Tom" in body  # Tom's Hardware, the source
    rows = {row["id"]: row for row in vega_values(at, TIMELINE_CHART)}
    assert rows["E28"]["size"] > rows["E27"]["size"] and rows["E28"]["stroke"] == "#222222"
    at.selectbox(key="event").set_value("E42").run()
    assert "Nvidia to resume H20 sales" in texts(at)


def test_the_timeline_zoom_window_travels_in_the_link(on_record):
    at = open_page("timeline", zoom=["2025-04-01", "2025-04-30"])
    assert not at.exception
    frame = vega_datasets(at, TIMELINE_CHART)
    assert [(f["start"], f["end"]) for f in frame["frame"]] == [("2025-04-01", "2025-04-30")]  # the x domain
    ids = event_ids(at)
    assert ids and all(i in {"E26", "E27", "E28", "E29", "E30", "E31"} for i in ids), ids
    assert "zoom=2025-04-01&zoom=2025-04-30" in share_link(at)
    labels = {r["id"] for align in ("left", "right") for r in frame[f"labels_{align}"]}
    assert labels == ids  # a window of few events: every event labelled


@pytest.fixture
def many_events(on_record, tmp_path, monkeypatch):
    """The fixture's events three times over (177 events: two pages of the table), as the benchmark makes them."""
    from support.generate import generate

    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(generate(3, tmp_path / "data", on_record)))


def test_the_table_shows_every_event_a_page_at_a_time_and_a_row_opens_its_card(many_events):
    at = open_page("timeline", rows="true")
    first = frame_with(at, "id", "title")
    assert len(first) == 100 and "Rows 1-100 of 177 events; the download below has them all." in texts(at)
    box = at.number_input(key="tl_page")
    assert box.label == "Table page" and box.value == 1
    box.set_value(2).run()
    second = frame_with(at, "id", "title")
    assert len(second) == 77 and "Rows 101-177 of 177 events; the download below has them all." in texts(at)
    assert len(set(first["id"]) | set(second["id"])) == 177
    at.session_state["tl_table"] = {"selection": {"rows": [5], "columns": [], "cells": []}}
    at.run()
    picked = second.iloc[5]
    assert at.selectbox(key="event").value == picked["id"] and at.query_params["event"] == picked["id"]
    assert next(unescape(m.value) for m in at.markdown if m.value.startswith("### ")) == f"### {picked['title']}"


def test_a_table_flag_the_dashboard_cannot_read_is_named_and_the_table_stays_closed(on_record):
    at = open_page("timeline", rows="maybe")
    assert not at.exception and not at.dataframe
    assert "Table of these events: 'maybe' is not true or false; it was left off." in texts(at)
    assert "rows=" not in share_link(at)
    shouted = open_page("timeline", rows="TRUE")  # any case: the flag is read, the table drawn
    assert not shouted.exception and len(shouted.dataframe) == 1 and "rows=true" in share_link(shouted)


def _pick_on_chart(at, event_id: str) -> None:
    at.session_state["tl_chart"] = {"selection": {charts.TIMELINE_PICK: [{"id": event_id}]}}


def _pick_row(at, row: int | None) -> None:
    at.session_state["tl_table"] = {"selection": {"rows": [] if row is None else [row], "columns": [], "cells": []}}


def test_each_click_is_acted_on_once_and_a_table_click_is_not_undone_by_an_earlier_chart_click(on_record):
    at = open_page("timeline", rows="true")
    table = frame_with(at, "id", "title")
    on_chart = table["id"].iloc[0]
    _pick_on_chart(at, on_chart)
    at.run()
    assert at.selectbox(key="event").value == on_chart
    _pick_row(at, 1)  # the chart's selection stays in Session State, as the browser keeps it
    at.run()
    on_row = table["id"].iloc[1]
    assert at.selectbox(key="event").value == on_row
    lanes = at.radio(key="lanes")
    lanes.set_value(lanes.options[1]).run()  # any later run keeps the reader's last click
    assert at.selectbox(key="event").value == on_row and at.query_params["event"] == on_row
    at.selectbox(key="event").set_value(on_chart).run()
    _pick_row(at, None)  # the row cleared, then clicked again: a new click
    at.run()
    assert at.selectbox(key="event").value == on_chart
    _pick_row(at, 1)
    at.run()
    assert at.selectbox(key="event").value == on_row


def test_a_chart_click_cleared_and_made_again_opens_the_event_again(on_record):
    at = open_page("timeline")
    events = [label.split(" · ")[0] for label in at.selectbox(key="event").options if " · " in label]
    first, other = events[:2]  # from "E01 · 6 Jul 2018 · title"; the first option is "none selected"
    _pick_on_chart(at, first)
    at.run()
    at.selectbox(key="event").set_value(other).run()
    assert at.selectbox(key="event").value == other  # the chart's selection, unchanged, is not a new click
    at.session_state["tl_chart"] = {"selection": {charts.TIMELINE_PICK: []}}
    at.run()
    _pick_on_chart(at, first)
    at.run()
    assert at.selectbox(key="event").value == first


def test_a_drag_across_the_strip_zooms_once_and_the_link_keeps_the_window(on_record):
    at = open_page("timeline")
    at.session_state["tl_overview"] = {"selection": {charts.BRUSH: {"day": ["2025-04-01", "2025-06-30"]}}}
    at.run()
    assert at.query_params["zoom"] == ["2025-04-01", "2025-06-30"]
    at.button(key="tl_unzoom").click().run()
    assert "zoom" not in at.query_params  # the brush's selection, unchanged, does not zoom again
    at.run()
    assert "zoom" not in at.query_params
