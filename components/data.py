"""The one place the app reads files: a cached load of the curated tables."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from chipsmag.filters import with_plot_dates
from chipsmag.loading import DEFAULT_DATA_DIR, Dataset, load_dataset
from chipsmag.text import md_escape

MAX_ISSUES_SHOWN = 25


def data_dir() -> Path:
    """``CHIPSMAG_DATA_DIR`` points the app at another copy of the data (tests use it)."""
    return Path(os.environ.get("CHIPSMAG_DATA_DIR", DEFAULT_DATA_DIR))


@st.cache_resource(max_entries=4, show_spinner="Loading the curated data…")
def _load(folder: str, signature: tuple) -> Dataset:
    """One validated copy per data version, shared by every session without copying.

    Read-only by contract: pages derive new frames (filters, sorts, copies) and never assign
    into these. pandas' copy-on-write keeps derived frames from writing back.
    """
    del signature  # part of the cache key only: a changed file means a new load
    return load_dataset(folder)


def dataset() -> Dataset:
    folder = data_dir()
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())
    return _load(str(folder), signature)


@st.cache_resource(max_entries=4)
def _dated_events(version: str, _ds: Dataset) -> pd.DataFrame:
    del version  # cache key
    return with_plot_dates(_ds.tables["events"])


def dated_events(ds: Dataset) -> pd.DataFrame:
    """The events with their plot dates, derived once per data version (read-only, like the tables)."""
    return _dated_events(ds.version, ds)


def require(ds: Dataset, *tables: str) -> bool:
    """Show a clear in-page error for each needed table that did not load; True if all did."""
    ok = True
    for name in tables:
        if name not in ds.broken:
            continue
        ok = False
        issues = ds.issues_for(name)
        path = ds.resource(name)["path"]
        lines = [f"- {md_escape(str(i))}" for i in issues[:MAX_ISSUES_SHOWN]]
        if len(issues) > MAX_ISSUES_SHOWN:
            lines.append(f"- … and {len(issues) - MAX_ISSUES_SHOWN} more")
        st.error(
            f"**This view cannot be shown: data/{md_escape(path)} has {len(issues)} problem(s).**\n\n"
            + "\n".join(lines)
            + "\n\nA curator can list them with `python -m chipsmag.validate`.",
            icon=":material/error:",
        )
    return ok
