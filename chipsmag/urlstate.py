"""The URL is the view: which query parameters exist, what they may hold, and share links.

Streamlit's ``bind="query-params"`` keeps each widget and its parameter in sync and leaves
defaults out of the URL. It drops values it cannot use without a word; ``review_query``
looks at the URL a visitor arrived with, before the widgets read it, and says in plain words
what will be dropped or corrected, so a shared link never changes the view silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, urlencode

from chipsmag.text import shorten

EMBED_PARAM = "chart"  # the query parameter that asks for one chart alone (the embed page)
VERSION_KEY = "v"  # the data version a share link was made on (read by the arrival review on its own)
# Parameters Streamlit itself uses, the embed page's and the data version's; never reported as unknown.
RESERVED = frozenset({"embed", "embed_options", EMBED_PARAM, VERSION_KEY})
MAX_VALUES_PER_KEY = 100


@dataclass(frozen=True)
class Param:
    """One query parameter: its key (also the widget key), what it holds, and where."""

    key: str
    label: str
    kind: Literal["multi", "one", "date_range", "date", "number", "flag"]
    options: tuple[str, ...] = ()
    page: str | None = None  # None: shared by every page (the sidebar filters)
    bounds: tuple[dt.date, dt.date] | None = None
    limits: tuple[float, float] | None = None  # for numbers: (minimum, maximum)
    # Stable ids of the options, in the same order, where they differ from the labels the widget
    # shows (``lever=chips`` for "Chips"): share links write the id; a link may give either.
    ids: tuple[str, ...] = ()

    def url_id(self, label: str) -> str:
        """What a share link writes for ``label``: its stable id where the parameter has ids."""
        if self.ids and label in self.options:
            return self.ids[self.options.index(label)]
        return label

    def match(self, value: str) -> str | None:
        """The option (label) ``value`` names: a label or an id, without regard to case; None if none."""
        if value in self.options:
            return value
        folded = value.strip().casefold()
        for i, label in enumerate(self.options):
            if folded == label.casefold() or (self.ids and folded == self.ids[i].casefold()):
                return label
        return None


@dataclass
class Review:
    notices: list[str] = field(default_factory=list)
    drop_keys: list[str] = field(default_factory=list)
    corrections: dict[str, object] = field(default_factory=dict)
    # Values given by id or in another case, as the labels the widget reads (key -> labels).
    rewrites: dict[str, list[str]] = field(default_factory=dict)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _quoted(value: str) -> str:
    return repr(shorten(value, 40))


def _review_dates(p: Param, values: list[str], review: Review) -> None:
    if len(values) > 2:
        review.notices.append(f"{p.label}: {len(values)} values given, a range takes two; the range was reset.")
        review.drop_keys.append(p.key)  # dropped, not left for the widget to read in its own way
        return
    dates = [_parse_date(v) for v in values]
    bad = [v for v, d in zip(values, dates, strict=True) if d is None]
    if bad:
        shown = ", ".join(_quoted(v) for v in bad)
        review.notices.append(f"{p.label}: {shown} is not a date in the form YYYY-MM-DD; the range was reset.")
        review.drop_keys.append(p.key)  # dropped, not left for the widget to read in its own way
        return
    lo, hi = p.bounds if p.bounds else (dt.date.min, dt.date.max)
    outside = [d for d in dates if d is not None and not lo <= d <= hi]
    if outside:
        shown = ", ".join(d.isoformat() for d in outside)
        review.notices.append(
            f"{p.label}: {shown} is outside the data ({lo.isoformat()} to {hi.isoformat()}); the range was reset."
        )
        review.drop_keys.append(p.key)
        return
    if len(dates) == 2 and dates[0] > dates[1]:
        review.corrections[p.key] = (dates[1], dates[0])
        review.notices.append(
            f"{p.label}: the range was given end first; it now runs {dates[1].isoformat()} to {dates[0].isoformat()}."
        )


def _review_date(p: Param, values: list[str], review: Review) -> None:
    """One date: a value that is not a date is dropped; one outside the bounds is clamped to them."""
    if len(values) > 1:
        review.notices.append(f"{p.label}: given {len(values)} times; only one date is allowed.")
        review.drop_keys.append(p.key)
        return
    day = _parse_date(values[0])
    if day is None:
        review.notices.append(
            f"{p.label}: {_quoted(values[0])} is not a date in the form YYYY-MM-DD; the default was used."
        )
        review.drop_keys.append(p.key)
        return
    lo, hi = p.bounds if p.bounds else (dt.date.min, dt.date.max)
    if not lo <= day <= hi:
        clamped = min(max(day, lo), hi)
        review.corrections[p.key] = clamped
        review.notices.append(
            f"{p.label}: {day.isoformat()} is outside {lo.isoformat()} to {hi.isoformat()}; "
            f"{clamped.isoformat()} is shown instead."
        )


def _review_number(p: Param, values: list[str], review: Review) -> None:
    if len(values) > 1:
        review.notices.append(f"{p.label}: given {len(values)} times; only one value is allowed.")
        return
    lo, hi = p.limits if p.limits else (float("-inf"), float("inf"))
    try:
        number = float(values[0])
    except ValueError:
        number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        review.notices.append(f"{p.label}: {_quoted(values[0])} is not a number; the default was used.")
    elif not lo <= number <= hi:
        review.notices.append(f"{p.label}: {number:g} is outside {lo:g} to {hi:g}; the default was used.")


def review_query(query: Mapping[str, Sequence[str]], params: Sequence[Param], page: str) -> Review:
    """Compare the URL's parameters with what the current page understands.

    ``query`` maps each key to all its values (repeated keys keep every value).
    """
    review = Review()
    known = {p.key: p for p in params if p.page is None or p.page == page}
    for key, raw_values in query.items():
        if key in RESERVED:
            continue
        values = [str(v) for v in list(raw_values)[: MAX_VALUES_PER_KEY + 1]]
        p = known.get(key)
        if p is None:
            review.notices.append(f"Unknown link parameter {_quoted(key)} was ignored.")
            review.drop_keys.append(key)
            continue
        if p.kind == "date_range":
            _review_dates(p, values, review)
            continue
        if p.kind == "number":
            _review_number(p, values, review)
            continue
        if p.kind == "date":
            _review_date(p, values, review)
            continue
        if p.kind == "flag":
            if len(values) > 1 or values[0].strip().casefold() not in ("true", "false"):
                review.notices.append(f"{p.label}: {_quoted(values[0])} is not true or false; it was left off.")
                review.drop_keys.append(p.key)
            elif values[0] not in ("true", "false"):
                review.rewrites[key] = [values[0].strip().casefold()]
            continue
        if len(values) > MAX_VALUES_PER_KEY:
            review.notices.append(f"{p.label}: more than {MAX_VALUES_PER_KEY} values; the selection was reset.")
            continue
        matched = [p.match(v) for v in values]
        unknown = [v for v, m in zip(values, matched, strict=True) if m is None and v != ""]
        if any(m is not None and m != v for v, m in zip(values, matched, strict=True)):
            review.rewrites[key] = list(dict.fromkeys(m for m in matched if m is not None))
        if p.kind == "one" and len(values) > 1:
            review.notices.append(f"{p.label}: given {len(values)} times; only one value is allowed.")
        if unknown:
            shown = ", ".join(_quoted(v) for v in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            review.notices.append(f"{p.label}: {shown}{more} not recognised and dropped.")
    return review


def encode_query(values: Mapping[str, object], params: Sequence[Param], defaults: Mapping[str, object]) -> str:
    """The query string for a view: only non-default values, in the widgets' own URL format
    (repeated keys for lists, ISO dates)."""
    pairs: list[tuple[str, str]] = []
    for p in params:
        if p.key not in values:
            continue
        value = values[p.key]
        if value == defaults.get(p.key):
            continue
        if p.kind == "date_range":
            pairs += [(p.key, d.isoformat()) for d in value]  # type: ignore[union-attr]
        elif p.kind == "date":
            pairs.append((p.key, value.isoformat()))  # type: ignore[union-attr]
        elif p.kind == "number":
            pairs.append((p.key, f"{value:g}"))  # type: ignore[str-format]
        elif p.kind == "flag":
            pairs.append((p.key, "true" if value else "false"))
        elif p.kind == "multi":
            pairs += [(p.key, p.url_id(str(v))) for v in value]  # type: ignore[union-attr]
        elif value is not None:
            pairs.append((p.key, p.url_id(str(value))))
    return urlencode(pairs, quote_via=quote)


def share_url(base: str, page_path: str, query: str) -> str:
    """Join the app's base URL, a page path and a query string."""
    url = base.rstrip("/") + "/" + page_path.strip("/")
    return f"{url}?{query}" if query else url
