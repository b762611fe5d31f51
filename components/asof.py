"""The record as known on a date: the banner every page shows while a date is set, with the way
back to now (the replay itself: chipsmag/replay.py)."""

from __future__ import annotations

import streamlit as st

from chipsmag.filters import Filters
from chipsmag.loading import Dataset
from components import data


def banner(ds: Dataset, filters: Filters) -> None:
    """What the replay left out and how rows were dated, and a one-click way back to the record now."""
    if filters.asof is None:
        return
    r = data.replayed(ds, filters.asof)
    later = sum(n for name, n in r.dropped.items() if name != "sources")
    own = sum(r.own_date_rows.values())
    revised = f" {r.revised:,} value(s) are shown as first reported." if r.revised else ""
    st.info(
        f"**As known on {filters.asof.isoformat()}**: only what had been published by then. "
        f"{later:,} fact rows published later are left out. {own:,} of the rows shown have sources with no "
        f"recorded publication date and are placed by their own date.{revised}",
        icon=":material/history:",
    )
    st.button("Back to now", key="asof_off", on_click=_back_to_now, icon=":material/update:")


def _back_to_now() -> None:
    st.session_state["asof"] = None
