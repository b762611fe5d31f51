"""Helpers to drive the real app with Streamlit's AppTest and read its charts' specs."""

from __future__ import annotations

import functools
import json
import re

import pyarrow as pa
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from app_pages import BY_KEY
from app_pages import PAGES as REGISTRY
from support import ROOT

# Each new AppTest scans every installed package's metadata for Streamlit components before its first
# run (0.15 s alone, about 0.4 s while the test workers share two cores; cProfile over three AppTest
# files: 7.3 s of 45 s), though the installed packages cannot change while the tests run: the scan is
# made once per process and its answer (no component here) reused. The app's own code is untouched.
if not hasattr(manifest_scanner.scan_component_manifests, "cache_info"):
    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

PAGES = [p.key for p in REGISTRY]  # every page, in the navigation's order
# What each page draws, for the tests that open every page (AppTest and Chromium): its heading and
# how many charts (all Vega-Lite).
HEADINGS = {p.key: p.title for p in REGISTRY} | {"overview": "Chips for magnets"}
CHARTS = {"overview": 1, "measures": 3, "timeline": 2, "revenue": 2, "supply": 5, "linkage": 3, "sources": 0}


def open_page(page: str, **query: str | list[str]) -> AppTest:
    """Open ``/<page>?<query>`` as a visitor following a shared link: the first run is on that page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    goto(at, page)
    return at.run()


def goto(at: AppTest, page: str) -> AppTest:
    """Ask for a page the way a browser's address does, by its URL path (the next ``run`` opens it).

    ``st.Page`` identifies a page by the hash of its URL path; AppTest's ``switch_page`` only finds
    pages defined by files, and the dashboard's pages are ``render(frame)`` callables."""
    at._page_hash = calc_hash(BY_KEY[page].path) if BY_KEY[page].path else ""
    return at


def plotly_count(at: AppTest) -> int:
    """Plotly charts on the page: none, every chart being a Vega-Lite spec (a guard against one coming back)."""
    return len(at.get("plotly_chart"))


def vega_specs(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def vega_values(at: AppTest, index: int) -> list[dict]:
    """The rows the page's ``index``-th Vega-Lite chart draws from its top-level data (Streamlit
    takes them out of the spec and sends them as Arrow)."""
    proto = at.get("vega_lite_chart")[index].proto
    return pa.ipc.open_stream(proto.data.data).read_all().to_pylist()


def vega_datasets(at: AppTest, index: int) -> dict[str, list[dict]]:
    """The named datasets of the page's ``index``-th Vega-Lite chart (sent as Arrow, one per name)."""
    proto = at.get("vega_lite_chart")[index].proto
    return {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in proto.datasets}


def charts_of(at: AppTest) -> int:
    """How many charts a page drew."""
    return plotly_count(at) + len(at.get("vega_lite_chart"))


def texts(at: AppTest) -> str:
    """Everything written as markdown, captions, alerts and metrics, as one string, with the
    markdown escapes that keep data text inert removed (so tests read what a visitor reads)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for a in at.error] + [a.value for a in at.warning] + [a.value for a in at.info]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return unescape("\n".join(parts))


def unescape(markdown: str) -> str:
    """Remove the backslash escapes that keep data text inert in markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


def share_link(at: AppTest, with_version: bool = False) -> str:
    """The link in the sidebar's share box: the view, without the data version it names last
    (``&v=...``) unless ``with_version``."""
    if not any(c.proto.code_text.startswith("http") for c in at.get("code")):
        at.session_state["share"] = True  # the box is drawn when opened
        at.run()
    link = next(c.proto.code_text for c in at.get("code") if c.proto.code_text.startswith("http"))
    return link if with_version else re.sub(r"[?&]v=[0-9a-f]+$", "", link)


def open_share_menus(at: AppTest) -> AppTest:
    """Open every chart's "Share chart" menu (drawn when opened), as a reader clicking each."""
    for box in at.expander:
        if box.label == "Share chart":
            at.session_state[box.key] = True
    return at.run()


def frame_with(at: AppTest, *columns: str):
    """The first dataframe on the page that has all these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))
