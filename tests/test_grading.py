"""Source strength: each fact row graded by its best source (official, wire, secondary only) and its
independent publishers, computed from the sources table; the filter that keeps only facts with an
official or wire source, on every page and in the link; the badge on cards, tables and tooltips."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from chipsmag import grading
from chipsmag.loading import DEFAULT_DATA_DIR, read_descriptor
from support.apptest import PAGES, open_page, share_link, texts, vega_specs

SOURCES = pd.DataFrame(
    [
        ("filing", "Nvidia", None, "primary_filing"),
        ("fedreg", "Federal Register", None, "official_statement"),
        ("usgs", "U.S. Geological Survey", None, "official_data"),
        ("reuters", "Reuters", None, "wire_report"),
        ("ft", "Financial Times", None, "news_report"),
        ("mirror1", "MarketScreener", "Reuters", "secondary_aggregator"),
        ("mirror2", "Business Recorder", "Reuters (Alexandra Alper)", "secondary_aggregator"),
        ("lawfirm", "Davis Polk", None, "analysis"),
        ("blog", "Some blog", None, "secondary_aggregator"),
    ],
    columns=["id", "publisher", "original_publisher", "kind"],
)


def grade(*ids: str) -> tuple[str, int]:
    g = grading.grade_rows(pd.DataFrame({"source_ids": [";".join(ids)]}), SOURCES).iloc[0]
    return g["grade"], int(g["publishers"])


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (("filing",), ("official", 1)),
        (("fedreg",), ("official", 1)),
        (("usgs",), ("official", 1)),
        (("reuters",), ("wire", 1)),
        (("ft",), ("wire", 1)),
        (("lawfirm",), ("secondary", 1)),
        (("blog", "lawfirm"), ("secondary", 2)),
        (("blog", "reuters", "filing"), ("official", 3)),  # the best source decides
    ],
)
def test_each_kind_of_source_grades_a_row(ids, expected):
    assert grade(*ids) == expected


def test_a_mirror_of_a_wire_story_is_secondary_and_mirrors_of_one_story_are_one_publisher():
    assert grade("mirror1") == ("secondary", 1)
    assert grade("mirror1", "mirror2") == ("secondary", 1)  # both carry Reuters: one publisher
    assert grade("mirror1", "reuters") == ("wire", 1)  # Reuters itself, and a copy of Reuters
    assert grade("mirror1", "ft") == ("wire", 2)  # two independent publishers


def test_unknown_or_missing_sources_grade_as_secondary_with_no_publisher():
    assert grade("nope") == ("secondary", 0)
    assert grade("") == ("secondary", 0)


def test_the_rule_and_the_badge():
    assert grading.meets_rule("official", 1) and grading.meets_rule("secondary", 2)
    assert not grading.meets_rule("wire", 1)
    assert grading.badge("official", 2) == "● Official source · 2 publishers"
    assert grading.badge("secondary", 1) == "○ Secondary only · 1 publisher"


def test_every_kind_in_the_descriptor_has_a_grade(record):
    def kinds(descriptor) -> set[str]:
        (sources,) = [r for r in descriptor["resources"] if r["name"] == "sources"]
        (kind,) = [f for f in sources["schema"]["fields"] if f["name"] == "kind"]
        return set(kind["constraints"]["enum"])

    assert kinds(read_descriptor(DEFAULT_DATA_DIR)) == set(grading.KIND_GRADE)
    assert kinds(record.descriptor) <= set(grading.KIND_GRADE)


def test_counts_and_the_curators_list_agree(record):
    counts = grading.counts(record).set_index("table")
    listed = grading.secondary_only(record)
    for table, row in counts.iterrows():
        assert row["rows"] == row["official"] + row["wire"] + row["secondary"]
        assert (listed["table"] == table).sum() == row["secondary"]


def test_strong_only_keeps_no_secondary_only_row_and_keeps_links_whole(record):
    strong = grading.strong_only(record)
    assert strong.view == grading.STRONG_VIEW and strong.key != record.key and strong.version == record.version
    for table, g in grading.graded(strong).items():
        assert (g["grade"] != "secondary").all(), table
    events = set(strong.tables["events"]["id"])
    links = strong.tables["links"]
    assert links["from_event"].isin(events).all() and links["to_event"].isin(events).all()
    assert len(strong.tables["events"]) < len(record.tables["events"])  # the fixture has secondary-only events


@pytest.mark.parametrize("page", PAGES)
def test_the_filter_applies_on_every_page_and_travels_in_the_link(page):
    at = open_page(page, strong="true")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.toggle(key="strong").value is True
    assert "only facts with an official or wire source" in texts(at)
    assert "strong=true" in share_link(at)


def test_the_filter_leaves_secondary_only_events_out_of_the_timeline():
    def shown(at) -> int:
        return int(re.search(r"([\d,]+) of [\d,]+ events", texts(at)).group(1).replace(",", ""))

    every, strong = open_page("timeline"), open_page("timeline", strong="TRUE", rows="true")
    assert 0 < shown(strong) < shown(every)
    table = next(d.value for d in strong.dataframe if "source strength" in d.value.columns)
    assert not table["source strength"].str.contains("Secondary only").any()
    assert table["source strength"].str.match(r"^[●◐] ").all()


def test_badges_on_cards_tables_and_tooltips():
    at = open_page("timeline", event="E28")
    assert "Source strength: " in texts(at)  # the event card
    tips = [t for s in vega_specs(at) for t in _tooltips(s)]
    assert "Source strength" in tips
    linkage = open_page("linkage", link="L01", link_rows="true")
    assert any("source strength" in d.value.columns for d in linkage.dataframe)
    claims = open_page("revenue", show="claims")
    assert any("source strength" in d.value.columns for d in claims.dataframe)
    assert "Source strength" in _tooltips(vega_specs(claims))
    supply = open_page("supply")
    with_badge = [s for s in vega_specs(supply) if "Source strength" in _tooltips(s)]
    assert len(with_badge) >= 3  # the stages' shares, the magnet exports, the other minerals


def _tooltips(spec) -> list[str]:
    out = []
    if isinstance(spec, dict):
        tip = spec.get("tooltip")
        if isinstance(tip, list):
            out += [t.get("title", "") for t in tip if isinstance(t, dict)]
        for v in spec.values():
            out += _tooltips(v)
    elif isinstance(spec, list):
        for v in spec:
            out += _tooltips(v)
    return out


def test_sources_and_data_counts_each_grade_and_lists_rows_to_upgrade():
    at = open_page("sources")
    counts = next(d.value for d in at.dataframe if "official or 2+" in d.value.columns)
    assert {"events", "links", "claims", "revenue"} <= set(counts["table"])
    assert (counts["rows"] == counts["official"] + counts["wire"] + counts["secondary"]).all()
    upgrade = next(d.value for d in at.dataframe if list(d.value.columns) == ["table", "row", "source_ids"])
    assert len(upgrade) == counts["secondary"].sum()
