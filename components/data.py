"""The one place the app reads files: a cached load of the curated tables."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from chipsmag.loading import DEFAULT_DATA_DIR, Dataset, load_dataset
from chipsmag.text import md_escape

MAX_ISSUES_SHOWN = 25


def data_dir() -> Path:
    """``CHIPSMAG_DATA_DIR`` points the app at another copy of the data (tests use it)."""
    return Path(os.environ.get("CHIPSMAG_DATA_DIR", DEFAULT_DATA_DIR))


@st.cache_data(max_entries=4, show_spinner="Loading the curated data…")
def _load(folder: str, signature: tuple) -> Dataset:
    del signature  # part of the cache key only: a changed file means a new load
    return load_dataset(folder)


def dataset() -> Dataset:
    folder = data_dir()
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())
    return _load(str(folder), signature)


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
