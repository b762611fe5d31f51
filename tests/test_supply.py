"""The Supply page: its model on the frozen record and tiny frames, and the running page for the URL
and the source captions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from app_pages import page_params
from app_pages.supply import model
from chipsmag import chartbase, metrics
from chipsmag.filters import Filters, apply_periods, with_plot_dates
from support.apptest import open_page, unescape, vega_specs, vega_values

ALL_DATES = Filters(dt.date(2018, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture(scope="module")
def events(record):
    return with_plot_dates(record.tables["events"])


@pytest.fixture(scope="module")
def data_only(record):
    """The data-only parts on the newest edition's mine production (the page's default view)."""
    return model.fixed(record, {}, "mining", "MCS 2025")


# Derived figures.


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


def test_magnet_periods_filter_by_overlap_and_label_as_one_figure():
    frame = pd.DataFrame(
        {"period_start": ["2025-12", "2026-01", "2026-03"], "period_end": ["2025-12", "2026-02", "2026-03"]}
    )
    f = Filters(dt.date(2026, 2, 10), dt.date(2026, 2, 20))
    assert apply_periods(frame, f)["period_start"].tolist() == ["2026-01"]  # February lies inside Jan+Feb
    assert chartbase.period_label("2026-01", "2026-02") == "Jan-Feb 2026 (one figure)"
    assert chartbase.period_label("2025-12", "2026-01") == "Dec 2025-Jan 2026 (one figure)"
    assert chartbase.period_label("2026-03", "2026-03") == "Mar 2026"


# The model.


def test_params_are_the_registrys_for_the_page(record):
    declared = [p for p in page_params(record, dt.date(2026, 1, 1)) if p.page == "supply"]
    assert list(model.params(record, dt.date(2026, 1, 1))) == declared
    assert [p.key for p in declared] == ["usgs", "edition"]
    assert declared[1].options == ("MCS 2025",)


def test_by_country_names_its_edition_view_and_years(record):
    usgs = model.by_country(record, "reserves", "MCS 2025")
    assert usgs.heading == "Showing **USGS Mineral Commodity Summaries 2025**, reserves for 2024."
    assert usgs.spec["title"] == {"text": ["Rare-earth reserves by country", "(USGS MCS 2025)"]}
    assert usgs.source_ids == ["usgs_mcs2025_ree"]
    assert {r["country_name"] for r in usgs.spec["data"]["values"]} >= {"China", "Brazil"}
    missing = model.by_country(record, "mining", "MCS 1999")
    assert missing.spec is None and missing.tonnages.empty  # the page says there are no rows


def test_stages_and_minerals_cite_their_rows(record, events, data_only):
    m = model.build(record, ALL_DATES, events, data_only)
    assert list(m.stages.table.columns) == model.SHARE_COLUMNS
    assert m.stages.source_ids == metrics.sources_of(m.stages.shares)
    assert "usgs_mcs2025_ree" in m.stages.source_ids and "woodmac_magnets" in m.stages.source_ids
    assert m.stages.hhi_spec["title"]["text"] == ["Concentration", "(Herfindahl-Hirschman index) by stage"]
    assert {r.split(" · ")[0] for r in (v["row"] for v in m.minerals.spec["data"]["values"])} == {
        "Gallium",
        "Germanium",
        "Graphite",
    }
    assert "miragenews_unu" in m.minerals.source_ids


def test_magnet_exports_follow_the_dates(record, events, data_only):
    def supply_model(f: Filters):
        return model.build(record, f, events, data_only)

    summer = supply_model(Filters(dt.date(2025, 5, 1), dt.date(2025, 8, 31))).exports
    assert summer.rows["tonnes_total"].tolist() == [1238, 3188, 5577, 6146]
    assert [r["tonnes_total"] for r in summer.spec["data"]["values"]] == [1238, 3188, 5577, 6146]
    assert "Last reported period: Aug 2025;" in summer.note and "wide bar" not in summer.note
    assert summer.source_ids == metrics.sources_of(summer.rows)
    whole = supply_model(ALL_DATES).exports
    assert whole.marks["id"].tolist() == ["E19", "E27", "E52", "E56"]  # China's own moves, within the months
    assert "Last reported period: Nov 2025;" in whole.note
    none = supply_model(Filters(dt.date(2019, 1, 1), dt.date(2019, 3, 31))).exports
    assert none.spec is None and none.rows.empty and none.marks.empty


def test_several_months_reported_as_one_are_named_in_the_note(record, events):
    rows = pd.DataFrame(
        {
            "period_start": ["2025-12", "2026-01"],
            "period_end": ["2025-12", "2026-02"],
            "tonnes_total": [5000.0, 9000.0],
            "total_status": ["reported", "reported"],
            "tonnes_to_us": [400.0, 700.0],
            "to_us_status": ["reported", "reported"],
            "source_ids": ["a", "b;a"],
        }
    )
    exports = model.exports(rows, events, ALL_DATES)
    assert "(Jan-Feb 2026 (one figure)): it is never split." in exports.note
    assert "Last reported period: Jan-Feb 2026 (one figure);" in exports.note
    assert exports.source_ids == ["a", "b"]


def test_magnet_moves_are_chinas_own_on_the_magnet_lever_within_the_months():
    events = pd.DataFrame(
        {
            "id": ["in", "us_first", "chips", "tariff", "before", "after"],
            "date": ["2025-04-04", "2025-04-04", "2025-04-04", "2025-04-04", "2025-03-31", "2025-06-01"],
            "lever": ["magnets", "magnets", "chips", "magnets", "magnets", "magnets"],
            "category": ["rare_earth", "export_control", "export_control", "tariff", "rare_earth", "rare_earth"],
            "actors": ["cn_mofcom;us_gov", "us_gov;cn_mofcom", "cn_mofcom", "cn_gov", "cn_gov", "cn_gov"],
        }
    )
    assert model.magnet_moves(events, "2025-04", "2025-05")["id"].tolist() == ["in"]


# The running page.


def test_supply_usgs_view_and_date_filter(on_record):
    at = open_page("supply", usgs="reserves", dates=["2025-05-01", "2025-08-31"])
    spec = vega_specs(at)[0]
    assert spec["title"] == {"text": ["Rare-earth reserves by country", "(USGS MCS 2025)"]}
    magnets = vega_specs(at)[3]
    assert magnets["title"]["text"][0].startswith("China's rare-earth magnet exports per")
    assert [r["tonnes_total"] for r in vega_values(at, 3)] == [1238, 3188, 5577, 6146]


def test_two_documents_of_one_publisher_are_told_apart_in_a_caption(on_record):
    at = open_page("supply")
    usgs = next(unescape(c.value) for c in at.caption if "U.S. Geological Survey" in unescape(c.value))
    assert "[U.S. Geological Survey: Mineral Commodity Summaries 2025: Rare Earths](https://pubs.usgs.gov/" in usgs
    assert "[U.S. Geological Survey: MCS 2025 data release metadata](https://data.usgs.gov/" in usgs
    assert "[U.S. Geological Survey](" not in usgs
    one = open_page("overview")  # a caption citing one document of a publisher keeps the short label
    assert any("[U.S. Geological Survey](https://" in unescape(c.value) for c in one.caption)
