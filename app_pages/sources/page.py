"""Sources & data: every source, the data dictionary, downloads, methodology and the data version
(what it shows: model.py; the methodology text: methodology.md)."""

import streamlit as st

from app_pages.sources import model, text
from components import data, layout
from components.data import data_dir, dated_events, per_version
from components.frame import Frame, bound
from components.urlbind import base_url


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Sources & data")
    top = st.container()  # the data version and the sources, filled once the dictionary's table is chosen

    # 2. Data dictionary.
    st.subheader("Data dictionary")
    names = list(model.table_names(ds))
    table = bound(st.selectbox, frame.param("table"), names, url_default=names[0])
    m = model.build(ds, frame.filters, table, data_dir(), dated_events, base_url(), per_version(model.strength_tables))
    st.markdown(m.dictionary.heading)
    st.dataframe(m.dictionary.fields, hide_index=True, key="dict_table")
    if m.dictionary.rules:
        st.caption(m.dictionary.rules)

    # 1. Sources.
    with top:
        st.caption(m.version_line)
        st.subheader("Sources")
        if m.sources is None:
            st.error("data/sources.csv did not load; see the list of problems below.")
        else:
            st.caption(m.kinds)
            link = st.column_config.LinkColumn("url", display_text="open")
            st.dataframe(m.sources, hide_index=True, key="src_table", column_config={"url": link})

    # 2b. How strongly each fact is sourced.
    st.subheader("Source strength")
    st.caption(text.STRENGTH_NOTE)
    st.dataframe(m.strength, hide_index=True, key="strength_table")
    if len(m.to_upgrade):
        with st.expander(text.upgrade_label(len(m.to_upgrade)), icon=":material/upgrade:"):
            st.dataframe(layout.table_rows(m.to_upgrade, "rows"), hide_index=True, key="upgrade_table")
            layout.download(m.to_upgrade, "secondary_only_rows", "Download the whole list (CSV)", "dl_upgrade")

    # 2c. What changed, release by release.
    _what_changed(frame)

    # 3. Downloads.
    st.subheader("Downloads")
    cols = st.columns(3)
    for d in m.downloads:
        cols[d.column].download_button(
            d.label,
            data=d.path.read_bytes,
            file_name=d.file_name,
            mime="text/csv",
            key=d.key,
            icon=":material/download:",
            on_click="ignore",
        )
    if m.events is not None:
        layout.filtered_line(frame.filters, frame.actor_names, "this download")
        label = f"Events in the current filter ({len(m.events)} rows, CSV)"
        layout.download(m.events, "events_filtered", label, "dl_view")

    st.markdown("**Stable data URLs**")
    if m.stable_urls is None:
        st.caption(text.NO_STABLE_URLS)
    else:
        st.caption(text.STABLE_URLS)
        url = st.column_config.LinkColumn("url", help="Stable URL of the file")
        st.dataframe(m.stable_urls, hide_index=True, key="stable_urls", column_config={"url": url})
        st.caption(f"Every event, newest first, as an Atom feed for a feed reader: {base_url()}/app/static/feed.atom")

    # 4. Problems, if any.
    if m.issues is not None:
        st.subheader("Data problems")
        st.error(m.problems)
        st.dataframe(m.issues, hide_index=True, key="issues_table")

    # 5. Methodology and caveats.
    st.subheader("Methodology and caveats")
    st.markdown(model.METHODOLOGY.read_text(encoding="utf-8"))


def _what_changed(frame: Frame) -> None:
    st.subheader("What changed")
    found = data.release_list()
    if not found:
        st.caption(text.NO_RELEASES)
        return
    st.caption(text.RELEASES)
    st.dataframe(model.releases_table(found, frame.ds.version), hide_index=True, key="releases_table")
    versions = [r.version for r in found[:-1]]  # the oldest has no earlier release to compare with
    if not versions or not st.toggle("List the rows each release changed", key="show_changes"):
        return  # read from the repository's history only when asked: it takes seconds
    label = {r.version: f"{r.version}, {r.released.isoformat()}: {r.summary}" for r in found}
    chosen = st.selectbox("Changes in release", versions, format_func=label.get, key="release")
    previous = found[[r.version for r in found].index(chosen) + 1].version
    diff = data.release_changes(chosen, previous, frame.ds.version)
    if diff is None:
        st.caption(text.no_history(previous))
        return
    rows = model.change_rows(diff)
    st.caption(model.change_line(rows, previous, chosen))
    st.dataframe(rows, hide_index=True, key="changes_table")
