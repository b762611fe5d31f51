"""Helpers to drive the real app with Streamlit's AppTest and read its charts' specs."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pyarrow as pa
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from app_pages import BY_KEY
from app_pages import PAGES as REGISTRY
from support import ROOT

PAGES = [p.key for p in REGISTRY]  # every page, in the navigation's order


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


def _decode(values):
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def plotly_specs(at: AppTest) -> list[dict]:
    specs = []
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        for trace in spec["data"]:
            for axis in ("x", "y"):
                if axis in trace:
                    trace[axis] = _decode(trace[axis])
        specs.append(spec)
    return specs


def vega_specs(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def vega_values(at: AppTest, index: int) -> list[dict]:
    """The rows the page's ``index``-th Vega-Lite chart draws from its top-level data (Streamlit
    takes them out of the spec and sends them as Arrow)."""
    proto = at.get("vega_lite_chart")[index].proto
    return pa.ipc.open_stream(proto.data.data).read_all().to_pylist()


def charts_of(at: AppTest) -> int:
    """How many charts a page drew, Plotly and Vega-Lite."""
    return len(at.get("plotly_chart")) + len(at.get("vega_lite_chart"))


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


def title(spec: dict) -> str:
    t = spec["layout"].get("title", {})
    text = t.get("text", "") if isinstance(t, dict) else str(t)
    return text.replace("<br>", " ")  # long titles are broken into lines for phones


def share_link(at: AppTest) -> str:
    """The link in the sidebar's share box."""
    return next(c.proto.code_text for c in at.get("code") if c.proto.code_text.startswith("http"))


def frame_with(at: AppTest, *columns: str):
    """The first dataframe on the page that has all these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))
