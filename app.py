"""Chips for magnets: the frame of the dashboard.

Page config, the navigation over app_pages/ (the registry in app_pages/__init__.py), the shared
filters in the sidebar, the review of the link a visitor arrived with, and the share box. The frame
hands each page a ``Frame`` (data, filters, today, parameters); see app_pages/ and the pure package
chipsmag/.
"""

import datetime as dt
import mimetypes
import time

import streamlit as st

from app_pages import BY_KEY, PAGES, page_key, page_params
from chipsmag.coverage import coverage_line
from chipsmag.filters import date_bounds, fallback_bounds
from chipsmag.loading import Dataset
from chipsmag.text import md_escape
from components import asof, data, share, sources, timing, urlbind
from components.data import dataset
from components.filters import from_url, shared_params, sidebar
from components.frame import EMBEDDING, Frame, PageRun


@data.per_version  # not st.cache_resource: this script runs anew each time, and so would its decorator
def _page_params(ds: Dataset, today: dt.date) -> tuple:
    """Built once per data version and day: the id lists can be long; the State of play date runs to today."""
    return tuple(page_params(ds, today))


mimetypes.add_type("application/atom+xml", ".atom")  # the events feed, static/feed.atom, on any base image
started = time.perf_counter()
st.set_page_config(
    page_title="Chips for magnets",
    page_icon=":material/swap_horiz:",
    layout="wide",
    menu_items={"About": "US chip export controls and China's rare-earth controls as bargaining chips, 2018 on."},
)

# Load inputs.
ds = dataset()
actor_names = data.actor_names(ds)
searched_to = ds.coverage.searched_to if ds.coverage else None
bounds = date_bounds(data.dated_events(ds), searched_to) if "events" in ds.tables else fallback_bounds(searched_to)

# Navigation and the arrival review (before any bound widget reads the URL).
runs = {p.key: PageRun(p.key, p.module) for p in PAGES}
pages = [st.Page(runs[p.key], title=p.title, icon=p.icon, url_path=p.path, default=not p.path) for p in PAGES]
embed = st.query_params.get(share.EMBED_PARAM)  # one chart alone, for an iframe (components/share.py)
current = st.navigation(pages, position="hidden" if embed else "sidebar")
this_page = page_key(current.url_path)
today = data.today()
params = shared_params(actor_names, bounds) + list(_page_params(ds, today))
urlbind.start_run()
urlbind.review_arrival(params, this_page, current, lambda made_on: data.version_notice(ds.version, made_on))

if embed:  # the chart alone: no sidebar, no navigation, no widgets; the view is the URL's
    filters = from_url(params, actor_names, bounds)
    frame = Frame(
        data.view_of(ds, filters), filters, actor_names, today, {p.key: p for p in params}, current.url_path, embed
    )
    runs[this_page].frame = frame
    holder, token = st.empty(), EMBEDDING.set(True)
    try:
        with holder.container():  # what the page draws before the chart is cleared
            current.run()
    except share.Found as found:
        holder.empty()
        share.draw_embedded(frame, found)
    else:
        holder.empty()
        share.missing_chart(frame, embed)
    finally:
        EMBEDDING.reset(token)
    st.stop()

# Shared filters, then the page with its frame.
filters = sidebar(params, actor_names, bounds)
with st.sidebar:
    st.caption(f"Data version {ds.version}, latest source dated {ds.as_of or 'n/a'}.")
    if ds.broken:
        st.caption(f":material/warning: {len(ds.broken)} table(s) did not load; see the page for details.")

view = data.view_of(ds, filters)
urlbind.show_notices(this_page, next((pg for pg in pages if pg.url_path == BY_KEY["sources"].path), None))
asof.banner(ds, filters)
st.caption(f":material/event_available: {md_escape(coverage_line(view.coverage, today))}")
frame = Frame(view, filters, actor_names, today, {p.key: p for p in params}, current.url_path)
runs[this_page].frame = frame
share.start_run()
sources.start_run()
current.run()
share.view_box(frame, current.title)
timing.record(this_page, started)
