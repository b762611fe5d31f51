"""Source captions: every chart says where its numbers come from, in links a reader can click."""

from __future__ import annotations

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
        with st.expander(f"Sources: {len(parts)} documents", icon=":material/menu_book:"):
            st.markdown("\n".join(f"- {p}" for p in parts))
    if note:
        st.caption(md_escape(note))
