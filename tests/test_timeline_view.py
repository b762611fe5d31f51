"""The timeline's labelled view: labels that never overlap on a phone or wider, every event labelled
in a small window, and the brush's window read back."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import vl_convert as vlc

from app_pages.timeline import view as timeline_view
from chipsmag import hovers
from chipsmag.filters import with_plot_dates

from .test_sequence import _svg_texts


@pytest.fixture(scope="module")
def events(record):
    return hovers.with_hovers(with_plot_dates(record.tables["events"]), {}, {})


def _window(events, start, end):
    w = (pd.Timestamp(start), pd.Timestamp(end))
    return events[(events["plot_date"] >= w[0]) & (events["plot_date"] <= w[1])], w


@pytest.mark.parametrize(("start", "end"), [("2018-07-01", "2025-12-08"), ("2025-04-01", "2025-06-30")])
def test_labels_in_one_row_never_overlap_on_a_phone(record, events, start, end):
    shown, w = _window(events, start, end)
    _m, labels, _b, _h = timeline_view.layout(shown, w, "lever", record.tables["actors"])
    for _y, row in labels.groupby("y"):
        row = row.sort_values("x0")
        assert (row["x0"].iloc[1:].to_numpy() >= row["x1"].iloc[:-1].to_numpy()).all()
        assert (row["x0"] >= -0.01).all() and (row["x1"] <= timeline_view.PHONE_PLOT + 0.01).all()


def test_every_event_is_labelled_in_a_small_window_and_rows_are_capped_otherwise(record, events):
    shown, w = _window(events, "2025-04-01", "2025-06-30")
    assert len(shown) <= timeline_view.LABEL_ALL_UNDER
    markers, labels, _b, _h = timeline_view.layout(shown, w, "lever", record.tables["actors"])
    assert set(labels["id"]) == set(shown["id"]) and markers["labelled"].all()
    everything, w = _window(events, "2018-07-01", "2025-12-08")
    markers, labels, bands, _h = timeline_view.layout(everything, w, "lever", record.tables["actors"])
    assert len(markers) == len(everything) and not markers["labelled"].all()
    for band in bands.itertuples():  # at most MAX_ROWS label rows under a lane
        mine = labels[(labels["y"] >= band.top) & (labels["y"] < band.bottom)]
        assert mine["y"].nunique() <= timeline_view.MAX_ROWS


@pytest.mark.parametrize("width", [1400 - 60, 390 - 32], ids=["desktop", "phone"])
def test_the_rendered_labels_are_whole_and_apart(record, events, width):
    shown, w = _window(events, "2025-04-01", "2025-06-30")
    spec = timeline_view.labelled_chart(shown, record.tables["actors"], "lever", w)
    spec["width"] = width
    texts = _svg_texts(vlc.vegalite_to_svg(json.dumps(spec)))
    expected = {lb["text"] for layer in spec["layer"][2:4] for lb in layer["data"]["values"]}
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


def test_the_brush_window_is_read_back_and_clamped():
    ms = [pd.Timestamp("2025-04-01").value // 10**6, pd.Timestamp("2025-04-30").value // 10**6]
    assert timeline_view.window_of({"day": ms}) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    assert timeline_view.window_of({"day": ["2025-04-30", "2025-04-01"]})[0] == pd.Timestamp("2025-04-01")
    assert timeline_view.window_of({"day": [1]}) is None
    first, last = pd.Timestamp("2018-07-06"), pd.Timestamp("2025-12-08")
    assert timeline_view.clamp((pd.Timestamp("2010-01-01"), pd.Timestamp("2030-01-01")), first, last) is None
    assert timeline_view.clamp((pd.Timestamp("2025-01-01"), pd.Timestamp("2030-01-01")), first, last)[1] == last
    assert timeline_view.parse_window(["2025-04-30", "2025-04-01"]) == (
        pd.Timestamp("2025-04-01"),
        pd.Timestamp("2025-04-30"),
    )
    assert timeline_view.parse_window(["soon", "2025-04-01"]) is None
