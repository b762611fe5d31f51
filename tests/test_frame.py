"""The frame around every page (AppTest): each page renders with its charts and no exception; a table
that did not load, or holds bad values, is an in-page error naming the file, line and column while the
pages that do not need it keep working; the coverage line; the share box."""

from __future__ import annotations

import datetime as dt

import pytest

from support.apptest import (
    CHARTS,
    charts_of,
    open_page,
    plotly_count,
    share_link,
    unescape,
    vega_specs,
)
from support.apptest import (
    PAGES as PAGES_ALL,
)


@pytest.mark.parametrize("page", list(PAGES_ALL))
def test_page_renders_its_charts_without_exception(page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert plotly_count(at) == 0  # every chart is a Vega-Lite spec
    assert len(vega_specs(at)) == CHARTS[page]


def test_share_box_holds_the_current_view():
    at = open_page("timeline", lever="Chips", lanes="side")
    assert share_link(at) == "http://localhost:8501/timeline?lever=chips&lanes=side"
    assert share_link(open_page("overview")) == "http://localhost:8501/"


def test_a_broken_table_is_an_in_page_error_naming_the_file(data_copy, monkeypatch):
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(data_copy("magnet_exports", lambda b: b"")))
    at = open_page("supply")
    assert not at.exception
    message = unescape(at.error[0].value)
    assert "This view cannot be shown: data/magnet_exports.csv has 1 problem(s)." in message
    assert "data/magnet_exports.csv: file is empty: expected a header line" in message


def test_pages_that_do_not_need_the_broken_table_keep_working(data_copy, monkeypatch):
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(data_copy("magnet_exports", lambda b: b"")))
    for page in ("timeline", "linkage", "revenue"):
        at = open_page(page)
        assert not at.exception and not at.error, page
        assert charts_of(at), page
    sources = open_page("sources")
    assert any("problem(s) in magnet_exports" in e.value for e in sources.error)


def test_bad_values_in_a_table_name_line_and_column_in_page(data_copy, monkeypatch):
    data_dir = data_copy("revenue", lambda b: b.replace(b",17108,", b",17k,", 1))
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(data_dir))
    at = open_page("revenue")
    assert not at.exception
    assert "data/revenue.csv, line 26, column 'value_usd_m': '17k': expected a number" in unescape(at.error[0].value)


def test_coverage_line_says_what_is_not_yet_in_the_data():
    from chipsmag.coverage import coverage_line
    from chipsmag.loading import Coverage

    cov = Coverage(dt.date(2026, 6, 22), dt.date(2026, 11, 29))
    assert coverage_line(cov, dt.date(2026, 6, 1)) == "Events curated to 22 Jun 2026."
    later = coverage_line(cov, dt.date(2026, 11, 29))
    assert later.startswith("Events curated to 22 Jun 2026. Sources searched to 29 Nov 2026 were nearly silent")
    assert later.endswith("later events are not yet in the data.")
    same = Coverage(dt.date(2026, 6, 22), dt.date(2026, 6, 22))
    assert (
        coverage_line(same, dt.date(2026, 7, 1))
        == "Events curated to 22 Jun 2026. Later events are not yet in the data."
    )
    assert "not stated" in coverage_line(None, dt.date(2026, 7, 1))


def test_the_memo_keeps_its_newest_entries_and_a_stored_none():
    from chipsmag.memo import Memo

    memo = Memo(2)
    memo.put("a", None)
    assert memo.get("a", "absent") is None  # a derivation may be None: it is kept, not derived again
    memo.put("b", 2)
    memo.put("c", 3)
    assert [memo.get(k, "absent") for k in "abc"] == ["absent", 2, 3]  # the oldest went first


def test_a_views_cache_key_tells_apart_every_filter_and_option():
    import pandas as pd

    from chipsmag.filters import Filters
    from components.data import view_key

    day = dt.date(2025, 4, 4)
    base = Filters(dt.date(2018, 7, 1), day, categories=("tariff",), bounds=(dt.date(2018, 7, 1), day))
    same = Filters(dt.date(2018, 7, 1), day, categories=("tariff",), bounds=(dt.date(2018, 7, 1), day))
    assert view_key(base, (("lanes", "lever"),)) == view_key(same, (("lanes", "lever"),))
    others = [
        Filters(dt.date(2018, 7, 1), day, categories=("tariff", "negotiation"), bounds=base.bounds),
        Filters(dt.date(2018, 7, 1), day, categories=("tariff",), bounds=(dt.date(2018, 7, 1), dt.date(2026, 1, 1))),
        Filters(dt.date(2018, 7, 1), day, categories=("tariff",), bounds=base.bounds, strong=True),
        Filters(dt.date(2018, 7, 1), day, categories=("tariff",), bounds=base.bounds, asof=day),
    ]
    keys = {view_key(f, (("lanes", "lever"),)) for f in [base, *others]}
    assert len(keys) == 1 + len(others)  # bounds too: equality of Filters leaves them out, the key does not
    zoom = (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-30"))
    assert view_key(base, (("zoom", zoom),)) != view_key(base, (("zoom", (zoom[0], pd.Timestamp("2025-05-01"))),))


def test_a_kept_chart_goes_out_as_arrow_tables_made_once_and_the_spec_is_left_alone():
    from components.share import as_sent

    rows = [{"day": "2025-04-09", "n": 1}, {"day": "2025-04-10", "n": None}]
    spec = {"mark": "point", "data": {"values": rows}, "datasets": {"extra": [{"y": 2}], "geo": {"type": "x"}}}
    sent = as_sent(spec)
    assert sent["data"]["values"].to_pylist() == rows and sent["datasets"]["extra"].to_pylist() == [{"y": 2}]
    assert sent["datasets"]["geo"] == {"type": "x"} and sent["mark"] == "point"  # what is not rows passes as is
    assert spec["data"]["values"] is rows and spec["datasets"]["extra"] == [{"y": 2}]
    assert as_sent(spec) is sent  # the same spec object: converted once
    assert as_sent(dict(spec)) is not sent  # another object: converted for itself
