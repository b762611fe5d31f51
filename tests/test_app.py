"""Every page in AppTest: it renders, its charts and series are there, and the filters change them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import altair as alt
import jsonschema
import plotly.graph_objects as go
import pytest

from support.apptest import (
    PAGES as PAGES_ALL,
)
from support.apptest import (
    charts_of,
    frame_with,
    open_page,
    plotly_specs,
    share_link,
    texts,
    title,
    unescape,
    vega_specs,
    vega_values,
)

EXPECTED = {  # page: (plotly chart titles, number of Vega-Lite charts)
    "overview": ([], 1),
    "measures": ([], 3),
    "timeline": ([], 2),
    "revenue": ([], 2),
    "supply": ([], 5),
    "linkage": ([], 3),
    "sources": ([], 0),
}


@pytest.mark.parametrize("page", list(PAGES_ALL))
def test_page_renders_its_charts_without_exception(page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    titles, altair = EXPECTED[page]
    assert [title(s) for s in plotly_specs(at)] == titles
    assert len(vega_specs(at)) == altair


@pytest.mark.parametrize(
    ("page", "query"),
    [(p, {}) for p in PAGES_ALL if EXPECTED[p][0]]
    + [("revenue", {"show": "Scenario"}), ("revenue", {"show": "Scenario", "preset": "December 2025 H200 at 25%"})],
)
def test_every_plotly_figure_passes_plotly_validation(page, query):
    """The app builds figures without Plotly's per-property validation (it costs half their
    server time); here every figure a page draws goes through it, and an invalid property fails."""
    specs = plotly_specs(open_page(page, **query))
    assert specs
    for spec in specs:
        go.Figure(spec)  # raises ValueError on any invalid property or value


@pytest.fixture(scope="module")
def vega_lite_schema():
    path = Path(alt.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    return jsonschema.Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("page", "query"),
    [(p, {}) for p in PAGES_ALL if EXPECTED[p][1]]
    + [("supply", {"usgs": "reserves", "dates": ["2025-05-01", "2025-08-31"]}), ("revenue", {"show": "Claims"})]
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


@pytest.mark.parametrize("page", [p for p in PAGES_ALL if p != "sources"])
def test_every_chart_has_a_source_line(page):
    at = open_page(page)
    n_sources = sum("Sources:" in c.value for c in at.caption) + sum("Sources:" in e.label for e in at.expander)
    assert n_sources >= len(plotly_specs(at)) + len(vega_specs(at)) - 1  # the HHI shares the stage chart's line


def test_overview_headline_figures_come_from_the_data(on_record):
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    # The latest figures of the frozen 2025 record.
    assert metrics["Nvidia revenue, Q4 FY2026"] == "$68.1B"
    assert metrics["China's magnet exports, Nov 2025"] == "6,150 t"
    assert metrics["US tariff on all Chinese goods, 8 Dec 2025"] == "20%"
    # Where the story began.
    assert metrics["Nvidia China revenue, FY2025"] == "$17.1B"
    assert metrics["H20 charge booked, Q1 FY2026"] == "$4.5B"
    assert metrics["China's magnet exports, May 2025"] == "1,238 t"
    assert metrics["Mining, 2024"] == "69%" and metrics["Refining, 2025"] == "84%"
    assert metrics["Magnets, 2025"] == "90-95%"
    delta = {m.label: m.proto.delta for m in at.metric}
    assert delta["Nvidia China revenue, FY2025"] == "13.1% of $130.5B total revenue"
    assert (
        delta["US tariff on all Chinese goods, 8 Dec 2025"] == "IEEPA fentanyl tariff 10% + IEEPA reciprocal tariff 10%"
    )


def test_overview_headline_figures_follow_the_curated_record(dataset):
    """On the curated data: the latest reported quarter and magnet period stand in the headline, never an
    unverified one, whatever the data holds."""
    from chipsmag import metrics as m

    at = open_page("overview")
    labels = [x.label for x in at.metric]
    latest = m.latest_quarter(dataset.tables["revenue"], "nvidia")
    assert f"Nvidia revenue, {latest['fiscal_period'].iloc[0]}" in labels
    unverified = dataset.tables["revenue"]
    unverified = unverified[(unverified["status"] == "unverified") & (unverified["period_type"] == "quarter")]
    newer = unverified[unverified["period_end"] > latest["period_end"].iloc[0]]["fiscal_period"]
    assert not any(f"Nvidia revenue, {p}" in labels for p in newer)
    assert any(label.startswith("China's magnet exports, ") for label in labels)


TIMELINE_CHART = 1  # the labelled chart, under the overview strip


def event_ids(at) -> set[str]:
    """The events the timeline chart draws."""
    return {row["id"] for row in vega_values(at, TIMELINE_CHART)}


def test_timeline_filters_change_the_chart_and_table(on_record):
    full = open_page("timeline")
    assert len(event_ids(full)) == 59
    assert len(full.dataframe[0].value) == 59
    narrowed = open_page("timeline", lever="Magnets", dates=["2025-01-01", "2025-12-08"])
    ids = event_ids(narrowed)
    assert ids == {"E27", "E52", "E56"}
    assert len(narrowed.dataframe[0].value) == 3
    assert "filtered: 2025-01-01 to 2025-12-08 · lever: magnets (applies to chart and table)" in texts(narrowed)


def test_timeline_lanes_by_side():
    at = open_page("timeline", lanes="side")
    lanes = [r["lane"] for r in vega_specs(at)[TIMELINE_CHART]["layer"][0]["data"]["values"]]
    assert lanes == ["US government", "China government", "Companies", "Other governments"]
    assert {row["id"]: row["lane"] for row in vega_values(at, TIMELINE_CHART)}["E27"] == "China government"


def test_actor_filter(on_record):
    at = open_page("timeline", actor="China MOFCOM")
    ids = event_ids(at)
    assert "E27" in ids and "E28" not in ids and len(ids) == 12


def test_event_card_from_the_url_shows_description_sources_and_links():
    at = open_page("timeline", event="E28")
    body = texts(at)
    assert "H20 licence requirement; US tariff to 125%" in body
    assert "answered by **E29** China raises tariff to 125% (escalation, stated)" in body
    assert "answers **E27** China imposes rare-earth controls and a 34% tariff (escalation, inferred)" in body
    assert "Tom" in body  # Tom's Hardware, the source


def test_an_event_chosen_in_the_link_is_highlighted_on_the_first_run():
    rows = {row["id"]: row for row in vega_values(open_page("timeline", event="E28"), TIMELINE_CHART)}
    assert rows["E28"]["size"] > rows["E27"]["size"] and rows["E28"]["stroke"] == "#222222"


def test_event_card_follows_the_selectbox():
    at = open_page("timeline")
    at.selectbox(key="event").set_value("E42").run()
    assert "Nvidia to resume H20 sales" in texts(at)


def test_empty_filter_result_shows_an_empty_state(on_record):
    at = open_page("timeline", lever="Magnets", category="Market")
    assert not charts_of(at)
    assert any("No events match the current filters" in i.value for i in at.info)


def test_revenue_claims_follow_the_actor_filter(on_record):
    at = open_page("revenue", show="Claims", actor="AMD")
    claims = frame_with(at, "speaker", "quote")
    assert set(claims["speaker"]) == {"AMD"} and len(claims) == 3


def test_supply_usgs_view_and_date_filter(on_record):
    at = open_page("supply", usgs="reserves", dates=["2025-05-01", "2025-08-31"])
    spec = vega_specs(at)[0]
    assert spec["title"] == "Rare-earth reserves by country (USGS MCS 2025)"
    magnets = vega_specs(at)[3]
    assert magnets["title"]["text"][0].startswith("China's rare-earth magnet exports per reported")
    assert [r["tonnes_total"] for r in vega_values(at, 3)] == [1238, 3188, 5577, 6146]


def test_two_documents_of_one_publisher_are_told_apart_in_a_caption(on_record):
    at = open_page("supply")
    usgs = next(unescape(c.value) for c in at.caption if "U.S. Geological Survey" in unescape(c.value))
    assert "[U.S. Geological Survey: Mineral Commodity Summaries 2025: Rare Earths](https://pubs.usgs.gov/" in usgs
    assert "[U.S. Geological Survey: MCS 2025 data release metadata](https://data.usgs.gov/" in usgs
    assert "[U.S. Geological Survey](" not in usgs
    one = open_page("overview")  # a caption citing one document of a publisher keeps the short label
    assert any("[U.S. Geological Survey](https://" in unescape(c.value) for c in one.caption)


def link_ids(at) -> set[str]:
    """The links the linkage chart draws."""
    return {row["link"] for row in vega_values(at, 0)}


def test_linkage_relation_and_basis_filters(on_record, record):
    full = open_page("linkage", period="all")
    assert link_ids(full) == set(record.tables["links"]["id"])
    at = open_page("linkage", relation="quid pro quo", basis="stated", period="all")
    assert {(r["relation"], r["basis"]) for r in vega_values(at, 0)} == {("quid pro quo", "stated")}
    assert link_ids(at) == {"L13", "L15", "L17", "L18"}
    assert list(at.dataframe[0].value["id"]) == ["L13", "L15", "L17", "L18"]


def test_linkage_link_card_from_the_url():
    at = open_page("linkage", link="L17")
    body = texts(at)
    assert "We put that in the trade deal with the magnets" in body
    assert "**Quid pro quo** (stated)" in body


def test_sources_page_lists_sources_and_the_dictionary_follows_the_url(on_record, record):
    at = open_page("sources", table="revenue")
    frames = [d.value for d in at.dataframe]
    assert len(frames[0]) == len(record.tables["sources"])
    assert "value_usd_m" in set(frames[1]["column"])
    assert "USD millions" in set(frames[1]["unit"])


def test_unknown_url_values_get_a_notice_and_the_page_still_renders():
    at = open_page("timeline", actor=["Nvidia", "<script>alert(1)</script>"], foo="bar", lanes="diagonal")
    assert not at.exception
    notice = next(w.value for w in at.warning if "Parts of this link were not used" in w.value)
    assert "Actors\\: '\\<script\\>alert\\(1\\)\\</script\\>' not recognised and dropped" in notice  # as escaped
    assert "Unknown link parameter 'foo' was ignored" in notice
    assert "Lanes\\: 'diagonal' not recognised and dropped" in notice
    assert at.multiselect(key="actor").value == ["nvidia"]
    assert at.radio(key="lanes").value == "lever"


def test_reversed_date_range_is_swapped():
    at = open_page("timeline", dates=["2025-06-30", "2025-01-01"])
    assert any("end first" in w.value for w in at.warning)
    assert "filtered: 2025-01-01 to 2025-06-30" in texts(at)
    assert at.date_input(key="dates").value == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


def test_share_box_holds_the_current_view():
    at = open_page("timeline", lever="Chips", lanes="side")
    assert share_link(at) == "http://localhost:8501/timeline?lever=Chips&lanes=side"
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


def scenario_metrics(at) -> dict[str, str]:
    names = ("Serviceable demand, 8 quarters", "Expected net revenue", "Revenue at risk", "Fees paid to the US")
    return {m.label: m.value for m in at.metric if m.label in names}


def test_scenario_defaults_and_back_test():
    at = open_page("revenue", show="Scenario")
    assert scenario_metrics(at) == {
        "Serviceable demand, 8 quarters": "$56.8B",
        "Expected net revenue": "$5.9B",
        "Revenue at risk": "$50.9B",
        "Fees paid to the US": "$0.04B",
    }
    bt = frame_with(at, "quarter", "sample", "model", "actual", "gap")
    assert list(bt["quarter"]) == ["Q1 FY2026", "Q2 FY2026", "Q3 FY2026", "Q4 FY2026", "Q1 FY2027"]
    assert list(bt["actual"]) == ["$4.60B", "$0.00B", "$0.05B", "$0.00B", "$0.00B"]
    assert [s.startswith("in-sample") for s in bt["sample"]] == [True, False, True, False, False]
    assert bt["gap"].iloc[0] == "+1.08B"


def test_scenario_presets_move_the_sliders():
    at = open_page("revenue", show="Scenario")
    at.selectbox(key="preset").set_value("April 2025 ban persists").run()
    assert at.slider(key="s_licence").value == 0
    assert scenario_metrics(at)["Fees paid to the US"] == "$0.00B"
    at.selectbox(key="preset").set_value("December 2025 H200 at 25%").run()
    assert at.slider(key="s_fee").value == 25 and at.select_slider(key="s_start").value == "Q4 FY2026"
    assert at.slider(key="s_licence").value == 100


def test_scenario_from_a_link():
    at = open_page("revenue", show="Scenario", preset="December 2025 H200 at 25%", s_uptake="20", s_market="60")
    assert at.slider(key="s_fee").value == 25  # from the preset
    assert at.slider(key="s_uptake").value == 20 and at.slider(key="s_market").value == 60
    assert "changed: china market size, uptake when beijing discourages" in texts(at)
    assert share_link(at) == (
        "http://localhost:8501/revenue?show=Scenario&preset=December%202025%20H200%20at%2025%25&s_market=60&s_uptake=20"
    )


def test_invalid_scenario_values_in_a_link_are_dropped_with_a_notice():
    at = open_page("revenue", show="Scenario", s_fee="-5", s_uptake="nan", s_licence="abc", s_share="150", s_start="Q9")
    assert not at.exception
    notice = unescape(next(w.value for w in at.warning if "Parts of this link" in w.value))
    assert "Fee to the US government: -5 is outside 0 to 50; the default was used." in notice
    assert "Uptake when Beijing discourages: 'nan' is not a number; the default was used." in notice
    assert "Licence probability: 'abc' is not a number; the default was used." in notice
    assert "Share export-compliant parts can serve: 150 is outside 0 to 100; the default was used." in notice
    assert "Licence start: 'Q9' not recognised and dropped." in notice
    assert at.slider(key="s_fee").value == 15 and at.slider(key="s_uptake").value == 0.7


@pytest.mark.parametrize(
    ("section", "plotly", "altair"),
    [("History", 0, 2), ("Claims", 0, 1), ("Scenario", 2, 0)],
)
def test_revenue_sections_compute_only_what_is_shown(section, plotly, altair):
    at = open_page("revenue", show=section)
    assert not at.exception
    assert len(plotly_specs(at)) == plotly and len(vega_specs(at)) == altair
    assert bool(scenario_metrics(at)) == (section == "Scenario")


def test_the_timeline_zoom_window_travels_in_the_link(on_record):
    at = open_page("timeline", zoom=["2025-04-01", "2025-04-30"])
    assert not at.exception
    spec = vega_specs(at)[TIMELINE_CHART]
    assert spec["layer"][-1]["encoding"]["x"]["scale"]["domain"] == ["2025-04-01", "2025-04-30"]
    ids = event_ids(at)
    assert ids and all(i in {"E26", "E27", "E28", "E29", "E30", "E31"} for i in ids), ids
    assert "zoom=2025-04-01&zoom=2025-04-30" in share_link(at)
    labels = {r["id"] for layer in spec["layer"][2:4] for r in layer["data"]["values"]}
    assert labels == ids  # a window of few events: every event labelled


def test_a_zoom_that_is_not_two_dates_is_named_and_the_full_range_shown(on_record):
    at = open_page("timeline", zoom=["soon", "2025-04-30"])
    assert "Zoom: 'soon' is not a date in the form YYYY-MM-DD; the range was reset." in texts(at)
    assert len(event_ids(at)) == 59
