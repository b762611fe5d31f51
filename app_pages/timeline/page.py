"""Timeline: every event on a date axis in lanes, a table of the filtered events (on request), and a card."""

import streamlit as st

from app_pages.timeline import charts, model, sections
from components import clicks, layout, share, sources, urlbind
from components.data import dated_events, per_version, per_view, require
from components.frame import Frame, Param, bound

LANES_HELP = "lever: chips, both, magnets. side: the first actor's side (US or China government, companies, others)."


def _clicked() -> dict:
    """A click since the last run on the chart (an event id) or else the table (a row index; read on
    the next run when both changed at once)."""
    if points := clicks.new_pick("tl_chart", charts.TIMELINE_PICK):
        return {"picked_id": clicks.field(points, "id")}
    rows = clicks.new_pick("tl_table", "rows")
    return {"picked_row": rows[0]} if rows else {}


@per_view  # the actor names depend on the data version alone: not part of the key
def _timeline(ds, filters, asked: tuple, actor_names=None) -> model.TimelineModel:
    """The timeline for these filters and options, built once per view and shared read-only by every session."""
    return model.build(ds, filters, dated_events(ds), actor_names, **dict(asked))


@per_version
def _labels(ds) -> dict[str, str]:  # each event's line in the card's selectbox
    return model.event_labels(ds.tables["events"], ds.tables["events"]["id"].tolist())


def _zoom(param: Param) -> model.Window | None:
    """The zoom window asked for: from the link on arrival (``param``), then from the brush on the strip."""
    if "_tl_zoom" not in st.session_state:
        st.session_state["_tl_zoom"] = model.parse_window(st.query_params.get_all(param.key))
    brush = clicks.new_pick("tl_overview", charts.BRUSH)
    if brush:
        st.session_state["_tl_zoom"] = model.window_of(brush)
    return st.session_state["_tl_zoom"]


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Timeline")
    if not require(ds, "events", "actors", "sources", "links"):
        st.stop()
    lanes_by = frame.param("lanes")
    lanes = bound(st.radio, lanes_by, list(lanes_by.options), url_default="lever", horizontal=True, help=LANES_HELP)
    layout.filtered_line(frame.filters, frame.actor_names, "chart and table")

    # A click on the chart or a row of the table opens an event (applied before the card's widget).
    event, zoom = frame.param("event"), frame.param("zoom")
    chosen = urlbind.chosen_id(event)
    asked = {"lanes": lanes, "zoom": _zoom(zoom), "chosen": chosen, "table_page_no": st.session_state.get("tl_page", 1)}
    asked = tuple(sorted({**asked, **_clicked()}.items()))
    m = _timeline(ds, frame.filters, asked, actor_names=frame.actor_names)
    if m.chosen != chosen:
        st.session_state[event.key] = m.chosen

    if m.events.empty:
        layout.empty_state("events")
    else:
        share.chart(frame, m.overview, "tl_overview", m.source_ids, on_select="rerun")
        if m.window is not None:
            st.query_params[zoom.key] = [d.strftime("%Y-%m-%d") for d in m.window]
            urlbind.register(zoom, tuple(d.date() for d in m.window), None)
            if st.button("Show all dates", key="tl_unzoom", icon=":material/zoom_out:"):
                st.session_state["_tl_zoom"] = None
                del st.query_params[zoom.key]
                st.rerun()
        elif zoom.key in st.query_params:
            del st.query_params[zoom.key]
        share.chart(frame, m.chart, "tl_chart", m.source_ids, on_select="ignore" if m.counts_only else "rerun")
        st.caption(m.caption)
        sources.caption(ds, m.source_ids)

    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{len(m.events):,} of {len(ds.tables['events']):,} events**")
        sections.draw_table(frame, m.table)
        layout.download(m.events, "events_filtered", "Download these events (CSV)", "tl_dl")
    with right:
        labels = _labels(ds)
        chosen = urlbind.id_select(
            st,
            event,
            m.events["id"].tolist(),
            lambda ids: {i: labels[i] for i in ids},
            "Event card",
            help="Pick an event to read its card.",
            what="events",
        )
        if chosen:
            sections.draw_card(frame, model.card(ds, frame.actor_names, chosen))
        else:
            st.caption("Select an event on the chart, in the table or in the box above.")
