"""Chips for magnets: the frame of the dashboard.

Page config, the navigation over app_pages/ (the registry in app_pages/__init__.py), the shared
filters in the sidebar, the review of the link a visitor arrived with, and the share box. The frame
hands each page a ``Frame`` (data, filters, today, parameters); see app_pages/ and the pure package
chipsmag/.
"""

import datetime as dt
import time

import streamlit as st

from app_pages import PAGES, page_key, page_params
from chipsmag.coverage import coverage_line
from chipsmag.filters import date_bounds, fallback_bounds
from chipsmag.loading import Dataset
from chipsmag.text import md_escape
from components import data, timing, urlbind
from components.data import dataset
from components.filters import shared_params, sidebar
from components.frame import Frame, PageRun


@st.cache_resource(max_entries=4, show_spinner=False)
def _page_params(version: str, today: dt.date, _ds: Dataset) -> tuple:
    """Built once per data version and day: the id lists can be long; the State of play date runs to today."""
    return page_params(_ds, today)


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
current = st.navigation(pages, position="sidebar")
this_page = page_key(current.url_path)
today = data.today()
params = shared_params(actor_names, bounds) + list(_page_params(ds.version, today, ds))
urlbind.start_run()
urlbind.review_arrival(params, this_page, current)

# Shared filters, then the page with its frame.
filters = sidebar(params, actor_names, bounds)
with st.sidebar:
    st.caption(f"Data version {ds.version}, latest source dated {ds.as_of or 'n/a'}.")
    if ds.broken:
        st.caption(f":material/warning: {len(ds.broken)} table(s) did not load; see the page for details.")

urlbind.show_notices(this_page)
st.caption(f":material/event_available: {md_escape(coverage_line(ds.coverage, today))}")
runs[this_page].frame = Frame(ds, filters, actor_names, today, {p.key: p for p in params})
current.run()
urlbind.share_box(current.url_path)
timing.record(this_page, started)
