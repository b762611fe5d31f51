"""An Atom feed of every event: ``python -m chipsmag.feed [DATA_DIR] [--out FILE]``.

The feed sits beside the data folder: ``static/feed.atom`` for the bundled data, which Streamlit
serves at ``/app/static/feed.atom``. One entry per event, newest first (ties: the higher id first):

- ``id``: a tag URI that never changes for the event, ``tag:chips-for-magnets,2025:event/E42``;
- ``title``: the event's title; ``content``: its description;
- ``updated``: the event's own date, at midnight UTC (a month-only date: the first of the month, as
  the summary says). Not a source's publication date: the feed is a record of when things happened,
  and an event's date never moves when a later report is added;
- ``summary``: the date as the pages write it, the actors, the lever, the category and the sources
  (publisher and URL); each source's URL is also a ``<link rel="related">``; the lever and
  category are also ``<category>`` elements;
- ``<link rel="alternate">``: the event's card on the Timeline, relative to the feed's own URL.

The feed's ``updated`` is the newest entry's, never the clock, so writing the feed twice gives the
same bytes and the validator can check that the committed file is in sync with the events.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from chipsmag.loading import DEFAULT_DATA_DIR, Dataset, load_dataset
from chipsmag.text import format_event_date

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:chips-for-magnets,2025:"
FEED_FILE = "feed.atom"
TIMELINE = "../../timeline"  # from /app/static/feed.atom to the Timeline page
NEEDED = ("events", "actors", "sources")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # characters XML 1.0 forbids
_ID = re.compile(r"^(\D*)(\d*)(.*)$")


class FeedError(ValueError):
    """The tables the feed is built from have problems."""


def entry_id(event_id: str) -> str:
    """The event's stable id in the feed."""
    return f"{TAG}event/{event_id}"


def feed_path(data_dir: Path | str = DEFAULT_DATA_DIR) -> Path:
    """Where the feed of a data folder lives: beside it (static/feed.atom for static/data)."""
    return Path(data_dir).resolve().parent / FEED_FILE


def _text(value: object) -> str:
    text = "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)
    return _NOT_XML.sub("", text)


