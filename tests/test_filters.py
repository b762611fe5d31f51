"""The shared filters (date range, actors, lever, category) and how they apply to each table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from chipsmag.filters import (
    Filters,
    apply_to_events,
    apply_to_links,
    date_bounds,
    describe,
    event_plot_date,
    filter_parts,
)


@pytest.fixture
def all_dates(record):
    return date_bounds(record.tables["events"])


def test_date_bounds_of_the_events(all_dates):
    assert all_dates == (dt.date(2018, 7, 1), dt.date(2025, 12, 8))


def test_month_only_events_sit_mid_month():
    assert event_plot_date("2025-05", "month") == pd.Timestamp("2025-05-15")
    assert event_plot_date("2025-04-04", "day") == pd.Timestamp("2025-04-04")


def test_filters_narrow_events(record, all_dates):
    events = record.tables["events"]
    everything = apply_to_events(events, Filters(*all_dates, bounds=all_dates))
    assert len(everything) == 59
    magnets = apply_to_events(events, Filters(*all_dates, levers=("magnets",), bounds=all_dates))
    assert list(magnets["id"]) == ["E12", "E14", "E15", "E16", "E19", "E27", "E52", "E56"]
    in_2025 = apply_to_events(events, Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert in_2025["date"].str.startswith("2025").all() and len(in_2025) == 39
    nvidia = apply_to_events(events, Filters(*all_dates, actors=("nvidia",)))
    assert all("nvidia" in a.split(";") for a in nvidia["actors"])


def test_links_need_both_ends_visible(record):
    links = record.tables["links"]
    assert len(apply_to_links(links, {"E26", "E27"})) == 1
    assert apply_to_links(links, {"E26"}).empty


def test_describe_says_what_is_filtered(all_dates):
    f = Filters(dt.date(2025, 1, 1), all_dates[1], actors=("nvidia",), levers=("magnets",), bounds=all_dates)
    assert describe(f, {"nvidia": "Nvidia"}) == "filtered: 2025-01-01 to 2025-12-08 · actors: Nvidia · lever: magnets"
    assert describe(Filters(*all_dates, bounds=all_dates), {}) == ""


def test_a_brief_lists_each_filter_on_its_own_line_as_the_page_describes_it(all_dates):
    names = {"nvidia": "Nvidia · US"}  # a name holding the separator stays in its one part
    f = Filters(*all_dates, actors=("nvidia",), strong=True, asof=dt.date(2025, 6, 1), bounds=all_dates)
    parts = filter_parts(f, names)
    assert parts == ["actors: Nvidia · US", "only facts with an official or wire source", "as known on 2025-06-01"]
    assert describe(f, names) == "filtered: " + " · ".join(parts)
    assert filter_parts(Filters(*all_dates, bounds=all_dates), {}) == []
