"""What the frame (app.py) hands each page: the data, the shared filters, and the day it runs on.

A page is ``render(frame)``: it reads nothing the frame set aside in session state.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

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
    params: dict[str, Param]  # every URL parameter by key: the shared ones and every page's (keys are unique)
    path: str = ""  # the page's URL path ("" for the landing page)
    embed: str | None = None  # on the embed page: the key of the one chart asked for

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


# Set by app.py for the run of an embed page: widgets are not drawn, their values come from the URL.
EMBEDDING: contextvars.ContextVar[bool] = contextvars.ContextVar("embedding", default=False)


def url_choice(widget_args: tuple, param: Param, url_default: object, kwargs: dict) -> object:
    """A bound widget's value as the URL gives it, without drawing the widget (the embed page).

    Labels and ids are matched as the arrival review matches them; a value the URL does not hold,
    or one not understood, is the default."""
    raw = st.query_params.get_all(param.key)
    if not raw:
        return kwargs.get("default", url_default) if param.kind in ("one", "multi") else url_default
    options = list(widget_args[0]) if widget_args else list(param.options)
    fmt = kwargs.get("format_func", str)
    by_label = {str(fmt(o)): o for o in options}

    def option(text: str):
        label = param.match(text) if param.options else text
        return by_label.get(label) if label is not None else None

    if param.kind == "multi":
        return [o for o in (option(t) for t in raw) if o is not None]
    if param.kind == "one":
        chosen = option(raw[0])
        return url_default if chosen is None else chosen
    if param.kind == "number":
        try:
            number = float(raw[0])
        except ValueError:
            return url_default
        lo, hi = param.limits or (float("-inf"), float("inf"))
        return number if lo <= number <= hi else url_default
    if param.kind == "date":
        try:
            return dt.date.fromisoformat(raw[0])
        except ValueError:
            return url_default
    return url_default


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
    included, go to the widget. On the embed page, nothing is drawn: the value is the URL's."""
    if EMBEDDING.get():
        value = url_choice(args, param, url_default, kwargs)
    else:
        value = drawn(widget, param, *args, label=label, **kwargs)
    register(param, url_value(value) if url_value else value, url_default)
    return value


def drawn(widget: Callable, param: Param, *args, label: str | None = None, **kwargs):
    """Draw ``widget`` labelled (``label`` or the parameter's), keyed by the parameter's key and
    bound to its query parameter; the caller records the value for the share link (``bound`` does,
    the shared filters do once they are read: components/filters.py)."""
    return widget(label or param.label, *args, key=param.key, bind="query-params", **kwargs)
