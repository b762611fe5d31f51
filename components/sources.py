"""Source captions: every chart says where its numbers come from, in links a reader can click."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from chipsmag.text import md_escape, md_link

INLINE_MAX = 6


def source_label(row) -> str:
    label = str(row["publisher"])
    if pd.notna(row.get("original_publisher")):
        label += f" (carrying {row['original_publisher']})"
    return label


def source_names(sources: pd.DataFrame) -> dict[str, str]:
    carrying = " (carrying " + sources["original_publisher"] + ")"
    labels = sources["publisher"] + carrying.fillna("")
    return dict(zip(sources["id"], labels, strict=True))


def caption(sources: pd.DataFrame, ids: list[str], note: str = "") -> None:
    """'Sources: [Publisher](url), …' under a chart; ids not found are shown as plain ids."""
    table = sources.set_index("id")
    parts = []
    for sid in ids:
        if sid not in table.index:
            parts.append(md_escape(sid))
            continue
        row = table.loc[sid]
        kind = str(row["kind"]).replace("_", " ")
        parts.append(f"{md_link(source_label(row), row['url'])} ({md_escape(kind)})")
    if not parts:
        st.caption("Sources: none for this selection.")
    elif len(parts) <= INLINE_MAX:
        st.caption("Sources: " + "; ".join(parts))
    else:
        with st.expander(f"Sources: {len(parts)} documents", icon=":material/menu_book:"):
            st.markdown("\n".join(f"- {p}" for p in parts))
    if note:
        st.caption(md_escape(note))
