"""Source captions: every chart says where its numbers come from, in links a reader can click."""

from __future__ import annotations

import contextvars
import itertools
from collections import Counter

import streamlit as st

from chipsmag import grading
from chipsmag.loading import Dataset
from chipsmag.text import md_escape
from components.data import citations, per_version, source_names


@per_version
def source_grades(ds: Dataset) -> dict[str, tuple[str, str]]:
    """Each source's grade and publisher key, once per data version."""
    return grading.source_table(ds.tables["sources"])


INLINE_MAX = 6

# Longer lists open on request: each is an expander whose list is drawn only while it is open, so a
# filter change does not redraw dozens of hidden links. Its key is its place among this run's lists.
_LISTS: contextvars.ContextVar[itertools.count | None] = contextvars.ContextVar("source_lists", default=None)


def start_run() -> None:
    """Number this run's source lists from the first (app.py, before the page runs)."""
    _LISTS.set(itertools.count())


def strength(ds: Dataset, ids: list[str] | tuple[str, ...]) -> str:
    """The badge of one fact backed by these sources (chipsmag.grading): '● Official source · 2 publishers'."""
    if "sources" not in ds.tables or not ids:
        return ""
    return grading.badge(*grading.grade_ids(";".join(ids), source_grades(ds)))


def card_caption(ds: Dataset, ids: list[str] | tuple[str, ...], note: str = "") -> None:
    """A card's sources, with the strength of its backing first."""
    badge = strength(ds, ids)
    if badge:
        st.caption(f"Source strength: {badge}", help=grading.HELP)
    caption(ds, list(ids), note)


def caption(ds: Dataset, ids: list[str], note: str = "") -> None:
    """'Sources: [Publisher](url) (kind); …' under a chart; ids not found are shown as plain ids.
    Where two of the documents have one publisher, their links also name the document."""
    known, titled, names = citations(ds), citations(ds, True), source_names(ds)
    repeated = Counter(names.get(sid) for sid in ids)
    parts = [(titled if repeated[names.get(sid)] > 1 else known).get(sid) or md_escape(sid) for sid in ids]
    if not parts:
        st.caption("Sources: none for this selection.")
    elif len(parts) <= INLINE_MAX:
        st.caption("Sources: " + "; ".join(parts))
    else:
        counter = _LISTS.get()
        label = f"Sources: {len(parts)} documents"
        if counter is None:  # outside a numbered run: drawn with its list
            box = st.expander(label, icon=":material/menu_book:")
        else:
            box = st.expander(label, icon=":material/menu_book:", key=f"_sources_{next(counter)}", on_change="rerun")
        if box.open is not False:
            box.markdown("\n".join(f"- {p}" for p in parts))
    if note:
        st.caption(md_escape(note))
