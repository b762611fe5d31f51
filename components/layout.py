"""Page furniture: the 'filtered:' line, empty states, and downloads of what is on screen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from chipsmag.filters import Filters, describe
from chipsmag.text import csv_text, md_escape
from chipsmag.urlstate import Param
from components import urlbind
from components.data import DERIVED_COLUMNS


def on_request(param: Param):
    """A box (an expander titled by ``param``) drawn open or closed as the link says (``key=true``
    keeps it open): the container to draw its contents into while open, else None. A table redrawn
    on every filter change costs the browser more than the rest of a page (bench/README.md)."""
    box = st.expander(param.label, key=param.key, bind="query-params", icon=":material/table_rows:")
    urlbind.register(param, bool(box.open), False)
    return box if box.open else None


def filtered_line(f: Filters, actor_names: dict[str, str], applies_to: str = "") -> None:
    text = describe(f, actor_names)
    if text:
        suffix = f" (applies to {applies_to})" if applies_to else ""
        st.caption(f":material/filter_alt: {md_escape(text)}{md_escape(suffix)}")
    else:
        st.caption(":material/filter_alt_off: No filters: showing everything.")


def empty_state(what: str) -> None:
    st.info(
        f"No {what} match the current filters. Widen the date range or clear the actor, lever or category "
        "filters in the sidebar.",
        icon=":material/search_off:",
    )


MAX_TABLE_ROWS = 500


def table_rows(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """The rows a table shows: all of them, or the first MAX_TABLE_ROWS with a note (the download has all)."""
    if len(frame) <= MAX_TABLE_ROWS:
        return frame
    st.caption(f"Showing the first {MAX_TABLE_ROWS:,} of {len(frame):,} {what}; the download below has them all.")
    return frame.head(MAX_TABLE_ROWS)


def download(frame: pd.DataFrame, name: str, label: str, key: str) -> None:
    """Offer exactly the rows the filters select as CSV, built only when the reader clicks.

    The file holds the published columns (not the plot dates and hover texts the app derives),
    with formula-like text cells made inert (``chipsmag.text.csv_text``)."""
    derived = [c for c in DERIVED_COLUMNS if c in frame.columns]
    st.download_button(
        label,
        data=lambda: csv_text(frame.drop(columns=derived)).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
        help="CSV, UTF-8, the rows shown. Text cells that begin with =, +, - or @ start with ' so that "
        "spreadsheets read them as text, not as formulas.",
    )
