"""The data's releases, ``data/releases.csv``: one row per data version that was published.

Columns: ``version`` (the data version, 12 hex digits: a hash of datapackage.json and its tables),
``released`` (YYYY-MM-DD), ``summary`` (one line) and ``coverage_end`` (``x_coverage.curated_to``
at that release, empty where the descriptor had none). Newest first. The file is not a resource of
the descriptor, so it is not part of the version it records.

``python -m chipsmag.releases [DATA_DIR]`` lists the releases; ``--add "summary"`` records the
current data's version (today's date unless ``--date``; an existing row for the version gets the new
summary), ``--replace-newest`` puts it in place of the newest row (a draft release superseded).
A shared link carries the version it was made on; ``notice_for`` words what its reader is told.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from chipsmag import changes
from chipsmag.loading import DEFAULT_DATA_DIR, coverage_of, data_version, read_descriptor
from chipsmag.reading import DAY, DataIssue, read_records

RELEASES = "releases.csv"
COLUMNS = ("version", "released", "summary", "coverage_end")
VERSION = re.compile(r"^[0-9a-f]{12}$")
SHOWN_VERSION = re.compile(r"^[0-9A-Za-z]{1,40}$")  # a link's version is shown only if it reads as one


@dataclass(frozen=True)
class Release:
    version: str
    released: dt.date
    summary: str
    coverage_end: dt.date | None
    line: int = 0  # its line in the file (header = 1); 0 for a row not read from a file


class ReleasesError(ValueError):
    """data/releases.csv cannot be read or breaks its rules; ``issues`` lists every problem."""

    def __init__(self, issues: list[DataIssue]):
        self.issues = issues
        super().__init__("\n".join(map(str, issues)))


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if DAY.match(value) else None
    except ValueError:
        return None


def check(path: Path | str) -> tuple[list[Release], list[DataIssue]]:
    """Every well-formed release in the file, and every problem (file, line, column, value, rule)."""
    path = Path(path)
    file = f"data/{path.name}"
    try:
        raw, issues = read_records(path.read_bytes(), file)
    except OSError as exc:
        return [], [DataIssue(file, None, None, None, f"cannot be read: {exc.strerror or exc}")]
    if raw is None:
        return [], issues
    if tuple(raw.header) != COLUMNS:
        rule = f"the header must be {','.join(COLUMNS)} (found {','.join(raw.header)})"
        return [], [*issues, DataIssue(file, 1, None, None, rule)]
    out: list[Release] = []
    seen: dict[str, int] = {}
    for row, line in zip(raw.rows, raw.lines, strict=True):
        version, released, summary, coverage_end = (cell.strip() for cell in row)
        found = []
        if not VERSION.match(version):
            found.append(("version", version, "not a data version (12 lowercase hex digits)"))
        elif version in seen:
            found.append(("version", version, f"a second row for this version (first on line {seen[version]})"))
        day = _day(released)
        if day is None:
            found.append(("released", released, "not a real date in the form YYYY-MM-DD"))
        if not summary:
            found.append(("summary", None, "required value is empty: give a one-line summary"))
        elif "\n" in summary or "\r" in summary:
            found.append(("summary", summary, "must be one line"))
        end = _day(coverage_end) if coverage_end else None
        if coverage_end and end is None:
            found.append(("coverage_end", coverage_end, "not a real date in the form YYYY-MM-DD (or empty)"))
        issues += [DataIssue(file, line, column, value, rule) for column, value, rule in found]
        seen.setdefault(version, line)
        if found:
            continue
        if out and day > out[-1].released:
            rule = f"releases are listed newest first: this one is newer than line {out[-1].line}"
            issues.append(DataIssue(file, line, "released", released, rule))
        out.append(Release(version, day, summary, end, line))
    return out, issues


def read_releases(path: Path | str) -> list[Release]:
    """The releases, newest first; ``ReleasesError`` naming every problem when the file breaks a rule."""
    releases, issues = check(path)
    if issues:
        raise ReleasesError(issues)
    return releases


def _add_command(data_dir: Path) -> str:
    where = "" if Path(data_dir).resolve() == DEFAULT_DATA_DIR.resolve() else f" {data_dir}"
    return f"python -m chipsmag.releases --add 'summary'{where}"


def problems(data_dir: Path | str, version: str) -> list[str]:
    """The validator's check: releases.csv is well formed and has a row for ``version``."""
    data_dir = Path(data_dir)
    path = data_dir / RELEASES
    if not path.exists():
        return [f"data/{RELEASES} is missing: add a row for data version {version} ({_add_command(data_dir)})"]
    releases, issues = check(path)
    out = [str(i) for i in issues]
    if not issues and all(r.version != version for r in releases):
        out.append(
            f"data/{RELEASES} has no row for the current data version {version}: add one ({_add_command(data_dir)})"
        )
    return out


