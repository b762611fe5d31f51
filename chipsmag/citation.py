"""Cite this view: a reference to one view of the dashboard, APA-style and as a BibTeX entry.

A view is a data set in citation terms: it is cited by its title, the year of its data (the
year of its latest source), the data version (a content hash of data/, so that a reader can tell
whether they see the same numbers), the date of its latest source, the date it was accessed and
the link that opens exactly that view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

AUTHOR = "Chips for magnets"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Citation:
    apa: str  # one paragraph, the title in *markdown italics*
    bibtex: str  # one @misc entry
    key: str  # the BibTeX key: the same for the same view and data version


def cite(*, view_title: str, link: str, version: str, as_of: str, accessed: dt.date) -> Citation:
    """The citation of the view at ``link`` (titled ``view_title``) on data version ``version``,
    whose latest source is dated ``as_of`` (ISO), accessed on ``accessed``."""
    for name, value in (("view_title", view_title), ("link", link), ("version", version)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"cite: {name} must be non-empty text, got {value!r}")
    if not re.match(r"^https?://\S+$", link):
        raise ValueError(f"cite: link must be an http(s) URL without spaces, got {link!r}")
    try:
        latest = dt.date.fromisoformat(as_of)
    except (TypeError, ValueError) as e:
        raise ValueError(f"cite: as_of must be an ISO date (YYYY-MM-DD), got {as_of!r}") from e
    if not isinstance(accessed, dt.date):
        raise ValueError(f"cite: accessed must be a date, got {accessed!r}")
    title = " ".join(view_title.split())
    apa = (
        f"{AUTHOR}. ({latest.year}). *{title}* [Data set, version {version}; latest source dated "
        f"{latest.isoformat()}]. Retrieved {long_date(accessed)}, from {link}"
    )
    key = bibtex_key(title, link, version, latest.year)
    note = f"Data set, version {version}; latest source dated {latest.isoformat()}; accessed {accessed.isoformat()}"
    fields = [
        ("author", f"{{{bibtex_escape(AUTHOR)}}}"),
        ("title", f"{{{bibtex_escape(title)}}}"),
        ("year", str(latest.year)),
        ("howpublished", f"\\url{{{url_escape(link)}}}"),
        ("note", bibtex_escape(note)),
        ("urldate", accessed.isoformat()),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return Citation(apa=apa, bibtex=f"@misc{{{key},\n{body}\n}}\n", key=key)


def long_date(day: dt.date) -> str:
    """2026-11-30 -> 'November 30, 2026' (the same in every locale)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def bibtex_key(title: str, link: str, version: str, year: int) -> str:
    """A key stable for the same view and data version: 'chipsformagnets2026-<8 hex digits>'."""
    digest = hashlib.sha256("\n".join((title, link, version)).encode()).hexdigest()[:8]
    return f"chipsformagnets{year}-{digest}"


def bibtex_escape(text: str) -> str:
    """Text with TeX's special characters escaped, so that it prints as written."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def url_escape(link: str) -> str:
    """A URL for ``\\url{...}`` inside a BibTeX field: '%' and '#' escaped (hyperref prints them
    back), braces and backslashes percent-encoded (they would unbalance the entry)."""
    link = link.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return link.replace("%", r"\%").replace("#", r"\#")
