"""Source captions: every chart says where its numbers come from, in links a reader can click."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from chipsmag import grading
from chipsmag.loading import Dataset
from chipsmag.text import md_escape
from components.data import citations, source_names

INLINE_MAX = 6


def strength(ds: Dataset, ids: list[str] | tuple[str, ...]) -> str:
    """The badge of one fact backed by these sources (chipsmag.grading): '● Official source · 2 publishers'."""
    src = ds.tables.get("sources")
    if src is None or not ids:
        return ""
    g = grading.grade_rows(pd.DataFrame({"source_ids": [";".join(ids)]}), src).iloc[0]
    return grading.badge(g["grade"], int(g["publishers"]))


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
