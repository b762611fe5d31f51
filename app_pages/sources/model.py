"""Sources & data, what the page shows: every source, one table's data dictionary, the downloads,
the data problems and the data version. Pure: no Streamlit. (The methodology text: methodology.md.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chipsmag import changes, grading, releases
from chipsmag.filters import Filters, apply_to_events
from chipsmag.loading import Dataset
from chipsmag.urlstate import Param

SOURCE_COLUMNS = ["id", "publisher", "original_publisher", "title", "published", "kind", "url", "note"]
METHODOLOGY = Path(__file__).with_name("methodology.md")
# Streamlit serves static/ at app/static/ (server.enableStaticServing); data/ links to static/data/,
# so every file of the data package has a stable URL with the very bytes in data/.
SERVED_DIR = Path(__file__).resolve().parents[2] / "static" / "data"
SERVED_PATH = "app/static/data"


@dataclass(frozen=True)
class Download:
    """One published table offered as it is on disk."""

    label: str
    path: Path
    file_name: str
    key: str
    column: int  # of three; a table whose file is missing keeps its place empty


@dataclass(frozen=True)
class Dictionary:
    """One table's entry in the data dictionary."""

    heading: str  # markdown: title, file and description (from the data package descriptor)
    fields: pd.DataFrame  # one row per column
    rules: str  # the table's own rules, "" if none


@dataclass(frozen=True)
class SourcesModel:
    version_line: str  # markdown
    sources: pd.DataFrame | None  # None: data/sources.csv did not load
    kinds: str  # how many sources of each kind
    dictionary: Dictionary
    downloads: tuple[Download, ...]  # the files that exist
    events: pd.DataFrame | None  # the events the filters select; None: events or actors did not load
    problems: str  # "" when every table loaded
    issues: pd.DataFrame | None  # one row per problem
    stable_urls: pd.DataFrame | None  # file, table, url; None: this server reads another data folder
    strength: pd.DataFrame  # per fact table: rows by grade, and rows meeting the official-or-two rule
    to_upgrade: pd.DataFrame  # the rows backed by secondary sources only


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The page's URL parameter: the table the data dictionary describes."""
    del today
    return (Param("table", "Table", "one", table_names(ds), page="sources"),)


def table_names(ds: Dataset) -> tuple[str, ...]:
    return tuple(r["name"] for r in ds.descriptor["resources"])


def _allowed(constraints: dict) -> str:
    """A column's allowed values, or its range ('0 to 100')."""
    return ", ".join(constraints.get("enum", [])) or " to ".join(
        str(constraints[k]) for k in ("minimum", "maximum") if k in constraints
    )


def dictionary(ds: Dataset, table: str) -> Dictionary:
    res = ds.resource(table)
    fields = pd.DataFrame(
        [
            {
                "column": fld["name"],
                "type": fld["type"],
                "unit": fld.get("unit", ""),
                "required": fld.get("constraints", {}).get("required", False),
                "allowed / range": _allowed(fld.get("constraints", {})),
                "references": fld.get("x_references", {}).get("resource", ""),
                "meaning": fld["description"],
            }
            for fld in res["schema"]["fields"]
        ]
    )
    rules = ", ".join(c.replace("_", " ") for c in res.get("x_checks") or [])
    heading = f"**{res['title']}** (`data/{res['path']}`): {res['description']}"
    return Dictionary(heading, fields, f"Table rules: {rules}" if rules else "")


def downloads(ds: Dataset, data_dir: Path) -> tuple[Download, ...]:
    return tuple(
        Download(f"{res['title']} ({res['path']})", data_dir / res["path"], res["path"], f"dl_{res['name']}", i % 3)
        for i, res in enumerate(ds.descriptor["resources"])
        if (data_dir / res["path"]).exists()
    )