def _instant(date: str) -> str:
    """A partial date at midnight UTC: 2025-05 -> 2025-05-01T00:00:00Z."""
    day = {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
    return f"{day}T00:00:00Z"


def _newest_first(event: dict) -> tuple:
    prefix, number, rest = _ID.match(event["id"]).groups()
    return (_instant(event["date"]), prefix, int(number) if number else -1, rest)


def _shown_date(date: str, precision: str) -> str:
    try:
        return format_event_date(date, precision)
    except ValueError:
        return date


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _text(text)
    return element


def _source_column(ds: Dataset) -> tuple[str, str]:
    """The events column that cites sources, and its separator, as the descriptor declares them."""
    for spec in ds.resource("events")["schema"]["fields"]:
        ref = spec.get("x_references") or {}
        if ref.get("resource") == "sources":
            return spec["name"], ref.get("separator") or ";"
    raise FeedError("datapackage.json: no column of events references sources")


def _labels(ds: Dataset, column: str) -> dict[str, str]:
    for spec in ds.resource("events")["schema"]["fields"]:
        if spec["name"] == column:
            return dict(spec.get("x_labels") or {})
    return {}


def build(ds: Dataset) -> bytes:
    """The feed of the dataset's events, as bytes (UTF-8 XML)."""
    broken = [name for name in NEEDED if name not in ds.tables]
    if broken:
        files = ", ".join(f"data/{name}.csv" for name in broken)
        raise FeedError(f"cannot build the feed: {files} did not load (run python -m chipsmag.validate)")
    column, separator = _source_column(ds)
    actors = dict(zip(ds.tables["actors"]["id"], ds.tables["actors"]["name"], strict=True))
    sources = ds.tables["sources"].set_index("id")
    levers, categories = _labels(ds, "lever"), _labels(ds, "category")
    events = sorted(ds.tables["events"].to_dict("records"), key=_newest_first, reverse=True)

    feed = ET.Element("feed", xmlns=ATOM)  # children in the Atom namespace by default
    _sub(feed, "id", f"{TAG}feed/events")
    _sub(feed, "title", "Chips for magnets: events")
    end = ds.coverage.curated_to if ds.coverage else None
    reach = f"; moves curated densely to {end.isoformat()}" if end else ""
    record = "Every event of the record of US chip export controls and China's rare-earth controls"
    _sub(feed, "subtitle", f"{record}{reach}.")
    newest = _instant(events[0]["date"]) if events else _instant(end.isoformat() if end else "2018")
    _sub(feed, "updated", newest)
    _sub(_sub(feed, "author"), "name", "Chips for magnets")
    _sub(feed, "link", rel="self", href=FEED_FILE, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=TIMELINE, type="text/html")
    for event in events:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(event["id"]))
        _sub(entry, "title", event["title"])
        _sub(entry, "updated", _instant(event["date"]))
        _sub(entry, "link", rel="alternate", href=f"{TIMELINE}?event={event['id']}", type="text/html")
        cited = [s.strip() for s in _text(event.get(column)).split(separator) if s.strip()]
        shown = []
        for sid in cited:
            source = sources.loc[sid] if sid in sources.index else None
            publisher = _text(source["publisher"]) if source is not None else sid
            url = _text(source["url"]) if source is not None else ""
            shown.append(f"{publisher} ({url})" if url else publisher)
            if re.match(r"^https?://\S+$", url):
                _sub(entry, "link", rel="related", href=url, title=f"{publisher}: {_text(source['title'])}")
        names = ", ".join(actors.get(a.strip(), a.strip()) for a in _text(event["actors"]).split(";") if a.strip())
        lever, category = _text(event["lever"]), _text(event["category"])
        parts = [
            _shown_date(event["date"], _text(event.get("date_precision"))),
            f"Actors: {names}",
            f"Lever: {levers.get(lever, lever)}",
            f"Category: {categories.get(category, category)}",
            f"Sources: {'; '.join(shown)}",
        ]
        _sub(entry, "summary", ". ".join(parts) + ".", type="text")
        _sub(entry, "content", event["description"], type="text")
        _sub(entry, "category", term=lever, scheme=f"{TAG}lever", label=levers.get(lever, lever))
        _sub(entry, "category", term=category, scheme=f"{TAG}category", label=categories.get(category, category))
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def shown_path(path: Path) -> str:
    """A path as the messages name it: relative to the repository when inside it."""
    root = DEFAULT_DATA_DIR.parent.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _feed_command(data_dir: Path, out: Path) -> str:
    args = "" if Path(data_dir).resolve() == DEFAULT_DATA_DIR.resolve() else f" {data_dir}"
    if out != feed_path(data_dir):
        args += f" --out {out}"
    return f"python -m chipsmag.feed{args}"


def problems(ds: Dataset, data_dir: Path | str, out: Path | str | None = None) -> list[str]:
    """The validator's check: the feed file holds exactly what ``build`` writes from the data now."""
    out = Path(out) if out is not None else feed_path(data_dir)
    try:
        expected = build(ds)
    except FeedError as exc:
        return [str(exc)]
    if not out.exists():
        return [f"{shown_path(out)} is missing: run {_feed_command(Path(data_dir), out)}"]
    if out.read_bytes() != expected:
        return [f"{shown_path(out)} is out of date: run {_feed_command(Path(data_dir), out)}"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the Atom feed of every event.")
    parser.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="folder with datapackage.json")
    parser.add_argument("--out", type=Path, help="the feed file (default: feed.atom beside the data folder)")
    args = parser.parse_args(argv)
    out = args.out or feed_path(args.data_dir)
    try:
        ds = load_dataset(args.data_dir)
        data = build(ds)
    except (OSError, ValueError) as exc:  # FeedError included
        print(f"{args.data_dir}: {exc}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"wrote {shown_path(out)}: {data.count(b'<entry>')} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
