"""The Sources & data page: its model on the frozen record and broken copies of it, and the running
page for the URL and the methodology."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from app_pages import page_params
from app_pages.sources import model
from chipsmag.filters import Filters, with_plot_dates
from chipsmag.loading import DataIssue
from support.apptest import open_page, texts

from .conftest import RECORD_2025

ALL_DATES = Filters(dt.date(2018, 1, 1), dt.date(2026, 12, 31))


def dated(ds):
    return with_plot_dates(ds.tables["events"])


def test_params_are_the_registrys_for_the_page(record):
    declared = [p for p in page_params(record, dt.date(2026, 1, 1)) if p.page == "sources"]
    assert list(model.params(record, dt.date(2026, 1, 1))) == declared
    assert declared[0].key == "table" and declared[0].options[:3] == ("sources", "actors", "events")


def test_sources_and_their_kinds(record):
    m = model.build(record, ALL_DATES, "sources", RECORD_2025, dated)
    assert m.sources["id"].tolist() == record.tables["sources"]["id"].tolist()
    assert list(m.sources.columns) == model.SOURCE_COLUMNS
    counts = record.tables["sources"]["kind"].value_counts()
    assert m.kinds.startswith(f"{counts.index[0].replace('_', ' ')}: {counts.iloc[0]} · ")
    assert m.kinds.count(" · ") == len(counts) - 1
    assert m.version_line.startswith(f"Data version **{record.version}** (content hash of the tables)")
    assert m.problems == "" and m.issues is None


def test_the_dictionary_describes_the_chosen_table(record):
    d = model.dictionary(record, "revenue")
    assert d.heading.startswith("**Company revenue** (`data/revenue.csv`): Nvidia revenue by fiscal year")
    fields = d.fields.set_index("column")
    assert fields.at["value_usd_m", "unit"] == "USD millions"
    assert fields.at["value_usd_m", "allowed / range"] == "0"  # a minimum alone
    assert fields.at["period_type", "allowed / range"] == "year, quarter"
    assert fields.at["source_ids", "references"] == "sources"
    assert bool(fields.at["company", "required"]) and not fields.at["note", "required"]
    assert d.rules == "Table rules: value present unless unverified"
    assert model.dictionary(record, "actors").rules == ""


def test_downloads_keep_their_place_when_a_file_is_missing(record, data_copy):
    every = model.downloads(record, RECORD_2025)
    assert [d.file_name for d in every] == [r["path"] for r in record.descriptor["resources"]]
    assert [d.column for d in every[:4]] == [0, 1, 2, 0]
    (data_copy.dir / "actors.csv").unlink()
    rest = model.downloads(record, data_copy.dir)
    assert "actors.csv" not in [d.file_name for d in rest]
    assert [(d.key, d.column) for d in rest[:2]] == [("dl_sources", 0), ("dl_events", 2)]
    assert rest[0].path == data_copy.dir / "sources.csv"


def test_the_events_download_follows_the_filters(record):
    summer = Filters(dt.date(2025, 5, 1), dt.date(2025, 8, 31), levers=("chips",))
    m = model.build(record, summer, "events", RECORD_2025, dated)
    chips = ["E33", "E34", "E35", "E36", "E37", "E42", "E44", "E45", "E46", "E48", "E49"]
    assert m.events["id"].tolist() == chips  # E37 is dated May 2025 (month only): drawn, and kept, at mid-month
    everything = model.build(record, ALL_DATES, "events", RECORD_2025, dated)
    assert len(everything.events) == 59


def without(ds, *names: str):
    """The record as if these tables had not loaded, each with one problem."""
    issues = [DataIssue(f"data/{name}.csv", None, None, None, "file is empty") for name in names]
    tables = {k: v for k, v in ds.tables.items() if k not in names}
    return replace(ds, tables=tables, issues=issues, broken=set(names))


def test_broken_tables_are_listed_and_what_needs_them_is_left_out(record):
    m = model.build(without(record, "actors", "claims"), ALL_DATES, "actors", RECORD_2025, dated)
    assert m.events is None  # no events download without the actors
    assert m.problems == "2 problem(s) in actors, claims."
    assert m.issues["file"].tolist() == ["data/actors.csv", "data/claims.csv"]
    assert m.issues["rule"].tolist() == ["file is empty"] * 2
    assert model.build(without(record, "sources"), ALL_DATES, "sources", RECORD_2025, dated).sources is None


def test_sources_page_lists_sources_and_the_dictionary_follows_the_url(on_record, record):
    at = open_page("sources", table="revenue")
    assert at.selectbox(key="table").value == "revenue"
    frames = [d.value for d in at.dataframe]
    assert len(frames[0]) == len(record.tables["sources"])
    assert "value_usd_m" in set(frames[1]["column"])
    assert "USD millions" in set(frames[1]["unit"])
    captions = [c.value for c in at.main.caption]
    first = next(i for i, c in enumerate(captions) if c.startswith("Data version"))
    assert first < captions.index("Table rules: value present unless unverified")  # the version line stays on top
    assert "Two-month figures stay whole." in texts(at)  # the methodology, read from methodology.md


def test_a_long_source_list_under_a_chart_is_drawn_when_opened(on_record):
    at = open_page("timeline")
    box = next(e for e in at.expander if re.fullmatch(r"Sources: \d+ documents", e.label))
    count = int(box.label.split()[1])
    assert not box.markdown  # closed: its list is not sent
    at.session_state[box.key] = True  # the reader opens it
    at.run()
    box = next(e for e in at.expander if e.label == f"Sources: {count} documents")
    items = box.markdown[0].value.splitlines()
    assert len(items) == count and all(i.startswith("- [") for i in items), items[:3]
