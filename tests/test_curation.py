"""A curator follows the README's "Add an event" steps on a copy of the curated data: the
validator passes and every page still renders. Nothing here depends on what data/ holds."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from chipsmag import releases
from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset
from support.apptest import PAGES as PAGES_ALL
from support.apptest import charts_of, open_page, texts

from .conftest import ROOT


def _append(path, row: dict) -> None:
    """Append one row in the file's own column order, as a curator would."""
    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    out = io.StringIO()
    csv.DictWriter(out, header, lineterminator="\n").writerow(row)
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write(out.getvalue())


def _next_id(ids, prefix: str) -> str:
    return f"{prefix}{max(int(i[len(prefix) :]) for i in ids if i[len(prefix) :].isdigit()) + 1}"


@dataclass(frozen=True)
class Curated:
    folder: Path
    event_id: str
    link_id: str


@pytest.fixture(scope="module")
def curated_copy(tmp_path_factory):
    """data/ copied, with one new source, one new event (the next free id) and a link to it."""
    target = tmp_path_factory.mktemp("curator") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    ds = load_dataset(target)
    events, links = ds.tables["events"], ds.tables["links"]
    # 1. The source first.
    _append(
        target / "sources.csv",
        {
            "id": "curator_test_source",
            "publisher": "Example Wire",
            "original_publisher": "",
            "title": "A test report",
            "url": "https://example.org/report",
            "published": "2026-06-21",
            "accessed": "",
            "kind": "news_report",
            "note": "",
        },
    )
    # 2. The event, with the next free id, answering the newest event in the data.
    newest = events.sort_values("date").iloc[-1]
    event_id = _next_id(events["id"], "E")
    _append(
        target / "events.csv",
        {
            "id": event_id,
            "date": newest["date"] if len(newest["date"]) == 10 else newest["date"] + "-28",
            "date_precision": "day",
            "title": "Curator test event",
            "description": "A move added by the curator test.",
            "actors": "us_gov",
            "category": "negotiation",
            "lever": "both",
            "context_only": "false",
            "source_ids": "curator_test_source",
        },
    )
    # 3. The link to it.
    link_id = _next_id(links["id"], "L")
    _append(
        target / "links.csv",
        {
            "id": link_id,
            "from_event": newest["id"],
            "to_event": event_id,
            "relation": "de-escalation",
            "basis": "inferred",
            "evidence": "The curators' reading of timing.",
            "source_ids": "curator_test_source",
        },
    )
    # 4. The release row for the new data version (the feed beside data/ is not copied).
    releases.add(target, "Curator test: one event and a link")
    return Curated(target, event_id, link_id)


def test_the_validator_passes_after_adding_an_event(curated_copy):
    result = subprocess.run(
        [sys.executable, "-m", "chipsmag.validate", str(curated_copy.folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ds = load_dataset(curated_copy.folder)
    assert curated_copy.event_id in set(ds.tables["events"]["id"])
    assert curated_copy.link_id in set(ds.tables["links"]["id"])


@pytest.mark.parametrize("page", list(PAGES_ALL))
def test_every_page_renders_after_adding_an_event(curated_copy, monkeypatch, page):
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(curated_copy.folder))
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page != "sources":
        assert charts_of(at), page


def test_the_new_event_opens_in_the_timeline_card(curated_copy, monkeypatch):
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(curated_copy.folder))
    at = open_page("timeline", event=curated_copy.event_id)
    assert "Curator test event" in texts(at)
    assert "Example Wire" in texts(at)


def test_the_frozen_fixture_has_the_curated_tables_shape():
    """The code tests' fixture follows the curated descriptor: a column added to data/ must be added
    to tests/fixtures/record_2025/ too (copy the descriptor, keep the fixture's x_coverage)."""
    from chipsmag.loading import read_descriptor

    from .conftest import RECORD_2025

    curated, fixture = read_descriptor(DEFAULT_DATA_DIR), read_descriptor(RECORD_2025)
    assert fixture["resources"] == curated["resources"]
    assert fixture["x_coverage"]["curated_to"] <= curated["x_coverage"]["curated_to"]
