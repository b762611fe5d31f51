"""The page registry: the one list of pages that the app, the tests and the benchmark all read.

A page is a folder: ``page.py`` (Streamlit only: its widgets and ``st.*`` calls, a ``render(frame)``
function, about 100 lines), ``model.py`` (pure: what the page shows, from the data and the filters) and
``charts.py`` (pure: that page's Vega-Lite specs); where a page has many fixed texts, ``text.py`` (pure)
holds them; where ``page.py`` would grow past about 100 lines, ``sections.py`` (Streamlit) draws some of
its sections for it.
This module imports no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from chipsmag.loading import Dataset
from chipsmag.urlstate import Param


@dataclass(frozen=True)
class PageSpec:
    key: str  # the page's folder and its name in the code and tests
    path: str  # URL path; "" for the landing page
    title: str
    icon: str

    @property
    def module(self) -> str:
        return f"app_pages.{self.key}.page"


PAGES = (
    PageSpec("overview", "", "Overview", ":material/dashboard:"),
    PageSpec("measures", "measures", "State of play", ":material/gavel:"),
    PageSpec("timeline", "timeline", "Timeline", ":material/timeline:"),
    PageSpec("revenue", "revenue", "Revenue at risk", ":material/payments:"),
    PageSpec("supply", "supply", "Supply", ":material/factory:"),
    PageSpec("linkage", "linkage", "Chips for magnets", ":material/swap_horiz:"),
    PageSpec("sources", "sources", "Sources & data", ":material/menu_book:"),
)
BY_KEY = {p.key: p for p in PAGES}
LANDING = next(p.key for p in PAGES if not p.path)  # the page at the app's root


def page_key(path: str) -> str:
    """The page a URL path opens (the landing page for "")."""
    return next((p.key for p in PAGES if p.path == path), LANDING)


def page_params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """Every page's own URL parameters, as each page's model declares them (``model.params``); the
    shared filters are declared in components/filters.py."""
    return tuple(p for spec in PAGES for p in importlib.import_module(f"app_pages.{spec.key}.model").params(ds, today))