def stable_urls(ds: Dataset, data_dir: Path, base_url: str) -> pd.DataFrame | None:
    """Every file of the data package (datapackage.json first) at its stable URL under ``base_url``;
    None where the server reads a data folder other than the one it serves."""
    if data_dir.resolve() != SERVED_DIR.resolve():
        return None
    files = [("datapackage.json", "Data package descriptor: tables, columns, units, rules")]
    files += [
        (r["path"], r.get("title", r["name"])) for r in ds.descriptor["resources"] if (data_dir / r["path"]).exists()
    ]
    root = f"{base_url.rstrip('/')}/{SERVED_PATH}"
    return pd.DataFrame([{"file": f, "table": t, "url": f"{root}/{f}"} for f, t in files])


def build(
    ds: Dataset,
    filters: Filters,
    table: str,
    data_dir: Path,
    dated_events: Callable[[Dataset], pd.DataFrame],
    base_url: str = "http://localhost:8501",
    strength: Callable[[Dataset], tuple[pd.DataFrame, pd.DataFrame]] | None = None,
) -> SourcesModel:
    """Everything the page shows; ``dated_events`` gives the events with their plot dates (read
    only when the events and actors loaded); ``strength`` the grade counts and the secondary-only
    rows (``strength_tables``; the page passes a copy kept per data version)."""
    src = ds.tables.get("sources")
    counts = {} if src is None else src["kind"].value_counts().to_dict()
    kinds = " · ".join(f"{k.replace('_', ' ')}: {n}" for k, n in counts.items())
    events = None
    if "events" in ds.tables and "actors" in ds.tables:
        events = apply_to_events(dated_events(ds), filters)
    problems = f"{len(ds.issues)} problem(s) in {', '.join(sorted(ds.broken))}." if ds.issues else ""
    return SourcesModel(
        f"Data version **{ds.version}** (content hash of the tables), latest source dated {ds.as_of or 'n/a'}.",
        None if src is None else src[SOURCE_COLUMNS],
        kinds,
        dictionary(ds, table),
        downloads(ds, data_dir),
        events,
        problems,
        pd.DataFrame([vars(i) for i in ds.issues]) if ds.issues else None,
        stable_urls(ds, data_dir, base_url),
        *(strength or strength_tables)(ds),
    )


def strength_tables(ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows per table and grade, and the rows backed by secondary sources only."""
    return grading.counts(ds), grading.secondary_only(ds)


def change_rows(found: changes.Changes) -> pd.DataFrame:
    """What changed, one row per row added or removed and per value changed."""
    out = []
    for t in found.tables:
        out += [{"table": t.name, "change": "added", "row": r.key, "column": "", "old": "", "new": ""} for r in t.added]
        out += [
            {"table": t.name, "change": "removed", "row": r.key, "column": "", "old": "", "new": ""} for r in t.removed
        ]
        for r in t.changed:
            for v in r.changes:
                out.append(
                    {"table": t.name, "change": "changed", "row": r.key, "column": v.column, "old": v.old, "new": v.new}
                )
    return pd.DataFrame(out, columns=["table", "change", "row", "column", "old", "new"])


def change_line(rows: pd.DataFrame, previous: str, chosen: str) -> str:
    """How many rows ``change_rows`` found added and removed and how many values changed."""
    counts = rows["change"].value_counts()
    added, removed, changed = (int(counts.get(k, 0)) for k in ("added", "removed", "changed"))
    return f"From {previous} to {chosen}: {added:,} rows added, {removed:,} removed, {changed:,} values changed."


def releases_table(found: list[releases.Release], current: str) -> pd.DataFrame:
    """The releases, newest first, the one these pages show marked."""
    return pd.DataFrame(
        [
            {
                "version": r.version + (" (shown)" if r.version == current else ""),
                "released": r.released.isoformat(),
                "summary": r.summary,
                "coverage end": r.coverage_end.isoformat() if r.coverage_end else "",
            }
            for r in found
        ],
        columns=["version", "released", "summary", "coverage end"],
    )
