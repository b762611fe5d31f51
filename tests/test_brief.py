"""The one-click brief (chipsmag/brief.py), read back with pypdf: the brief of the timeline on the curated
data carries its title, filters, coverage, headline figures, charts as vector graphics with their text kept
as text, every event in view with each source as a clickable link, the data version and the link back;
small briefs cover no events, Unicode titles over many pages, markup in the data and broken charts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, IndirectObject

from chipsmag import brief
from chipsmag.filters import Filters, date_bounds
from chipsmag.loading import load_dataset
from support.brief import timeline_brief

TODAY = dt.date(2026, 11, 30)
PATH_OPERATOR = re.compile(rb"(?m)^(?:[-\d.]+ ){2}(?:m|l)$|^(?:[-\d.]+ ){4}re$|^(?:[-\d.]+ ){6}c$")
PAINT_OPERATOR = re.compile(rb"(?m)^(?:f\*?|S|s|B\*?|b\*?)$")


def words(text: str) -> str:
    """Text with every run of white space as one space (a wrapped line reads as the line it came from)."""
    return " ".join(text.split())


def links(reader: PdfReader) -> list[str]:
    """The URI of every link annotation in the document."""
    out = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if action.get("/S") == "/URI":
                out.append(str(action["/URI"]))
    return out


def xobjects(resources) -> list:
    """Every XObject reachable from ``resources``, forms' own XObjects included."""
    found, todo = [], [resources]
    while todo:
        res = todo.pop()
        for ref in ((res or {}).get("/XObject") or {}).values():
            obj = ref.get_object()
            found.append(obj)
            if obj.get("/Subtype") == "/Form":
                todo.append(obj.get("/Resources"))
    return found


def simple_brief(**changes) -> brief.Brief:
    base = brief.Brief(
        page_title="Test view",
        link="https://dashboard.example/timeline?lever=chips",
        generated=TODAY,
        filters=("lever: chips",),
        headlines=(brief.Headline("Events in view", "0"),),
        charts=(),
        events=(),
        version="v-test",
        as_of="2026-06-22",
        coverage="Dense to 2026-06-22; nearly silent after",
    )
    return dataclasses.replace(base, **changes)


def bar_chart(title: str = "A bar chart", **spec) -> brief.BriefChart:
    values = [{"label": "first", "n": 1}, {"label": "second", "n": 3}]
    base = {
        "data": {"values": values},
        "mark": "bar",
        "encoding": {"x": {"field": "n", "type": "quantitative"}, "y": {"field": "label", "type": "nominal"}},
        "width": "container",
    }
    return brief.BriefChart(title, {**base, **spec}, "Source: a test table")


# ---------------------------------------------------------------------------
# The brief of the timeline on the curated data.
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def curated():
    """The timeline's brief for two levers over every date, with its first two charts, built once."""
    ds = load_dataset()
    events = ds.tables["events"]
    bounds = date_bounds(events, ds.coverage.searched_to if ds.coverage else None)
    b = timeline_brief(ds, Filters(*bounds, levers=("chips", "magnets"), bounds=bounds), today=TODAY)
    b = dataclasses.replace(b, charts=b.charts[:2])
    assert b.events, "the curated data has chips and magnets events"
    calls: list[tuple[float, str]] = []
    data = brief.pdf(b, lambda fraction, message: calls.append((fraction, message)))
    reader = PdfReader(io.BytesIO(data))
    pages = [words(p.extract_text()) for p in reader.pages]
    text = " ".join(pages)
    return {"ds": ds, "brief": b, "data": data, "reader": reader, "pages": pages, "text": text, "calls": calls}


