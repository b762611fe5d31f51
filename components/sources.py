"""Source captions: every chart says where its numbers come from, in links a reader can click."""

from __future__ import annotations

import streamlit as st

from chipsmag.loading import Dataset
from chipsmag.text import md_escape
from components.data import citations

INLINE_MAX = 6


def caption(ds: Dataset, ids: list[str], note: str = "") -> None:
    """'Sources: [Publisher](url) (kind); …' under a chart; ids not found are shown as plain ids."""
    known = citations(ds)
    parts = [known.get(sid) or md_escape(sid) for sid in ids]
    if not parts:
        st.caption("Sources: none for this selection.")
    elif len(parts) <= INLINE_MAX:
        st.caption("Sources: " + "; ".join(parts))
    else:
        with st.expander(f"Sources: {len(parts)} documents", icon=":material/menu_book:"):
            st.markdown("\n".join(f"- {p}" for p in parts))
    if note:
        st.caption(md_escape(note))
