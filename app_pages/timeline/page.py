"""Timeline: every event on a date axis in lanes, a table of the filtered events, and a card."""

import pandas as pd
import streamlit as st

from app_pages.timeline import charts
from app_pages.timeline import view as timeline_view
from chipsmag import metrics
from chipsmag.filters import CATEGORY_LABELS, apply_to_events
from chipsmag.text import format_event_date, md_escape
from components import data, layout, sources, urlbind
from components.data import dated_events, require
from components.frame import Frame
from components.registry import param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Timeline")
    if not require(ds, "events", "actors", "sources", "links"):
        st.stop()
    t = ds.tables
    actor_names = data.actor_names(ds)
    f = frame.filters

    # 1. Options.
    lanes = st.radio(
        "Lanes by",
        ["lever", "side"],
        horizontal=True,
        key="lanes",
        bind="query-params",
        help="lever: chips, both, magnets. side: the first actor's side (US government, China government, "
        "companies, other governments).",
    )
    urlbind.register(param(ds, "lanes"), lanes, "lever")
    layout.filtered_line(f, actor_names, "chart and table")
    events = apply_to_events(dated_events(ds), f)

    # 2. A click on the chart or a row of the table selects an event (applied before the card's widget).
    def _picked() -> str | None:
        points = (st.session_state.get("tl_chart") or {}).get("selection", {}).get(charts.TIMELINE_PICK) or []
        rows = (st.session_state.get("tl_table") or {}).get("selection", {}).get("rows", [])
        seen = st.session_state.get("_tl_seen")
        for kind, value in (("chart", points), ("table", rows)):
            if value and (kind, str(value)) != seen:
                st.session_state["_tl_seen"] = (kind, str(value))
                if kind == "chart":
                    return str(points[0].get("id")) if isinstance(points[0], dict) else None
                ordered = events.sort_values("plot_date").head(layout.MAX_TABLE_ROWS)
                return str(ordered.iloc[rows[0]]["id"]) if rows[0] < len(ordered) else None
        return None

    picked = _picked()
    if picked is not None and picked in set(events["id"]):
        st.session_state["event"] = picked

    if events.empty:
        layout.empty_state("events")
    else:
        # The zoom window: from the link on arrival, then from the brush on the overview strip.
        zoom_param = param(ds, "zoom")
        if "_tl_zoom" not in st.session_state:
            st.session_state["_tl_zoom"] = timeline_view.parse_window(st.query_params.get_all("zoom"))
        brush = (st.session_state.get("tl_overview") or {}).get("selection", {}).get(timeline_view.BRUSH)
        if brush and str(brush) != st.session_state.get("_tl_brush_seen"):
            st.session_state["_tl_brush_seen"] = str(brush)
            st.session_state["_tl_zoom"] = timeline_view.window_of(brush)
        first, last = events["plot_date"].min(), events["plot_date"].max()
        window = timeline_view.clamp(st.session_state["_tl_zoom"], first, last)
        zoomed = window is not None
        shown_window = window or (first, last)
        st.vega_lite_chart(timeline_view.overview_strip(events, window), key="tl_overview", on_select="rerun")
        if zoomed:
            st.query_params["zoom"] = [d.strftime("%Y-%m-%d") for d in window]
            urlbind.register(zoom_param, tuple(d.date() for d in window), None)
            if st.button("Show all dates", key="tl_unzoom", icon=":material/zoom_out:"):
                st.session_state["_tl_zoom"] = None
                del st.query_params["zoom"]
                st.rerun()
        elif "zoom" in st.query_params:
            del st.query_params["zoom"]
        in_view = events[(events["plot_date"] >= shown_window[0]) & (events["plot_date"] <= shown_window[1])]
        chosen = urlbind.chosen_id(param(ds, "event"))
        counts_only = len(in_view) > charts.MAX_EVENT_POINTS  # monthly counts: nothing to click
        if counts_only:
            spec = charts.timeline_counts_chart(in_view, t["actors"], lanes)
        else:
            spec = timeline_view.labelled_chart(in_view, t["actors"], lanes, shown_window, chosen)
        st.vega_lite_chart(spec, key="tl_chart", on_select="ignore" if counts_only else "rerun")
        if counts_only:
            st.caption(
                f"{len(in_view):,} events are too many to draw one by one: markers show monthly counts. "
                "Zoom or narrow the filters to see and click individual events."
            )
        else:
            st.caption(
                f"{len(in_view):,} events from {shown_window[0]:%d %b %Y} to {shown_window[1]:%d %b %Y}. Each label is the "
                "event's id and title; where labels would crowd, some markers stay unlabelled (hover, or zoom in: in a "
                f"window of {timeline_view.LABEL_ALL_UNDER} events or fewer every event is labelled). Hollow markers: "
                "context-only events. Month-only dates are drawn at mid-month. Click a marker, or a row below, to open "
                "its card."
            )
        sources.caption(ds, metrics.sources_of(in_view))

    # 3. Table and card.
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{len(events):,} of {len(t['events']):,} events**")
        first_source = t["sources"].set_index("id")["url"]
        shown = layout.table_rows(events.sort_values("plot_date"), "events")  # format only what is shown
        table = pd.DataFrame(
            {
                "id": shown["id"],
                "date": [format_event_date(d, p) for d, p in zip(shown["date"], shown["date_precision"], strict=True)],
                "title": shown["title"],
                "category": shown["category"].map(CATEGORY_LABELS),
                "lever": shown["lever"],
                "actors": shown["actors"].map(lambda a: ", ".join(actor_names[x] for x in a.split(";"))),
                "source": shown["source_ids"].map(lambda s: first_source.get(s.split(";")[0])),
            }
        )
        st.dataframe(
            table,
            key="tl_table",
            on_select="rerun",
            selection_mode="single-row",
            hide_index=True,
            column_config={"source": st.column_config.LinkColumn("source", display_text="open")},
            height=380,
        )
        layout.download(events, "events_filtered", "Download these events (CSV)", "tl_dl")

    with right:
        by_id = t["events"].set_index("id")

        def event_labels(ids: list[str]) -> dict[str, str]:
            rows = by_id.loc[ids]
            return {
                i: f"{i} · {format_event_date(d, p)} · {title}"
                for i, d, p, title in zip(ids, rows["date"], rows["date_precision"], rows["title"], strict=True)
            }

        chosen = urlbind.id_select(
            st,
            param(ds, "event"),
            events.sort_values("plot_date")["id"].tolist(),
            event_labels,
            "Event card",
            help="Pick an event to read its card.",
            what="events",
        )
        if chosen:
            ev = by_id.loc[chosen]
            with st.container(border=True, key="event_card"):
                st.markdown(f"### {md_escape(ev['title'])}")
                badge = " · context only" if ev["context_only"] else ""
                st.caption(
                    f"{md_escape(format_event_date(ev['date'], ev['date_precision']))} · "
                    f"{md_escape(CATEGORY_LABELS[ev['category']])} · lever: {md_escape(ev['lever'])}{badge}"
                )
                st.markdown(md_escape(ev["description"]))
                st.markdown("**Actors:** " + md_escape(", ".join(actor_names[a] for a in ev["actors"].split(";"))))
                sources.caption(ds, ev["source_ids"].split(";"))
                links = t["links"]
                related = links[(links["from_event"] == chosen) | (links["to_event"] == chosen)]
                if related.empty:
                    st.caption("No links recorded to or from this event.")
                for link in related.itertuples():
                    other = link.to_event if link.from_event == chosen else link.from_event
                    arrow = "answered by" if link.from_event == chosen else "answers"
                    st.markdown(
                        f"- {arrow} **{md_escape(other)}** {md_escape(t['events'].set_index('id').at[other, 'title'])}"
                        f" ({md_escape(link.relation)}, {md_escape(link.basis)})"
                    )
        else:
            st.caption("Select an event on the chart, in the table or in the box above.")