def test_the_brief_is_a_well_formed_a4_pdf(curated):
    assert curated["data"].startswith(b"%PDF-")
    for page in curated["reader"].pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        contents = page.raw_get("/Contents")
        streams = contents.get_object() if isinstance(contents.get_object(), ArrayObject) else [contents]
        assert all(isinstance(s, IndirectObject) for s in streams), "a content stream must be an indirect object"
    assert curated["reader"].metadata.title == "Timeline"
    copy = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(curated["data"]))).write(copy)  # another tool can rewrite it
    assert len(PdfReader(copy).pages) == len(curated["reader"].pages)


def test_the_text_holds_the_title_filters_coverage_figures_version_and_link(curated):
    b, text = curated["brief"], curated["text"]
    assert "Timeline Chips for magnets: a brief of the view" in curated["pages"][0]
    assert "Filters: lever: chips, magnets" in text and "Filters: Filters" not in text  # as the app words it
    for line in b.filters:
        assert words(line) in text, line
    assert words(b.coverage) in text
    assert "Generated: 30 November 2026" in text
    for h in b.headlines:
        assert words(h.label) in text and words(h.value) in text, h
    assert f"Data version: {curated['ds'].version}." in text
    assert f"Latest source dated {curated['ds'].as_of}." in text
    assert f"The view online: {b.link}" in text
    assert f"Events in view ({len(b.events):,})" in text


def test_every_event_in_view_is_listed_with_its_title(curated):
    b, text = curated["brief"], curated["text"]
    picked = random.Random(15).sample(b.events, min(25, len(b.events)))  # noqa: S311 (a fixed sample)
    sample = [b.events[0], b.events[-1], *picked]
    for ev in sample:
        assert f"{words(ev.id)} {words(ev.title)}" in text, ev.id
    listed = set(re.findall(r"\b(E\d+)\b", text))
    assert {ev.id for ev in b.events} <= listed


def test_every_source_of_the_events_in_view_is_a_clickable_link(curated):
    b, uris = curated["brief"], set(links(curated["reader"]))
    wanted = {s.url for ev in b.events for s in ev.sources if s.url}
    assert wanted, "the events in view cite sources"
    assert not wanted - uris, sorted(wanted - uris)[:5]
    for unrecorded in {s.label for ev in b.events for s in ev.sources if not s.url}:  # the table allows none
        assert f"{words(unrecorded)} (no address recorded)" in curated["text"]
    assert b.link in uris
    # and the sources come from the curated table: the first event's sources by their URLs
    table = curated["ds"].tables["sources"].set_index("id")
    first = curated["ds"].tables["events"].set_index("id").at[b.events[0].id, "source_ids"].split(";")
    assert {table.at[s, "url"] for s in first} <= uris


def test_the_charts_are_vector_graphics_with_their_text_kept_as_text(curated):
    b, reader = curated["brief"], curated["reader"]
    assert not [x for p in reader.pages for x in xobjects(p.get("/Resources")) if x.get("/Subtype") == "/Image"]
    overview, labelled = b.charts
    lanes = {row["lane"] for row in labelled.spec["datasets"]["lane_titles"]}
    categories = {row["category_label"] for row in overview.spec["data"]["values"]}
    for chart, expected in ((overview, categories), (labelled, lanes)):
        assert expected
        shown = [i for i, text in enumerate(curated["pages"]) if words(chart.title) in text]
        assert shown, f"{chart.title} is on no page"
        page = reader.pages[shown[0]]
        forms = [x for x in xobjects(page.get("/Resources")) if x.get("/Subtype") == "/Form"]
        assert forms, f"{chart.title}: no vector form on its page"
        drawn = page.get_contents().get_data() + b"".join(f.get_data() for f in forms)
        assert re.search(rb"/\S+ Do\b", page.get_contents().get_data()), "the page draws the chart's form"
        assert PATH_OPERATOR.search(drawn) and PAINT_OPERATOR.search(drawn), chart.title
        for label in expected:  # the chart's own text, extracted from its page
            assert words(label) in curated["pages"][shown[0]], (chart.title, label)
        assert f"Source: {words(chart.source)}" in curated["pages"][shown[0]]


