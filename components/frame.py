"""What the frame (app.py) hands each page: the data, the shared filters, and the day it runs on.

A page is ``render(frame)``: it reads nothing the frame set aside in session state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from chipsmag.filters import Filters
from chipsmag.loading import Dataset
from chipsmag.urlstate import Param
from components.urlbind import register


@dataclass(frozen=True)
class Frame:
    ds: Dataset
    filters: Filters
    actor_names: dict[str, str]
    today: dt.date
    params: dict[str, Param]  # every URL parameter of this page and the shared ones, by key

    def param(self, key: str) -> Param:
        return self.params[key]


class PageRun:
    """The callable ``st.Page`` runs for a page: ``render(frame)`` of the page's module, with the
    frame that app.py built for this run (set just before ``st.navigation``'s page runs)."""

    def __init__(self, key: str, module: str) -> None:
        self.__name__ = key  # Streamlit names a callable page by it (the title and URL path are given)
        self.module = module
        self.frame: Frame | None = None

    def __call__(self) -> None:
        import importlib

        frame, self.frame = self.frame, None
        importlib.import_module(self.module).render(frame)


def bound(
    widget: Callable,
    param: Param,
    *args,
    url_default: object,
    url_value: Callable | None = None,
    label: str | None = None,
    **kwargs,
):
    """Draw ``widget`` (``st.radio``, ``col.selectbox``…) labelled, keyed and bound to ``param``'s
    query parameter, and record it for the share link: the one call that ties a widget to the URL.

    ``url_default`` is the value the URL leaves out; ``url_value`` turns the widget's value into what
    the link shows (ids to labels, dates to text) where they differ; ``label`` is the widget's label
    where it says more than the parameter's name (units, a question). Other keywords, ``default``
    included, go to the widget."""
    value = widget(label or param.label, *args, key=param.key, bind="query-params", **kwargs)
    register(param, url_value(value) if url_value else value, url_default)
    return value
