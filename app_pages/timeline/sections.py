"""The Timeline page's table of events (drawn when its box is opened) and its event card (Streamlit:
widgets and st.* calls; what they show is built in model.py), drawn by page.py."""

import streamlit as st

from app_pages.timeline import model
from chipsmag.text import md_escape
from components import layout, sources
from components.frame import Frame


def draw_table(frame: Frame, table: model.TablePage) -> None:
    """The events as a table, drawn when opened (kept in the link): a grid slows filter changes."""
    box = layout.on_request(frame.param("rows"))
    if box is None:
        return
    with box:
        if table.pages > 1:  # every event is in the table, a page at a time (the download has them all)
            st.session_state["tl_page"] = table.page  # fewer pages than before: the last one
            st.number_input(
                "Table page",
                min_value=1,
                max_value=table.pages,
                step=1,
                key="tl_page",
                width=160,
                help=f"The table shows {model.TABLE_ROWS} events a page, in date order: {table.pages} pages.",
            )
            st.caption(f"{table.rows_line} events; the download below has them all.")
        st.dataframe(
            table.frame,
            key="tl_table",
            on_select="rerun",
            selection_mode="single-row",
            hide_index=True,
            column_config={"source": st.column_config.LinkColumn("source", display_text="open")},
            height=380,
        )


def draw_card(frame: Frame, card: model.Card) -> None:
    with st.container(border=True, key="event_card"):
        st.markdown(f"### {md_escape(card.title)}")
        st.caption(card.meta_line)
        st.markdown(md_escape(card.description))
        st.markdown("**Actors:** " + md_escape(card.actors))
        sources.card_caption(frame.ds, card.source_ids)
        if not card.links:
            st.caption("No links recorded to or from this event.")
        for line in card.link_lines:
            st.markdown(line)
