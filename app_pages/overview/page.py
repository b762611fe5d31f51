"""Overview: the story on one screen, each headline figure with its source and date."""

import streamlit as st

from app_pages.overview import model, text
from app_pages.overview.model import Card
from chipsmag import content
from components import data, fixed, layout, share, sources
from components.data import per_view, require
from components.frame import Frame, bound

TABLES = ("sources", "revenue", "claims", "supply", "magnet_exports", "events", "links", "actors", "tariffs")


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Chips for magnets")
    st.markdown(text.INTRO)
    if not require(ds, *TABLES, "tariff_layers", "deadlines"):
        st.stop()
    head = st.container()  # the headline figures, drawn once the chain's year is read below them

    # 4. One year's chain of moves (filters apply).
    years = list(frame.param("chain").options)
    last = years[-1] if years else None
    year = bound(
        st.segmented_control,
        frame.param("chain"),
        years,
        url_default=last,
        default=last,
        url_value=lambda chosen: chosen or last,
        help="The linked moves of one year, each labelled.",
    )
    m = per_view(model.build)(
        ds,
        frame.filters,
        year or last,
        frame.today,
        events=data.dated_events(ds),
        shares=fixed.china_stage_shares(ds),
        quoted=content.CONTENT_FILE,
    )
    with head:
        _headlines(frame, m)
    chain = m.chain
    st.subheader(chain.title)
    layout.filtered_line(frame.filters, frame.actor_names, "this chart")
    if chain.spec is None:
        layout.empty_state(f"linked events of {chain.year}" if chain.year else "linked events")
        return
    share.chart(frame, chain.spec, "ov_chain", list(chain.sources))
    if chain.more:
        st.caption(chain.more)
    sources.caption(ds, list(chain.sources), "Links and their evidence: see the Chips for magnets page.")
    if chain.error:
        st.error(chain.error, icon=":material/error:")
    elif chain.quote:
        st.markdown(chain.quote)


def _headlines(frame: Frame, m: model.OverviewModel) -> None:
    # 1. The latest sourced figures (fixed facts: the sidebar filters do not apply to them).
    st.subheader("Latest figures")
    st.caption(text.LATEST)
    for col, card in zip(st.columns(3), m.latest, strict=True):
        with col, st.container(border=True):
            _card(frame, card)

    # 2. Where the story began: the figures it started from, kept as context.
    st.subheader("Where the story began")
    for col, card in zip(st.columns(3), m.began, strict=True):
        with col, st.container(border=True):
            _card(frame, card)
    with st.container(border=True):
        st.markdown("**China's share of rare earths depends on the stage** (newest year each stage has)")
        for col, card in zip(st.columns(3), m.shares, strict=True):
            with col:
                _metric(card)
        sources.caption(frame.ds, list(m.share_sources), "The Supply page shows every source and year.")

    # 3. Scheduled dates, and what is known of them.
    if m.deadlines is not None:
        st.subheader("Scheduled dates")
        st.caption(text.DEADLINES)
        st.markdown(m.deadlines)
        sources.caption(frame.ds, list(m.deadline_sources))


def _metric(card: Card) -> None:
    share.metric(card.label, card.value, card.delta, help=card.help, delta_arrow="auto" if card.arrow else "off")


def _card(frame: Frame, card: Card) -> None:
    if card.error:
        st.error(card.error, icon=":material/error:")
        return
    if card.info:
        st.info(card.info)
        return
    _metric(card)
    if card.markdown:
        st.markdown(card.markdown)
    sources.card_caption(frame.ds, list(card.sources), card.note)
