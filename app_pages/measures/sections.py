"""The State of play page's last two sections, drawn by page.py (Streamlit: st.* calls; what they show is
built in model.py): the scheduled ends and the tariffs stacked by legal authority."""

import streamlit as st

from app_pages.measures import model, text
from components import layout, share, sources
from components.frame import Frame


def draw_ends(m: model.MeasuresModel) -> None:
    """Scheduled ends, counted from today."""
    st.subheader("Scheduled ends")
    if m.ends is None:
        st.caption("No scheduled end among these measures.")
    else:
        st.caption(m.ends_caption)
        st.markdown(m.ends)


def draw_tariffs(frame: Frame, m: model.MeasuresModel) -> None:
    """Tariff layers stacked by authority."""
    st.subheader("Tariffs by legal authority")
    if not m.stacks:
        layout.empty_state("tariff layers")
    else:
        for code, spec in m.stacks:
            share.chart(frame, spec, f"ms_tariffs_{code}", list(m.tariff_sources))
        st.caption(text.TARIFFS_NOTE)
        sources.caption(frame.ds, list(m.tariff_sources))
