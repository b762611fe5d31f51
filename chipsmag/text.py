"""Safe, consistent text: data and URL values are shown as text, never as markup."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(value: object, limit: int | None = None) -> str:
    """Escape text for Streamlit markdown so that it renders literally.

    Streamlit never renders raw HTML here (no unsafe_allow_html), but markdown would still
    turn ``[x](url)`` into a link or ``![x](url)`` into an image; escaping keeps data text inert.
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(label: object, url: object) -> str:
    """A markdown link whose label is escaped and whose URL is only http(s)."""
    label_md = md_escape(label)
    if not isinstance(url, str) or not re.match(r"^https?://[^\s()<>]+$", url):
        return label_md
    return f"[{label_md}]({url})"


def shorten(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_event_date(date: str, precision: str) -> str:
    """'2025-04-04' -> '4 Apr 2025'; a month-only date -> 'May 2025 (month)'."""
    if precision == "month" or len(date) == 7:
        return dt.date.fromisoformat(date[:7] + "-01").strftime("%b %Y") + " (month)"
    d = dt.date.fromisoformat(date)
    return f"{d.day} {d.strftime('%b %Y')}"


def usd_m(value: float | None) -> str:
    """USD millions as a reader says them: 17108 -> '$17.1B', 800 -> '$800M'."""
    if value is None or pd.isna(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"${value / 1000:,.1f}".removesuffix(".0") + "B"
    return f"${value:,.0f}M"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV for a download, with text cells that a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) prefixed with ``'``, the usual defence
    against formula injection. Numbers are left as they are."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            if risky.any():
                out[column] = values.astype(object).where(~risky, "'" + text.astype(object))
    return out.to_csv(index=False)
