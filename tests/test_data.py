"""The curated tables: they load, they carry their sources, and they match the fact sheet."""

from __future__ import annotations

import pandas as pd
import pytest

from chipsmag.loading import read_descriptor


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


def test_all_59_fact_sheet_events_with_a_source_that_has_a_url(dataset):
    events, sources = dataset.tables["events"], dataset.tables["sources"]
    assert len(events) == 59
    assert list(events["id"]) == [f"E{n:02d}" for n in range(1, 60)]
    with_url = set(sources.loc[sources["url"].notna(), "id"])
    for _, event in events.iterrows():
        ids = event["source_ids"].split(";")
        assert any(i in with_url for i in ids), event["id"]


def test_context_only_event_is_flagged(dataset):
    events = dataset.tables["events"].set_index("id")
    assert bool(events.at["E17", "context_only"]) is True
    assert events["context_only"].sum() == 1


def test_nvidia_fy2025_china_revenue_matches_the_fact_sheet(dataset):
    rev = dataset.tables["revenue"]
    fy25 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "FY2025")].set_index("metric")
    assert fy25.at["china_incl_hk", "value_usd_m"] == 17108
    assert fy25.at["total", "value_usd_m"] == 130497
    assert round(17108 / 130497 * 100, 1) == 13.1


def test_nvidia_series_fy2020_to_fy2025_china_share(dataset):
    rev = dataset.tables["revenue"]
    years = rev[(rev["period_type"] == "year")].pivot(index="fiscal_period", columns="metric", values="value_usd_m")
    share = (years["china_incl_hk"] / years["total"] * 100).round(1)
    assert share["FY2020"] == 25.0
    assert share["FY2024"] == 16.9


def test_unverified_revenue_cells_are_flagged_not_guessed(dataset):
    rev = dataset.tables["revenue"]
    unverified = rev[rev["status"] == "unverified"]
    assert set(unverified["fiscal_period"]) == {"FY2026", "Q1 FY2026", "Q2 FY2026", "Q4 FY2026"}
    fy26 = unverified[unverified["fiscal_period"] == "FY2026"]
    assert fy26["value_usd_m"].isna().all()


def test_usgs_2024_rare_earth_mine_production(dataset):
    supply = dataset.tables["supply"]
    usgs = supply[
        (supply["source_ids"].str.startswith("usgs_mcs2025_ree"))
        & (supply["stage"] == "mining")
        & (supply["year"] == 2024)
    ].set_index("country")
    assert usgs.at["CN", "value"] == 270000
    assert usgs.at["WORLD", "value"] == 390000
    assert round(270000 / 390000 * 100, 1) == 69.2


def test_conflicting_magnet_shares_are_kept_side_by_side(dataset):
    supply = dataset.tables["supply"]
    magnets = supply[(supply["stage"] == "magnets") & (supply["country"] == "CN")]
    assert sorted(magnets["share_pct"]) == [90, 92, 95]
    assert magnets["source_ids"].nunique() == 3


def test_magnet_exports_reconcile_with_the_cumulative_totals(dataset):
    m = dataset.tables["magnet_exports"].set_index("month")["tonnes_total"]
    # Jan-Sep 39,817 minus Jan-Jul 27,897 is August plus September.
    assert m["2025-08"] + m["2025-09"] == 39817 - 27897
    assert m["2025-10"] == 45290 - 39817


def test_magnet_exports_may_2025(dataset):
    row = dataset.tables["magnet_exports"].set_index("month").loc["2025-05"]
    assert row["tonnes_total"] == 1238
    assert row["total_yoy_pct"] == -74
    assert row["tonnes_to_us"] == 46.4


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


def test_tariff_steps(dataset):
    t = dataset.tables["tariffs"]
    in_force = t[t["status"] == "in_force"].set_index("effective_date")
    assert in_force.at["2025-04-12", "us_rate_pct"] == 145
    assert in_force.at["2025-04-12", "china_rate_pct"] == 125
    assert in_force.at["2025-05-14", "us_rate_pct"] == 30
    assert in_force.at["2025-11-10", "us_rate_pct"] == 20
    assert (t[t["status"] == "threatened"]["computed"]).all()


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


@pytest.mark.parametrize("table", ["events", "links", "revenue", "claims", "supply", "magnet_exports", "tariffs"])
def test_every_fact_row_cites_a_known_source(dataset, table):
    known = set(dataset.tables["sources"]["id"])
    cited = dataset.tables[table]["source_ids"].str.split(";").explode()
    assert cited.notna().all()
    assert set(cited) <= known
