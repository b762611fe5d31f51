"""Anchor facts of the curated data: values that must not drift, checked against the fact sheets.

This is the one suite that reads particular rows of data/ (marked ``anchors``). Adding a row never
breaks it; changing an anchored figure, date or id does, on purpose. Code tests run on small
fixtures or derive what they expect from the data, never from its counts.
"""

from __future__ import annotations

import pandas as pd
import pytest

from chipsmag import metrics
from chipsmag.loading import read_descriptor

pytestmark = pytest.mark.anchors


def test_every_table_of_the_descriptor_loads(dataset):
    names = {r["name"] for r in dataset.descriptor["resources"]}
    assert set(dataset.tables) == names
    assert all(len(df) > 0 for df in dataset.tables.values())


def test_every_column_is_documented(dataset):
    for res in dataset.descriptor["resources"]:
        assert res["description"], res["name"]
        for spec in res["schema"]["fields"]:
            assert spec["description"], (res["name"], spec["name"])
            if spec["type"] == "number":
                unit_known = "unit" in spec or spec["name"] == "value" or "unit" in dataset.tables[res["name"]]
                assert unit_known, (res["name"], spec["name"])


def test_the_fact_sheets_59_events_keep_their_ids_and_every_event_has_a_source_with_a_url(dataset):
    events, sources = dataset.tables["events"], dataset.tables["sources"]
    assert {f"E{n:02d}" for n in range(1, 60)} <= set(events["id"])
    with_url = set(sources.loc[sources["url"].notna(), "id"])
    for _, event in events.iterrows():
        ids = event["source_ids"].split(";")
        assert any(i in with_url for i in ids), event["id"]


def test_context_only_event_is_flagged(dataset):
    events = dataset.tables["events"].set_index("id")
    assert bool(events.at["E17", "context_only"]) is True


def test_nvidia_fy2025_china_revenue_matches_the_fact_sheet(dataset):
    rev = dataset.tables["revenue"]
    fy25 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "FY2025")].set_index("metric")
    assert fy25.at["china_incl_hk", "value_usd_m"] == 17108
    assert fy25.at["total", "value_usd_m"] == 130497
    assert round(17108 / 130497 * 100, 1) == 13.1


def test_nvidia_series_fy2020_to_fy2025_china_share(dataset):
    rev = dataset.tables["revenue"]
    years = rev[(rev["company"] == "nvidia") & (rev["period_type"] == "year")].pivot(
        index="fiscal_period", columns="metric", values="value_usd_m"
    )
    share = (years["china_incl_hk"] / years["total"] * 100).round(1)
    assert share["FY2020"] == 25.0
    assert share["FY2024"] == 16.9


def test_unverified_revenue_cells_are_flagged_not_guessed(dataset):
    rev = dataset.tables["revenue"]
    unverified = rev[rev["status"] == "unverified"]
    assert {"FY2026", "Q1 FY2026", "Q2 FY2026", "Q4 FY2026"} <= set(unverified["fiscal_period"])
    fy26 = unverified[(unverified["company"] == "nvidia") & (unverified["fiscal_period"] == "FY2026")]
    assert fy26["value_usd_m"].isna().all()
    # Nvidia Q2 FY2027 was read only in unofficial copies of the filing: every row of it is unverified.
    q2 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "Q2 FY2027")]
    assert len(q2) and (q2["status"] == "unverified").all()


def test_nvidia_latest_reported_quarter_is_q1_fy2027(dataset):
    latest = metrics.latest_quarter(dataset.tables["revenue"], "nvidia")
    assert latest["fiscal_period"].iloc[0] == "Q1 FY2027"
    assert latest.at["total", "value_usd_m"] == 81615


def test_nvidia_q4_fy2026_revenue(dataset):
    rev = dataset.tables["revenue"]
    q4 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "Q4 FY2026")].set_index("metric")
    assert q4.at["total", "value_usd_m"] == 68127


def test_usgs_2024_rare_earth_mine_production(dataset):
    supply = dataset.tables["supply"]
    usgs = supply[(supply["edition"] == "MCS 2025") & (supply["stage"] == "mining") & (supply["year"] == 2024)]
    usgs = usgs.set_index("country")
    assert usgs.at["CN", "value"] == 270000
    assert usgs.at["WORLD", "value"] == 390000
    assert round(270000 / 390000 * 100, 1) == 69.2


def test_usgs_mcs_2026_keeps_both_editions_with_the_2024_revision(dataset):
    supply = dataset.tables["supply"]
    us = supply[(supply["country"] == "US") & (supply["stage"] == "mining") & (supply["year"] == 2024)]
    by_edition = us.set_index("edition")["value"]
    assert by_edition["MCS 2025"] == 45000 and by_edition["MCS 2026"] == 45500
    mcs26 = supply[(supply["edition"] == "MCS 2026") & (supply["stage"] == "mining") & (supply["year"] == 2025)]
    mcs26 = mcs26.set_index("country")["value"]
    assert mcs26["CN"] == 270000 and mcs26["US"] == 51000 and mcs26["WORLD"] == 390000


