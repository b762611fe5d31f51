"""State of play: what each side has in force on a date, what is suspended until when, and each
measure's life."""

import datetime as dt

import streamlit as st

from app_pages.measures import charts, model, sections, text
from components import clicks, layout, share, sources, urlbind
from components.data import per_view, require
from components.frame import Frame, bound


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("State of play")
    st.markdown(text.INTRO)
    if not require(ds, "measures", "measure_states", "events", "sources", "actors", "tariffs", "tariff_layers"):
        st.stop()

    # 1. The date and the side (kept when the visitor comes back from another page).
    kept = [frame.param(key) for key in ("on", "side", "measure")]
    urlbind.restore(*kept)
    default_day, (first, last) = model.default_day(ds, frame.today), frame.param("on").bounds
    c1, c2 = st.columns([1, 1])
    day = bound(
        c1.date_input,
        frame.param("on"),
        url_default=default_day,
        url_value=lambda chosen: chosen if isinstance(chosen, dt.date) else default_day,
        value=default_day,
        min_value=first,
        max_value=last,
        format="YYYY-MM-DD",
        help=text.DAY_HELP,
    )
    day = day if isinstance(day, dt.date) else default_day
    side = bound(
        c2.segmented_control,
        frame.param("side"),
        list(model.SIDES),
        url_default=None,
        help="One side, or both when none is picked.",
    )
    m = per_view(model.build)(ds, frame.filters, day, side, frame.today, actor_names=frame.actor_names)
    if m.after_coverage:
        st.warning(m.after_coverage, icon=":material/event_busy:")

    # 2. Which measures: the side, and the shared lever and actor filters.
    layout.filtered_line(frame.filters, frame.actor_names, "measures (lever, issuing body) and the chart's time range")
    st.subheader(m.heading)
    if not m.sides:
        layout.empty_state("measures in force or recorded by this date")
    else:
        for col, block in zip(st.columns(len(m.sides)), m.sides, strict=True):
            with col, st.container(border=True):
                st.markdown(block.title)
                for group in block.groups:
                    st.markdown(group)
        layout.download(m.download, m.download_name, "Download this state of play (CSV)", "ms_dl")
        sources.caption(ds, list(m.now_sources))

    # 3. Each measure's life (a click on a bar picks the measure).
    st.subheader("Each measure's life")
    if m.spans.empty:
        layout.empty_state("measures")
    else:
        chosen = urlbind.chosen_id(frame.param("measure"))
        clicked = clicks.field(clicks.new_pick("ms_lives", charts.LIVES_PICK), "measure")
        if clicked in set(m.ids):
            st.session_state[frame.param("measure").key] = chosen = clicked
        share.chart(frame, m.lives_chart(chosen), "ms_lives", list(m.state_sources), on_select="rerun")
        st.caption(text.LIVES_NOTE)
        sources.caption(ds, list(m.state_sources))

    # 4. The card of one measure.
    chosen = urlbind.id_select(
        st,
        frame.param("measure"),
        m.ids,
        m.labels,
        "Measure card",
        help="Pick a measure, or click its bar on the chart.",
        what="measures",
    )
    urlbind.remember(dict(zip(kept, (day, side, chosen), strict=True)))
    card = m.card(chosen)
    if card:
        with st.container(border=True, key="measure_card"):
            st.markdown(f"### {card.title}")
            st.caption(card.facts)
            st.markdown(card.scope)
            st.markdown(card.states)
            sources.card_caption(ds, card.sources)
    else:
        st.caption("Pick a measure above, or click its bar on the chart.")

    # 5. Scheduled ends, counted from today; 6. tariff layers stacked by authority.
    sections.draw_ends(m)
    sections.draw_tariffs(frame, m)
