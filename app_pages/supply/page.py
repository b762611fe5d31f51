"""Supply: who mines, refines and makes magnets, and China's monthly magnet exports (what it shows:
model.py)."""

import streamlit as st

from app_pages.supply import model
from chipsmag.loading import Dataset
from components import layout, share, sources
from components.data import dated_events, per_version, per_view, require, source_names
from components.frame import Frame, bound

VIEW_HELP = "Mine production (the two years an edition gives) or reserves, in tonnes of rare-earth-oxide equivalent."
EDITION_HELP = (
    "Each edition of the Mineral Commodity Summaries revises the year before and estimates the latest "
    "year. Both editions are kept; the newest is shown first."
)
USGS_NOTE = (
    "China's figure is its production quota and excludes undocumented output. Several countries' figures are "
    "USGS estimates. The latest year of an edition is an estimate that the next edition revises. Filters do not "
    "apply (annual data)."
)
HHI_NOTE = (
    "HHI = sum of squared percentage shares. Mining and reserves: USGS 2024 country data, 'other countries' "
    "left out. Refining and magnets: only China's share is published, so China's share squared is a lower bound."
)


@per_version
def data_only(ds: Dataset, view: str, edition: str | None) -> model.Fixed:
    """The by-country, per-stage and minerals parts: once per data version, view and edition."""
    return model.fixed(ds, source_names(ds), view, edition)


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Supply")
    if not require(ds, "supply", "sources", "magnet_exports", "events", "actors"):
        st.stop()

    # 1. Rare earths by country.
    st.subheader("Rare earths by country")
    editions = list(frame.param("edition").options)
    u1, u2 = st.columns([1, 1])
    view = bound(
        u1.radio, frame.param("usgs"), list(model.VIEWS), url_default="mining", horizontal=True, help=VIEW_HELP
    )
    first = editions[0] if editions else None
    edition = bound(u2.radio, frame.param("edition"), editions, url_default=first, horizontal=True, help=EDITION_HELP)
    events = dated_events(ds)
    moved = per_view(model.magnet_exports)(ds, frame.filters, events=events)  # built once per view
    m = model.build(ds, frame.filters, events, data_only(ds, view, edition), moved)
    usgs = m.by_country
    if usgs.spec is None:
        layout.empty_state("USGS rows for this view")
    else:
        st.markdown(usgs.heading)
        share.chart(frame, usgs.spec, "sp_usgs", usgs.source_ids)
        sources.caption(ds, usgs.source_ids, USGS_NOTE)

    # 2. China's share per stage, per source.
    st.subheader("China's share depends on the stage")
    share.chart(frame, m.stages.share_spec, "sp_stages", m.stages.source_ids)
    share.chart(frame, m.stages.hhi_spec, "sp_hhi", m.stages.source_ids)
    st.caption(HHI_NOTE)
    sources.caption(
        ds, m.stages.source_ids, "Projections (IEA 2030) are left out. Conflicting values are shown as a range."
    )
    st.dataframe(m.stages.table, hide_index=True, key="sp_share_table")

    # 3. Monthly magnet exports with magnet-lever events.
    st.subheader("China's rare-earth magnet exports, month by month")
    st.caption("Triangles: China's export controls and licensing moves on the magnet lever (hover for the title).")
    layout.filtered_line(frame.filters, frame.actor_names, "months and event markers")
    exports = m.exports
    if exports.spec is None:
        layout.empty_state("months of export data")
    else:
        share.chart(frame, exports.spec, "sp_magnets", exports.source_ids)
        sources.caption(ds, exports.source_ids, exports.note)
        layout.download(exports.rows, "magnet_exports_filtered", "Download these months (CSV)", "sp_dl")

    # 4. Gallium, germanium, graphite.
    st.subheader("Gallium, germanium and graphite")
    share.chart(frame, m.minerals.spec, "sp_minerals", m.minerals.source_ids)
    sources.caption(
        ds, m.minerals.source_ids, "Shares differ by basis (USGS, EU, UNU) and by primary vs refined output."
    )
