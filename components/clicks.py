"""Clicks on a chart or a table, each acted on once.

A chart's named selection and a table's selected rows stay in Session State after the click, and a
page reads them on every run. ``new_pick`` hands a selection over once, on the run after it changed,
and keeps what it has seen per widget and per selection: a click on the table does not bring an
earlier click on the chart back on a later run, and a selection cleared and made again is new.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def new_pick(widget_key: str, name: str) -> Any:
    """The selection ``name`` (a chart's named selection; ``"rows"`` for a table) of the widget under
    ``widget_key`` when it changed since the last run that read it, else None."""
    value = (st.session_state.get(widget_key) or {}).get("selection", {}).get(name)
    seen = f"_seen_{widget_key}_{name}"
    if not value:
        st.session_state.pop(seen, None)
        return None
    if str(value) == st.session_state.get(seen):
        return None
    st.session_state[seen] = str(value)
    return value


def field(points: Any, name: str) -> str | None:
    """Field ``name`` of the first point a chart's point selection holds, as text (None if there is none)."""
    if isinstance(points, list) and points and isinstance(points[0], dict) and points[0].get(name) is not None:
        return str(points[0][name])
    return None
