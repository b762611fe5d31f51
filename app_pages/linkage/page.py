"""Chips for magnets: the two levers over time, the links between moves, and the tariff steps."""

from functools import partial

import streamlit as st

from app_pages.linkage import model, sequence, text
from chipsmag.text import md_escape
from components import clicks, data, fixed, layout, share, sources, urlbind
from components.data import per_view, require
from components.frame import Frame, bound


def _follow_clicks(frame: Frame) -> None:
    """A click on a move focuses it; a click on an arrowhead opens its link's card (each click once)."""
    for pick, field, key in ((sequence.PICK, "id", "focus"), (sequence.LINK_PICK, "link", "link")):
        clicked = clicks.field(clicks.new_pick("lk_chart", pick), field)
        if clicked in set(frame.param(key).options):
            st.session_state[key] = clicked


def render(frame: Frame) -> None:
    ds, f = frame.ds, frame.filters
    st.title("Chips for magnets")
    st.markdown(text.INTRO)
    if not require(ds, "events", "links", "tariffs", "tariff_layers", "sources", "actors"):
        st.stop()

    # 1. Options.
    c0, c1, c2 = st.columns([1, 3, 2])
    periods = list(frame.param("period").options)
    first = model.default_period(periods)
    help_period = "Open the chart on one year, or on all years."
    period = bound(
        c0.radio, frame.param("period"), periods, index=periods.index(first), url_default=first, help=help_period
    )
    relation = frame.param("relation")
    relations = bound(c1.multiselect, relation, list(relation.options), url_default=[], placeholder="All relations")
    basis = bound(
        c2.pills, frame.param("basis"), list(frame.param("basis").options), url_default=[], selection_mode="multi"
    )
    layout.filtered_line(f, frame.actor_names, "events, links and tariff steps")

    # 2. The charts read the chosen move and link before their select boxes are drawn (a click sets them).
    _follow_clicks(frame)
    focus_param, link_param = frame.param("focus"), frame.param("link")
    derived = model.Derived(data.dated_events(ds), data.hover_links(ds), fixed.tariff_lines(ds))
    focus, link = urlbind.chosen_id(focus_param), urlbind.chosen_id(link_param)
    m = per_view(model.build)(ds, f, period, tuple(relations), tuple(basis), focus, link, derived=derived)
    urlbind.id_select(
        st,
        focus_param,
        m.move_ids,
        m.move_labels,
        "Focus on a move",
        help=text.FOCUS_HELP,
        what="moves",
    )
    if m.sequence is None:
        layout.empty_state("links in this period")
    else:
        if m.hidden_moves:
            st.caption(text.hidden_moves(len(m.moves)))
        share.chart(frame, m.sequence, "lk_chart", m.sequence_sources, on_select="rerun")
        st.caption(text.SEQUENCE_NOTE)
        sources.caption(ds, m.sequence_sources, "Each link's evidence: hover its line, or open its card below.")
    if m.tariffs is not None:
        share.chart(frame, m.tariffs, "lk_tariffs", m.tariff_sources)
        sources.caption(ds, m.tariff_sources, text.TARIFFS_NOTE)
    else:
        layout.empty_state("tariff steps")

    # 3. Link card.
    left, right = st.columns([2, 3])
    with left:
        labels = partial(model.link_labels, ds.tables["links"])
        help_link = "Pick a link to read its evidence."
        urlbind.id_select(st, link_param, m.link_ids, labels, "Link card", help=help_link, what="links")
        if (card := m.card) is not None:
            with st.container(border=True, key="link_card"):
                st.markdown(card.heading)
                st.markdown(card.ends)
                st.markdown(f"> {md_escape(card.evidence)}")
                sources.card_caption(ds, card.source_ids)
        else:
            st.caption("Click an arrowhead on the chart, or pick a link above.")
    with right:
        if m.pairs is not None:
            share.chart(frame, m.pairs, "lk_pairs", m.link_sources)
            sources.caption(ds, m.link_sources, "Counted from the links shown (filters apply).")

    st.markdown(f"**{len(m.links)} of {m.total_links} links**")
    box = layout.on_request(frame.param("link_rows"))
    if box is not None:
        box.dataframe(layout.table_rows(m.table, "links"), hide_index=True, key="lk_table")
    layout.download(m.links, "links_filtered", "Download these links (CSV)", "lk_dl")