# ---------------------------------------------------------------------------
# What a reader of a link made on another version is told.
# ---------------------------------------------------------------------------


def _counted(events: int, figures: int) -> str:
    added = "no events were added" if events == 0 else f"{events} event{'s were' if events != 1 else ' was'} added"
    revised = "no figures revised" if figures == 0 else f"{figures} figure{'s' if figures != 1 else ''} revised"
    return f"{added} and {revised}"


def notice_for(
    link_version: str,
    current_version: str,
    releases: list[Release],
    changes_between: Callable[[str, str], changes.Changes | None],
) -> str:
    """The notice for a link made on ``link_version`` (plain text; "" when it is the current version).

    ``changes_between(old, new)`` gives what changed between two versions, or None when the old
    version's data cannot be read (then the notice gives the dates only); it is called only for a
    known, older version.
    """
    if not link_version or link_version == current_version:
        return ""
    order = {r.version: i for i, r in enumerate(releases)}  # 0 = newest
    known = {r.version: r for r in releases}
    if link_version not in known:
        named = f"data version {link_version}" if SHOWN_VERSION.match(link_version) else "a data version"
        return (
            f"This link names {named}, which this dashboard does not know; "
            f"it shows the current data (version {current_version})."
        )
    made = known[link_version].released.isoformat()
    current = known.get(current_version)
    now = f"the data of {current.released.isoformat()}" if current else f"data version {current_version}"
    if current is not None and order[link_version] < order[current_version]:
        return f"This link was made on the data of {made}, newer than this dashboard's; it shows {now}."
    found = changes_between(link_version, current_version)
    if found is None:
        return (
            f"This link was made on the data of {made}; this dashboard now shows {now}. What changed since "
            "cannot be read here; the releases are listed on Sources & data."
        )
    events, figures = changes.summary(found)
    return f"This link was made on the data of {made}; since then {_counted(events, figures)}. " + (
        "See what changed on Sources & data."
    )


def changes_from_git(
    data_dir: Path | str = DEFAULT_DATA_DIR, repo: Path = changes.REPO
) -> Callable[[str, str], changes.Changes | None]:
    """A ``changes_between`` for ``notice_for``: the old version's data read from the repository's
    history, compared with the data in ``data_dir`` (None where git or that version is missing)."""
    return lambda old, _new: changes.changes_since(old, data_dir, repo)


# ---------------------------------------------------------------------------
# Recording a release.
# ---------------------------------------------------------------------------


def _write(path: Path, releases: list[Release]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in releases:
        end = r.coverage_end.isoformat() if r.coverage_end else ""
        writer.writerow([r.version, r.released.isoformat(), r.summary, end])
    path.write_text(out.getvalue(), encoding="utf-8")


def add(
    data_dir: Path | str, summary: str, released: dt.date | None = None, replace_newest: bool = False
) -> tuple[Release, str]:
    """Record the current data's version in ``data_dir/releases.csv``; returns the row and what was
    done ("added", "updated" or "replaced")."""
    data_dir = Path(data_dir)
    summary = summary.strip()
    if not summary or "\n" in summary or "\r" in summary:
        raise ValueError("the summary must be one non-empty line")
    descriptor = read_descriptor(data_dir)
    path = data_dir / RELEASES
    releases = read_releases(path) if path.exists() else []
    row = Release(data_version(data_dir, descriptor), released or dt.date.today(), summary, None)
    row = replace(row, coverage_end=coverage_of(descriptor).curated_to)
    same = next((i for i, r in enumerate(releases) if r.version == row.version), None)
    if same is not None:
        old = releases[same]
        releases[same] = replace(row, released=released or old.released)
        done, row = "updated", releases[same]
    else:
        replaced = replace_newest and bool(releases)
        rest = releases[1:] if replaced else releases
        if rest and row.released < rest[0].released:
            raise ValueError(f"the release date {row.released} is before the newest release ({rest[0].released})")
        releases = [row, *rest]
        done = "replaced" if replaced else "added"
    _write(path, releases)
    return row, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="List the data's releases, or record the current version.")
    parser.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="folder with datapackage.json")
    parser.add_argument("--add", metavar="SUMMARY", help="record the current data version with this summary")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="release date (default: today)")
    parser.add_argument("--replace-newest", action="store_true", help="with --add: replace the newest row")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    try:
        if args.add is not None:
            row, done = add(data_dir, args.add, args.date, args.replace_newest)
            print(f"{done}: {row.version} {row.released} {row.summary}")
            return 0
        releases = read_releases(data_dir / RELEASES)
        current = data_version(data_dir, read_descriptor(data_dir))
    except ReleasesError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"{data_dir}: {exc}", file=sys.stderr)
        return 2
    for r in releases:
        mark = "*" if r.version == current else " "
        print(f"{mark} {r.version}  {r.released}  {r.summary}")
    if all(r.version != current for r in releases):
        print(f"the current data version {current} has no release row", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
