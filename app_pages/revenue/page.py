"""Revenue at risk: Nvidia's China revenue, its recent quarters, who claimed what, and a scenario of the
revenue at risk (widgets only: what each section shows is built in model.py)."""

import streamlit as st

from app_pages.revenue import model, sections, text
from chipsmag import grading
from components import data, fixed, layout, share, sources
from components.frame import Frame, bound


def render(frame: Frame) -> None:
    ds, f = frame.ds, frame.filters
    st.title("Revenue at risk")
    if not data.require(ds, "revenue", "claims", "sources", "actors", "events"):
        st.stop()
    # Only the section the reader picks is computed and sent.
    show = (
        bound(
            st.segmented_control,
            frame.param("show"),
            model.SECTIONS,
            url_default=model.HISTORY,
            default=model.HISTORY,
            label="Show",
            help=text.SECTIONS_HELP,
        )
        or model.HISTORY
    )
    if show == model.HISTORY:
        cached = {"events": data.dated_events(ds), "annual": fixed.nvidia_annual(ds)}
        _history(frame, data.per_view(model.build)(ds, f, show, quarters=fixed.nvidia_quarters(ds), **cached).history)
    elif show == model.CLAIMS:
        _claims(frame, data.per_view(model.build)(ds, f, show).claims)
    else:
        sections.draw_scenario(frame)


def _history(frame: Frame, m: model.History) -> None:
    st.subheader("Nvidia revenue and its China share, FY2020 on")
    layout.filtered_line(frame.filters, frame.actor_names, "the event markers")
    share.chart(frame, m.annual_chart, "rv_annual", m.annual_sources)
    st.caption("Triangles: chip export-control events in that fiscal year (hover for the list).")
    sources.caption(frame.ds, m.annual_sources, text.BILLING_NOTE)
    st.subheader("By quarter")
    share.chart(frame, m.quarters_chart, "rv_quarters", m.quarters_sources)
    st.caption(text.QUARTER_EVENTS)
    sources.caption(frame.ds, m.quarters_sources, m.unverified)


def _claims(frame: Frame, m: model.Claims) -> None:
    st.subheader("Claims: charges, lost sales and market size")
    layout.filtered_line(frame.filters, frame.actor_names, "claims")
    if m.chart is None:
        layout.empty_state("claims")
    else:
        share.chart(frame, m.chart, "rv_claims", m.usd_sources)
        sources.caption(frame.ds, m.usd_sources, text.CLAIMS_NOTE)
        st.dataframe(m.table, hide_index=True, key="rv_claims_table")
        layout.download(m.claims, "claims_filtered", "Download these claims (CSV)", "rv_dl")
    if m.fee_lines:
        st.markdown("**Fees on licensed China sales, paid to the US government**")
        for line in m.fee_lines:
            st.markdown(line)
        sources.caption(frame.ds, m.fee_sources)
    if m.amd_cards:
        st.markdown("**AMD**")
        for col, card in zip(st.columns(len(m.amd_cards)), m.amd_cards, strict=True):
            with col, st.container(border=True):
                share.metric(card.label, card.value, card.delta)
                st.caption(card.caption)
                if card.strength:
                    st.caption(f"Source strength: {card.strength}", help=grading.HELP)
        sources.caption(frame.ds, m.amd_sources, "Conflict: one outlet gives a $600-800M range.")