def test_the_progress_rises_to_one_and_names_each_chart(curated):
    calls = curated["calls"]
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    assert all(message for _, message in calls)
    for chart in curated["brief"].charts:
        assert any(chart.title in message for _, message in calls), chart.title


# ---------------------------------------------------------------------------
# Small briefs.
# ---------------------------------------------------------------------------


def read(b: brief.Brief) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(brief.pdf(b)))
    return reader, words(" ".join(p.extract_text() for p in reader.pages))


def test_a_brief_with_no_events_says_so():
    reader, text = read(simple_brief())
    assert "Events in view (0)" in text and "No events in view." in text
    assert "Test view" in text and "Filters: lever: chips" in text and "Data version: v-test." in text
    assert links(reader) == ["https://dashboard.example/timeline?lever=chips"]


UNICODE_TITLES = (
    "Commission européenne – “phase two” review",
    "¥100bn fund; €5bn in guarantees",
    "商务部公告 2025年第61号: 稀土相关技术出口管制",
    "Ministerstwo – Łódź, Šefčovič and Øresund",
)


def test_unicode_titles_many_events_and_a_long_title_paginate_and_read_back():
    long_title = " ".join(f"word{i}" for i in range(80))
    titles = [*UNICODE_TITLES, long_title]
    events = tuple(
        brief.BriefEvent(
            f"{1 + i % 28} Jan 2025",
            f"E{i}",
            titles[i % len(titles)],
            (brief.BriefSource("Xinhua (新华社)", f"https://example.org/source/{i}?a=1&b=2"),),
            "context only" if i % 7 == 0 else "",
        )
        for i in range(400)
    )
    reader, text = read(simple_brief(events=events, charts=(bar_chart(),)))
    assert len(reader.pages) > 5
    assert "Events in view (400)" in text
    for title in titles:
        assert words(title) in text, title
    assert "Xinhua (新华社)" in text and "[context only]" in text
    assert {f"https://example.org/source/{i}?a=1&b=2" for i in range(400)} <= set(links(reader))
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Vera" in f for f in fonts), fonts


def test_markup_in_the_data_is_printed_as_text_and_only_web_addresses_become_links():
    hostile = '<b>bold</b> & <a href="javascript:alert(1)">x</a>'
    events = (
        brief.BriefEvent("1 Jan 2025", "E1", hostile, (brief.BriefSource("<i>Label</i>", "javascript:alert(1)"),)),
    )
    reader, text = read(simple_brief(page_title=hostile, events=events, filters=(hostile,)))
    assert text.count(words(hostile)) >= 2
    assert "<i>Label</i> (javascript:alert(1))" in text
    assert all(u.startswith("https://") for u in links(reader)), links(reader)


def test_a_container_width_is_drawn_in_pixels():
    reader, text = read(simple_brief(charts=(bar_chart("Container chart"),)))
    forms = [x for p in reader.pages for x in xobjects(p.get("/Resources")) if x.get("/Subtype") == "/Form"]
    widths = [float(f["/BBox"][2]) - float(f["/BBox"][0]) for f in forms if "/BBox" in f]
    assert max(widths) >= brief.CHART_PX, widths
    assert "Container chart" in text and "second" in text


@pytest.mark.parametrize(
    "spec",
    [
        {"mark": "no-such-mark"},
        {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "no-type"}}},
        {"data": {"url": "https://example.com/remote.csv"}, "mark": "bar"},  # no fetching while building
        ["not", "a", "spec"],
    ],
    ids=["mark", "type", "remote-data", "not-a-dict"],
)
def test_a_chart_that_cannot_render_raises_brief_error_naming_it(spec):
    charts = (bar_chart("Fine chart"), brief.BriefChart("Broken chart", spec, "nowhere"))
    with pytest.raises(brief.BriefError, match="Broken chart") as info:
        brief.pdf(simple_brief(charts=charts))
    assert isinstance(info.value, ValueError)
    assert "Fine chart" not in str(info.value)