def test_conflicting_magnet_shares_are_kept_side_by_side(dataset):
    supply = dataset.tables["supply"]
    magnets = supply[(supply["stage"] == "magnets") & (supply["country"] == "CN")].set_index("source_ids")
    shares = magnets["share_pct"]
    assert shares["bs_bloomberg_20250618"] == 90 and shares["mfgtoday_adamas"] == 92
    assert shares["woodmac_magnets"] == 95 and shares["m26_ree_iea_chessboard"] == 94


def test_magnet_exports_reconcile_with_the_cumulative_totals(dataset):
    m = dataset.tables["magnet_exports"].set_index("period_start")["tonnes_total"]
    # Jan-Sep 39,817 minus Jan-Jul 27,897 is August plus September.
    assert m["2025-08"] + m["2025-09"] == 39817 - 27897
    assert m["2025-10"] == 45290 - 39817
    # Jan-Oct 45,290 plus November and December is the reported 2025 total of 57,392.
    assert 45290 + m["2025-11"] + m["2025-12"] == 57392


def test_magnet_exports_may_2025(dataset):
    row = dataset.tables["magnet_exports"].set_index("period_start").loc["2025-05"]
    assert row["tonnes_total"] == 1238
    assert row["total_yoy_pct"] == -74
    assert row["tonnes_to_us"] == 46.4


def test_magnet_exports_december_2025_and_the_two_month_figure(dataset):
    m = dataset.tables["magnet_exports"].set_index("period_start")
    assert m.at["2025-12", "tonnes_total"] == 5952 and m.at["2025-12", "tonnes_to_us"] == 564
    jan_feb = m.loc["2026-01"]
    assert jan_feb["period_end"] == "2026-02" and jan_feb["tonnes_total"] == 10763
    assert "2026-02" not in m.index  # never split into single months


def test_links_cover_the_2025_chain(dataset):
    links = dataset.tables["links"]
    assert len(links) >= 15
    linked = set(links["from_event"]) | set(links["to_event"])
    chain = {"E26", "E27", "E28", "E32", "E37", "E39", "E41", "E42", "E43", "E52", "E53", "E54", "E56"}
    assert chain <= linked, chain - linked


def test_lutnick_quote_is_a_stated_quid_pro_quo(dataset):
    links = dataset.tables["links"].set_index("id")
    row = links.loc["L17"]
    assert (row["from_event"], row["to_event"]) == ("E40", "E42")
    assert row["relation"] == "quid pro quo" and row["basis"] == "stated"
    assert "trade deal with the magnets" in row["evidence"]


def test_huang_15_billion_is_an_interview_not_a_filing(dataset):
    claims = dataset.tables["claims"]
    fifteen = claims[claims["topic"] == "lost_sales"]
    assert list(fifteen["value"]) == [15000]
    assert list(fifteen["kind"]) == ["interview"]
    assert list(fifteen["speaker"]) == ["Jensen Huang"]


def test_tariff_steps_derived_from_the_layers(dataset):
    lines = metrics.tariff_lines(dataset.tables["tariffs"], dataset.tables["tariff_layers"])
    us = lines[lines["side"] == "US"].set_index("day")["rate"]
    cn = lines[lines["side"] == "CN"].set_index("day")["rate"]
    assert us["2025-02-04"] == 10 and us["2025-03-04"] == 20 and us["2025-04-09"] == 104
    assert us["2025-04-10"] == 145 and us["2025-05-14"] == 30 and us["2025-11-10"] == 20
    assert cn["2025-04-12"] == 125 and cn["2025-05-14"] == 10
    # The Supreme Court ended the IEEPA tariffs; the 10% Section 122 surcharge replaced them.
    assert us["2026-02-24"] == 10
    t = dataset.tables["tariffs"]
    assert (t[t["status"] == "threatened"]["computed"]).all() or len(t[t["status"] == "threatened"])


def test_section_122_rate_and_its_never_implemented_15_percent(dataset):
    t = dataset.tables["tariffs"]
    s122 = t[t["layer"] == "us_section_122"].set_index("status")
    assert s122.at["in_force", "rate_pct"] == 10 and s122.at["in_force", "effective_date"] == "2026-02-24"
    assert s122.at["announced", "rate_pct"] == 15
    assert s122.at["lapse_scheduled", "effective_date"] == "2026-07-24"
    assert pd.isna(s122.at["lapse_scheduled", "rate_pct"])


def test_h200_rule_and_supreme_court_dates(dataset):
    events = dataset.tables["events"]
    h200 = events[events["title"].str.contains("H200 rule") & events["title"].str.contains("Federal Register")]
    assert list(h200["date"]) == ["2026-01-15"]
    scotus = events[events["actors"].str.split(";").str[0] == "us_scotus"]
    assert "2026-02-20" in set(scotus["date"])


