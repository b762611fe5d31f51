"""Supply: who mines, refines and makes magnets, and China's monthly magnet exports."""

import streamlit as st

from app_pages.supply import charts
from chipsmag import chartbase, metrics
from chipsmag.filters import apply_periods, apply_to_events
from chipsmag.text import md_escape
from components import data, fixed, layout, sources, urlbind
from components.data import dated_events, require
from components.frame import Frame
from components.registry import param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Supply")
    if not require(ds, "supply", "sources", "magnet_exports", "events", "actors"):
        st.stop()
    t = ds.tables

    actor_names = data.actor_names(ds)
    f = frame.filters

    # 1. Rare earths by country.
    st.subheader("Rare earths by country")
    editions = list(param(ds, "edition").options)
    u1, u2 = st.columns([1, 1])
    view = u1.radio(
        "USGS view",
        ["mining", "reserves"],
        horizontal=True,
        key="usgs",
        bind="query-params",
        help="Mine production (the two years an edition gives) or reserves, in tonnes of rare-earth-oxide equivalent.",
    )
    urlbind.register(param(ds, "usgs"), view, "mining")
    edition = u2.radio(
        "USGS edition",
        editions,
        horizontal=True,
        key="edition",
        bind="query-params",
        help="Each edition of the Mineral Commodity Summaries revises the year before and estimates the latest "
        "year. Both editions are kept; the newest is shown first.",
    )
    urlbind.register(param(ds, "edition"), edition, editions[0] if editions else None)
    tonnages = fixed.usgs_tonnages(ds, view, edition)
    if tonnages.empty:
        layout.empty_state("USGS rows for this view")
    else:
        years = ", ".join(str(y) for y in sorted(tonnages["year"].unique()))
        st.markdown(
            f"Showing **USGS Mineral Commodity Summaries {md_escape(str(edition)[4:])}**, {md_escape(view)} for {years}."
        )
        st.vega_lite_chart(fixed.usgs_country_spec(ds, view, edition), key="sp_usgs")
        cited = t["supply"][(t["supply"]["edition"] == edition).fillna(False) & (t["supply"]["stage"] == view)]
        sources.caption(
            ds,
            metrics.sources_of(cited),  # the world rows' sources too: the shares are computed on them
            "China's figure is its production quota and excludes undocumented output. Several countries' figures are "
            "USGS estimates. The latest year of an edition is an estimate that the next edition revises. Filters do not "
            "apply (annual data).",
        )

    # 2. China's share per stage, per source.
    st.subheader("China's share depends on the stage")
    shares = fixed.china_stage_shares(ds)
    st.vega_lite_chart(fixed.stage_share_spec(ds), key="sp_stages")
    st.vega_lite_chart(fixed.hhi_spec(ds), key="sp_hhi")
    st.caption(
        "HHI = sum of squared percentage shares. Mining and reserves: USGS 2024 country data, 'other countries' "
        "left out. Refining and magnets: only China's share is published, so China's share squared is a lower bound."
    )
    sources.caption(
        ds,
        metrics.sources_of(shares),
        "Projections (IEA 2030) are left out. Conflicting values are shown as a range.",
    )
    st.dataframe(
        shares[["stage_label", "year", "share_pct", "qualifier", "basis", "source_ids", "note"]],
        hide_index=True,
        key="sp_share_table",
    )

    # 3. Monthly magnet exports with magnet-lever events.
    st.subheader("China's rare-earth magnet exports, month by month")
    st.caption("Triangles: China's export controls and licensing moves on the magnet lever (hover for the title).")
    layout.filtered_line(f, actor_names, "months and event markers")
    exports = apply_periods(t["magnet_exports"], f)
    if exports.empty:
        layout.empty_state("months of export data")
    else:
        first, last = exports["period_start"].min(), exports["period_end"].max()
        marks = apply_to_events(dated_events(ds), f)
        # China's own moves on the magnet lever (controls and licences), the ones that move exports.
        marks = marks[
            (marks["lever"] == "magnets")
            & marks["category"].isin(["rare_earth", "export_control"])
            & (marks["actors"].str.split(";").str[0].str.startswith("cn_"))
            & (marks["date"].str[:7] >= first)
            & (marks["date"].str[:7] <= last)
        ]
        st.vega_lite_chart(charts.magnet_exports_chart(exports, marks), key="sp_magnets")
        combined = exports[exports["period_start"] != exports["period_end"]]
        spans = ", ".join(
            chartbase.period_label(a, b) for a, b in zip(combined["period_start"], combined["period_end"], strict=True)
        )
        note = "Light grey: computed. n/a: a month not known on its own."
        if spans:
            note += f" A wide bar is one figure reported for several months together ({spans}): it is never split."
        newest = chartbase.period_label(exports["period_start"].iloc[-1], exports["period_end"].iloc[-1])
        sources.caption(
            ds,
            metrics.sources_of(exports),
            f"{note} Last reported period: {newest}; later months are not in the data. Do not compare with the "
            "broader 'rare earths' or 'rare-earth products' customs series.",
        )
        layout.download(exports, "magnet_exports_filtered", "Download these months (CSV)", "sp_dl")

    # 4. Gallium, germanium, graphite.
    st.subheader("Gallium, germanium and graphite")
    st.vega_lite_chart(fixed.minerals_spec(ds), key="sp_minerals")
    minerals = t["supply"][t["supply"]["mineral"].isin(["gallium", "germanium", "graphite"])]
    sources.caption(
        ds,
        metrics.sources_of(minerals),
        "Shares differ by basis (USGS, EU, UNU) and by primary vs refined output.",
    )
