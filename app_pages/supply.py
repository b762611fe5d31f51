"""Supply: who mines, refines and makes magnets, and China's monthly magnet exports."""

import streamlit as st

from chipsmag import charts, metrics
from chipsmag.filters import apply_dates, apply_to_events
from components import data, fixed, layout, sources, urlbind
from components.data import dataset, dated_events, require
from components.registry import param

ds = dataset()
st.title("Supply")
if not require(ds, "supply", "sources", "magnet_exports", "events", "actors"):
    st.stop()
t = ds.tables
src = t["sources"]
actor_names = data.actor_names(ds)
f = layout.filters()

# 1. Rare earths by country.
st.subheader("Rare earths by country")
view = st.radio(
    "USGS view",
    ["mining", "reserves"],
    horizontal=True,
    key="usgs",
    bind="query-params",
    help="Mine production (2023 and 2024) or reserves, in tonnes of rare-earth-oxide equivalent.",
)
urlbind.register(param(ds, "usgs"), view, "mining")
tonnages = fixed.usgs_tonnages(ds, view)
st.vega_lite_chart(fixed.usgs_country_spec(ds, view), key="sp_usgs")
sources.caption(
    ds,
    [*metrics.sources_of(tonnages), "usgs_mcs2025_release"],
    "China's figure is its production quota and excludes undocumented output. Several countries' figures are "
    "USGS estimates based on China's import data. Filters do not apply (annual data).",
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
layout.filtered_line(f, actor_names, "months and event markers")
exports = apply_dates(t["magnet_exports"], "month", f, fmt="%Y-%m")
if exports.empty:
    layout.empty_state("months of export data")
else:
    first, last = exports["month"].min(), exports["month"].max()
    marks = apply_to_events(dated_events(ds), f)
    marks = marks[(marks["lever"] == "magnets") & (marks["date"].str[:7] >= first) & (marks["date"].str[:7] <= last)]
    st.vega_lite_chart(charts.magnet_exports_chart(exports, marks), key="sp_magnets")
    sources.caption(
        ds,
        metrics.sources_of(exports),
        "Light grey: computed (April). n/a: February and March are not known separately (together about 8,907 t). "
        "Do not compare with Bloomberg's broader 'rare-earth products' series.",
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
