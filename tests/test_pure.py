"""Filters, text safety, metrics and chart specs on the real data and tiny frames."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app_pages.linkage import charts as linkage_charts
from app_pages.revenue import charts as revenue_charts
from app_pages.supply import charts as supply_charts
from app_pages.timeline import charts as timeline_charts
from app_pages.timeline import view as timeline_view
from chipsmag import chartbase, hovers, metrics
from chipsmag.filters import (
    Filters,
    apply_to_events,
    apply_to_links,
    date_bounds,
    describe,
    event_plot_date,
    with_plot_dates,
)
from chipsmag.text import csv_text, format_event_date, md_escape, md_link, usd_m


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


def test_markdown_in_data_is_inert():
    assert md_escape("[x](http://e.vil)") == r"\[x\]\(http\://e\.vil\)"
    assert md_escape("<script>alert(1)</script>") == r"\<script\>alert\(1\)\</script\>"
    assert md_link("a]b", "javascript:alert(1)") == r"a\]b"
    assert md_link("Site", "https://example.org/a") == "[Site](https://example.org/a)"


def test_formats():
    assert format_event_date("2019-06", "month") == "Jun 2019 (month)"
    assert format_event_date("2025-04-04", "day") == "4 Apr 2025"
    assert usd_m(17108) == "$17.1B" and usd_m(15000) == "$15B" and usd_m(800) == "$800M"


def test_china_share_by_stage(record):
    shares = metrics.china_stage_shares(record.tables["supply"])
    mining = shares[shares["stage"] == "mining"].set_index("year")
    assert mining.loc[2024, "share_pct"] == 69.2
    assert sorted(shares[shares["stage"] == "magnets"]["share_pct"]) == [90, 92, 95]
    assert set(shares["stage"]) == {"mining", "refining", "magnets"}


def test_hhi_on_a_tiny_frame():
    assert metrics.hhi(pd.Series([50.0, 50.0])) == 5000
    assert metrics.hhi(pd.Series([100.0])) == 10000


def test_stage_concentration(record):
    conc = metrics.stage_concentration(record.tables["supply"]).set_index("stage")
    assert not conc.at["mining", "lower_bound"]
    # By hand from USGS 2024: China 270,000 of 390,000 t is 69.2%; the others add their squares.
    usgs_2024 = {"CN": 270000, "US": 45000, "MM": 31000, "AU": 13000, "NG": 13000, "TH": 13000, "IN": 2900}
    usgs_2024 |= {"RU": 2500, "MG": 2000, "MY": 130, "VN": 300, "BR": 20}
    by_hand = sum(round(v / 390000 * 100, 1) ** 2 for v in usgs_2024.values())
    assert conc.at["mining", "hhi_low"] == round(by_hand) == 5017
    assert conc.at["magnets", "hhi_low"] == 8100 and conc.at["magnets", "hhi_high"] == 9025


def test_nvidia_annual_series(record):
    annual = metrics.nvidia_annual(record.tables["revenue"]).set_index("fiscal_period")
    assert list(annual.index) == ["FY2020", "FY2021", "FY2022", "FY2023", "FY2024", "FY2025", "FY2026"]
    assert annual.at["FY2025", "china_share_pct"] == 13.1
    assert pd.isna(annual.at["FY2026", "china"]) and annual.at["FY2026", "china_status"] == "unverified"


def test_timeline_spec_draws_every_event_once_with_its_text_as_written(record):
    events = apply_to_events(record.tables["events"], Filters(dt.date(2018, 1, 1), dt.date(2026, 1, 1)))
    events.loc[events.index[0], "title"] = "<img src=x onerror=alert(1)>"
    names = {"nvidia": "<b>Nvidia</b>"}
    hovered = hovers.with_hovers(events, names, {})
    window = (hovered["plot_date"].min(), hovered["plot_date"].max())
    spec = timeline_view.labelled_chart(hovered, record.tables["actors"], "lever", window, "E28")
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
    assert markers["params"][0]["name"] == timeline_charts.TIMELINE_PICK
    lanes = [r["lane"] for r in spec["layer"][0]["data"]["values"]]
    assert lanes == ["Chips", "Both (tariffs, deals)", "Magnets"]


def test_side_lanes(record):
    events = apply_to_events(record.tables["events"], Filters(dt.date(2018, 1, 1), dt.date(2026, 1, 1)))
    lane, names = chartbase.lane_of(events, "side", record.tables["actors"])
    pos = dict(zip(events["id"], lane, strict=True))
    assert pos["E27"] == "China government"
    assert pos["E30"] == "Companies"
    assert pos["E08"] == "Other governments"
    assert names == ("US government", "China government", "Companies", "Other governments")


def test_the_tariff_chart_draws_the_headline_steps_from_the_layers(record):
    t = record.tables
    domain = linkage_charts.linkage_domain(with_plot_dates(t["events"]), "2025")
    assert domain == ["2024-11-15", "2026-01-15"]
    lines = metrics.tariff_lines(t["tariffs"], t["tariff_layers"])
    tariffs = linkage_charts.tariff_chart(lines, t["tariffs"], t["tariff_layers"], domain, end="2025-12-08")
    us = [r["rate"] for r in tariffs["data"]["values"] if r["series"].startswith("US on China")]
    assert us == [10, 20, 104, 145, 30, 30, 20, 20]  # each change, then the last rate held to the end
    assert tariffs["layer"][0]["mark"]["interpolate"] == "step-after"
    threats = next(layer for layer in tariffs["layer"] if layer.get("mark", {}).get("shape") == "cross")
    assert [r["rate"] for r in threats["data"]["values"]] == [100]  # threatened, never imposed
    assert tariffs["layer"][0]["encoding"]["x"]["scale"]["domain"] == domain


def test_tariff_lines_sum_the_general_layers_and_stop_at_an_unknown_outcome():
    layers = pd.DataFrame(
        {
            "id": ["a", "b", "p", "c"],
            "side": ["US", "US", "US", "CN"],
            "scope": ["general", "general", "product_lines", "general"],
            "authority": ["x"] * 4,
            "name": ["A", "B", "P", "C"],
            "description": ["d"] * 4,
        }
    )
    rows = [
        ("a", "2025-01-01", 10.0, "in_force"),
        ("b", "2025-02-01", 5.0, "in_force"),
        ("p", "2025-02-15", 25.0, "in_force"),
        ("b", "2025-03-01", 50.0, "threatened"),
        ("a", "2025-04-01", 0.0, "in_force"),
        ("b", "2025-05-01", None, "lapse_scheduled"),
        ("c", "2025-01-10", 10.0, "in_force"),
    ]
    tariffs = pd.DataFrame(rows, columns=["layer", "effective_date", "rate_pct", "status"]).assign(
        computed=False, trigger="t", note="", event_ids="", source_ids="s"
    )
    lines = metrics.tariff_lines(tariffs, layers)
    us = lines[lines["side"] == "US"].set_index("day")
    assert us["rate"].iloc[:3].tolist() == [10, 15, 5]  # the product line and the threat are never summed
    assert us.at["2025-02-01", "components"] == "A 10% + B 5%"
    assert bool(us.at["2025-05-01", "unknown"]) and pd.isna(us.at["2025-05-01", "rate"])
    state = metrics.tariffs_in_force(tariffs, layers, "2025-06-01").set_index("layer")
    assert state.at["b", "status"] == "lapse_scheduled" and state.at["p", "rate_pct"] == 25


def test_lever_pairs_count_every_link(record):
    t = record.tables
    spec = linkage_charts.lever_pairs_chart(t["links"], t["events"])
    assert sum(r["n"] for r in spec["data"]["values"]) == len(t["links"])


def test_claims_chart_spec(record):
    spec = revenue_charts.claims_chart(record.tables["claims"]).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == (record.tables["claims"]["unit"] == "usd_m").sum()
    fifteen = [r for r in rows if "lost sales" in r["label"]]
    assert fifteen[0]["billions"] == 15 and fifteen[0]["kind"] == "interview"


def test_revenue_annual_spec_flags_unverified(record):
    annual = metrics.nvidia_annual(record.tables["revenue"])
    spec = revenue_charts.revenue_annual_chart(annual)
    bars = {(r["fiscal_period"], r["series"]): r["usd_b"] for r in spec["data"]["values"]}
    assert round(bars[("FY2025", "China incl. Hong Kong")], 3) == 17.108
    assert ("FY2026", "China incl. Hong Kong") not in bars  # unverified: not drawn as a value
    assert round(bars[("FY2026", "Total (China unverified)")], 3) == round(annual["total"].iloc[-1] / 1000, 3)
    notes = [layer for layer in spec["layer"][0]["layer"] if layer.get("mark", {}).get("type") == "text"]
    assert notes[0]["encoding"]["text"]["value"] == "China:\nunverified"
    assert [r["fiscal_period"] for r in notes[0]["data"]["values"]] == ["FY2026"]


def test_events_fall_in_the_fiscal_period_that_contains_them(record):
    from chipsmag.filters import with_plot_dates

    events = with_plot_dates(record.tables["events"])
    controls = events[(events["lever"] == "chips") & (events["category"] == "export_control")]
    quarters = metrics.nvidia_quarters(record.tables["revenue"]).drop_duplicates("fiscal_period")
    marks = metrics.events_in_periods(controls, quarters.set_index("fiscal_period")["period_end"], months=3)
    assert list(marks["Q1 FY2026"]["id"]) == ["E28"]  # 2025-04-09, quarter ended 2025-04-27
    assert list(marks["Q4 FY2026"]["id"]) == ["E58", "E59"]
    annual = metrics.nvidia_annual(record.tables["revenue"]).set_index("fiscal_period")["period_end"]
    years = metrics.events_in_periods(controls, annual, months=12)
    assert list(years["FY2023"]["id"]) == ["E06", "E07"] and "FY2022" not in years
    spec = revenue_charts.revenue_quarters_chart(metrics.nvidia_quarters(record.tables["revenue"]), marks)
    triangles = spec["layer"][-1]["data"]["values"]
    assert [r["fiscal_period"] for r in triangles] == ["Q1 FY2026", "Q2 FY2026", "Q3 FY2026", "Q4 FY2026"]
    assert triangles[0]["label"] == "E28" and triangles[0]["events"].startswith("E28 ")


def test_csv_downloads_make_formula_like_text_inert_and_keep_numbers():
    frame = pd.DataFrame(
        {
            "note": ["+157.5% m/m", '=HYPERLINK("http://x")', "@SUM(A1)", "plain", None, "<script>alert(1)</script>"],
            "value": [-6.1, 1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["note", "value"]
    assert [r[0] for r in rows[1:]] == [
        "'+157.5% m/m",
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "plain",
        "",
        "<script>alert(1)</script>",  # a CSV is text: markup stays as written, nothing renders it
    ]
    assert rows[1][1] == "-6.1"  # numbers are not text: left as they are


@given(st.lists(st.text(alphabet="abcdefghij,:()", min_size=1, max_size=20), min_size=1, max_size=15))
def test_long_chart_titles_break_into_phone_width_lines_and_lose_nothing(words):
    title = " ".join(words)
    lines = chartbase.title_lines(title)
    assert " ".join(lines) == title
    assert all(len(line) <= chartbase.TITLE_LINE or " " not in line for line in lines)


def test_long_chart_titles_are_broken_for_phones(record):
    assert chartbase.vega_title("Events by side (first actor), coloured by category") == {
        "text": ["Events by side (first actor),", "coloured by category"]
    }
    long = revenue_charts.Spec("Nvidia revenue by fiscal year, China (incl. Hong Kong) by billing location", 440)
    assert (
        long.layout["title"]["text"] == "Nvidia revenue by fiscal year,<br>China (incl. Hong Kong) by billing location"
    )
    assert long.layout["height"] == 462 and long.layout["margin"]["t"] == 72
    usgs = supply_charts.usgs_country_chart(metrics.usgs_tonnages(record.tables["supply"], "mining"), "mining")
    assert usgs["title"] == {"text": ["Rare-earth mine production by country", "(USGS MCS 2025)"]}
    assert chartbase.vega_title("Rare-earth reserves by country (USGS MCS 2025)") == (
        "Rare-earth reserves by country (USGS MCS 2025)"  # short enough: stays one string
    )


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


def test_a_passed_date_without_an_outcome_is_never_read_as_ended_or_pending():
    from chipsmag.coverage import PASSED_UNKNOWN, RESOLVED, SCHEDULED, deadline_states

    deadlines = pd.DataFrame(
        {
            "id": ["D1", "D2", "D3"],
            "date": ["2026-12-01", "2026-07-24", "2025-11-10"],
            "title": ["later", "passed, unknown", "passed, known"],
            "outcome_event": [None, None, "E2"],
        }
    )
    events = pd.DataFrame({"id": ["E2"], "title": ["Truce extended"]})
    states = deadline_states(deadlines, events, dt.date(2026, 11, 29)).set_index("id")
    assert list(states.index) == ["D3", "D2", "D1"]  # by date
    assert states.at["D1", "state"] == SCHEDULED and states.at["D1", "outcome"] == ""
    assert states.at["D2", "state"] == PASSED_UNKNOWN and states.at["D2", "outcome"] == "not in the data"
    assert states.at["D3", "state"] == RESOLVED and states.at["D3", "outcome"] == "E2: Truce extended"


def test_magnet_periods_filter_by_overlap_and_label_as_one_figure():
    from chipsmag.filters import apply_periods

    frame = pd.DataFrame(
        {"period_start": ["2025-12", "2026-01", "2026-03"], "period_end": ["2025-12", "2026-02", "2026-03"]}
    )
    f = Filters(dt.date(2026, 2, 10), dt.date(2026, 2, 20))
    assert apply_periods(frame, f)["period_start"].tolist() == ["2026-01"]  # February lies inside Jan+Feb
    assert chartbase.period_label("2026-01", "2026-02") == "Jan-Feb 2026 (one figure)"
    assert chartbase.period_label("2025-12", "2026-01") == "Dec 2025-Jan 2026 (one figure)"
    assert chartbase.period_label("2026-03", "2026-03") == "Mar 2026"
