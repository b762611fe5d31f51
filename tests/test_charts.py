"""Every chart of every page: a valid Vega-Lite spec, a source line under it, titles that fit a phone."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import altair as alt
import jsonschema
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app_pages.supply import charts as supply_charts
from chipsmag import chartbase, metrics
from support.apptest import (
    PAGES as PAGES_ALL,
)
from support.apptest import (
    open_page,
    vega_specs,
)


@pytest.mark.parametrize(
    ("page", "query"),
    [(p, {}) for p in PAGES_ALL if p != "sources"]  # the pages that draw charts
    + [("supply", {"usgs": "reserves", "dates": ["2025-05-01", "2025-08-31"]}), ("revenue", {"show": "Claims"})]
    + [("revenue", {"show": "Scenario"})]
    + [("timeline", {"lanes": "side", "event": "E28"}), ("linkage", {"period": "all", "link": "L17"})],
)
def test_every_vega_lite_spec_passes_the_vega_lite_schema(page, query, vega_lite_schema):
    """Vega-Lite specs are written as plain dicts; each one a page draws is checked against the
    schema of the Vega-Lite version Altair ships (a misspelt property fails here, not in a browser)."""
    specs = vega_specs(open_page(page, **query))
    assert specs
    for spec in specs:
        # Streamlit sends a single view's rows apart from its spec; the spec then names no data.
        spec = {"data": {"name": "rows"}, **spec}
        errors = sorted(vega_lite_schema.iter_errors(spec), key=str)
        assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]
        # A band axis of labels on several lines keeps every label: Vega's default drops every other
        # one it finds crowded, and a row without its label cannot be read without hovering.
        for field, axis in _split_label_axes(spec):
            assert axis.get("labelOverlap") is False, f"{page}: the axis of '{field}' may drop labels"


def _split_label_axes(node):
    """(field, axis) of every nominal or ordinal encoding whose axis splits its labels on lines."""
    if isinstance(node, dict):
        axis = node.get("axis")
        banded = node.get("type") in ("nominal", "ordinal") and isinstance(axis, dict)
        if banded and "split(datum.label, '\\n')" in axis.get("labelExpr", ""):
            yield node.get("field"), axis
        for value in node.values():
            yield from _split_label_axes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _split_label_axes(value)


@pytest.mark.parametrize("page", [p for p in PAGES_ALL if p != "sources"])
def test_every_chart_has_a_source_line(page):
    at = open_page(page)
    n_sources = sum("Sources:" in c.value for c in at.caption) + sum("Sources:" in e.label for e in at.expander)
    assert n_sources >= len(vega_specs(at)) - 1  # the HHI shares the stage chart's line


@given(st.lists(st.text(alphabet="abcdefghij,:()", min_size=1, max_size=20), min_size=1, max_size=15))
def test_long_chart_titles_break_into_phone_width_lines_and_lose_nothing(words):
    title = " ".join(words)
    lines = chartbase.title_lines(title)
    assert " ".join(lines) == title
    size, room = chartbase.TITLE_SIZE, chartbase.TITLE_PX
    assert all(chartbase.text_width(line, size) <= room or " " not in line for line in lines)


@given(
    st.lists(st.text(alphabet="abcdefghijWM/&=", min_size=1, max_size=30), min_size=1, max_size=12),
    st.integers(min_value=1, max_value=40),
)
def test_words_fill_lines_that_fit_and_a_long_word_is_cut_inside(words, width):
    """The one word filler every wrapper uses: each line fits (a word wider than a line cut between
    characters), no character is lost, and no line could have taken the next line's first word."""
    text = " ".join(words)

    def fits(line: str) -> bool:
        return len(line) <= width

    lines = chartbase.fill(text, fits, lambda word: chartbase.cut_word(word, fits))
    assert all(fits(line) for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line, after in itertools.pairwise(lines):
        assert not fits(f"{line} {after.split(' ')[0]}")
    alone = chartbase.fill(text, fits)  # no splitter: a word wider than a line stands alone on it
    assert all(fits(line) or " " not in line for line in alone) and " ".join(alone) == text
    assert chartbase.cut_word("abcdefg", lambda piece: len(piece) <= 3) == ["abc", "def", "g"]


def test_long_chart_titles_are_broken_for_phones(record):
    assert chartbase.vega_title("Events by side (first actor), coloured by category") == {
        "text": ["Events by side (first actor),", "coloured by category"]
    }
    usgs = supply_charts.usgs_country_chart(metrics.usgs_tonnages(record.tables["supply"], "mining"), "mining")
    assert usgs["title"] == {"text": ["Rare-earth mine production by country", "(USGS MCS 2025)"]}
    assert chartbase.vega_title("Rare-earth reserves (USGS MCS 2025)") == (
        "Rare-earth reserves (USGS MCS 2025)"  # short enough: stays one string
    )
    assert chartbase.vega_title("Rare-earth reserves by country (USGS MCS 2025)") == {
        "text": ["Rare-earth reserves by country", "(USGS MCS 2025)"]  # one line: cut short on a phone
    }


@pytest.fixture(scope="module")
def vega_lite_schema():
    path = Path(alt.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    return jsonschema.Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


def test_events_past_the_cap_are_one_mark_a_day_with_their_count(record):
    """However many events a series' window holds, its marks stay few: one a day, saying how many."""
    from chipsmag.filters import with_plot_dates

    events = with_plot_dates(record.tables["events"])
    many = pd.concat([events] * (chartbase.MAX_EVENT_MARKS // len(events) + 1), ignore_index=True)
    x = {"field": "day", "type": "temporal"}
    values = chartbase.event_marks(many, x, "#000000")["data"]["values"]
    days = many["plot_date"].nunique()
    assert len(values) == days and {v["id"] for v in values} == {""}
    per_day = many.groupby("plot_date").size()
    first = values[0]
    assert first["title"] == f"{per_day.iloc[0]:,} events" and first["aria"].startswith(first["title"])
    few = chartbase.event_marks(events, x, "#000000")["data"]["values"]
    assert sorted(v["id"] for v in few) == sorted(events["id"])  # under the cap, every event is its own mark


def test_the_timeline_strip_past_the_cap_draws_one_tick_a_day_and_category(record):
    from app_pages.timeline import charts as timeline_charts
    from chipsmag.filters import with_plot_dates

    events = with_plot_dates(record.tables["events"])
    many = pd.concat([events] * (timeline_charts.MAX_EVENT_POINTS // len(events) + 1), ignore_index=True)
    rows = timeline_charts.overview_strip(many, None)["data"]["values"]
    assert len(rows) == len(events[["plot_date", "category"]].drop_duplicates())
    assert len(timeline_charts.overview_strip(events, None)["data"]["values"]) == len(events)