def test_passed_deadlines_after_the_coverage_end_have_no_invented_outcome(dataset):
    cov = dataset.coverage
    assert cov.curated_to.isoformat() == "2026-06-22" and cov.searched_to.isoformat() == "2026-11-29"
    d = dataset.tables["deadlines"].set_index("date")
    for day in ("2026-07-24", "2026-11-10", "2026-11-27"):
        assert day in d.index and pd.isna(d.loc[[day], "outcome_event"]).all(), day


def test_mirrors_name_their_original_publisher(dataset):
    sources = dataset.tables["sources"]
    mirrors = sources[sources["publisher"].str.contains("mirror")]
    assert len(mirrors) >= 3
    assert mirrors["original_publisher"].notna().all()
    wires = sources[sources["kind"] == "wire_report"]
    own_site = wires["publisher"] == "UPI"  # a wire agency on its own site
    assert (wires["original_publisher"].notna() | own_site).all()


def test_descriptor_paths_exist():
    from chipsmag.loading import DEFAULT_DATA_DIR

    for res in read_descriptor(DEFAULT_DATA_DIR)["resources"]:
        assert (DEFAULT_DATA_DIR / res["path"]).exists()
        header = pd.read_csv(DEFAULT_DATA_DIR / res["path"], nrows=0).columns.tolist()
        assert header == [f["name"] for f in res["schema"]["fields"]]


@pytest.mark.parametrize(
    "table", ["events", "links", "revenue", "claims", "supply", "magnet_exports", "tariffs", "deadlines"]
)
def test_every_fact_row_cites_a_known_source(dataset, table):
    known = set(dataset.tables["sources"]["id"])
    cited = dataset.tables[table]["source_ids"].str.split(";").explode()
    assert cited.notna().all()
    assert set(cited) <= known


def _state(dataset, day: str) -> dict[str, tuple[str, str | None]]:
    import datetime as dt

    from chipsmag import measures

    now = measures.on_date(dataset.tables["measures"], dataset.tables["measure_states"], dt.date.fromisoformat(day))
    return {
        r.tariff_layer if isinstance(r.tariff_layer, str) else r.number: (r.state, r.scheduled_until)
        for r in now.itertuples()
    }


def test_state_of_play_on_2026_03_01(dataset):
    state = _state(dataset, "2026-03-01")
    assert state["us_ieepa_fentanyl"][0] == "struck_down" and state["us_ieepa_reciprocal"][0] == "struck_down"
    assert state["us_section_122"] == ("in_force", "2026-07-24")
    t = dataset.tables["tariffs"]
    s122 = t[(t["layer"] == "us_section_122") & (t["status"] == "in_force")]
    assert list(s122["rate_pct"]) == [10]
    assert state["MOFCOM Announcements 55-58, 61 and 62 of 2025"] == ("suspended", "2026-11-10")


def test_state_of_play_on_2026_11_29_after_the_coverage_end(dataset):
    state = _state(dataset, "2026-11-29")
    assert state["MOFCOM Announcements 55-58, 61 and 62 of 2025"][0] == "outcome_unknown"
    assert state["us_section_122"][0] == "outcome_unknown"


@pytest.mark.parametrize(
    ("day", "measure", "state", "until"),
    [
        ("2025-06-01", "M10", "revoked", None),  # AI Diffusion Rule, rescinded 2025-05-13
        ("2025-06-01", "M13", "in_force", None),  # H20/MI308 licence requirement from 2025-04-09
        ("2025-06-01", "M14", "in_force", None),  # EDA licence curbs, revoked 2025-07-02
        ("2025-08-01", "M14", "revoked", None),
        ("2025-06-01", "M36", "in_force", None),  # Announcement 18 of 2025
        ("2025-06-01", "M33", "in_force", None),  # China's Ga/Ge/Sb ban on the US
        ("2025-12-01", "M33", "suspended", "2026-11-27"),  # Announcement 72
        ("2025-12-01", "M17", "suspended", "2026-11-10"),  # BIS 50% Affiliates Rule, Busan
        ("2026-01-20", "M41", "in_force", None),  # China's customs block on the H200
        ("2026-03-01", "M19", "in_force", None),  # the January 2026 H200 rule
        ("2026-03-01", "M11", "struck_down", None),  # IEEPA fentanyl
        ("2026-11-29", "M33", "outcome_unknown", None),  # passed 2026-11-27, outcome not recorded
        ("2026-11-29", "M17", "outcome_unknown", None),
    ],
)
def test_a_dozen_measures_on_given_dates(dataset, day, measure, state, until):
    import datetime as dt

    from chipsmag import measures

    now = measures.on_date(dataset.tables["measures"], dataset.tables["measure_states"], dt.date.fromisoformat(day))
    row = now.set_index("id").loc[measure]
    assert row["state"] == state
    assert (row["scheduled_until"] if isinstance(row["scheduled_until"], str) else None) == until
