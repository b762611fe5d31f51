"""What changed between two versions of the data: ``python -m chipsmag.changes OLD NEW [--json]``.

OLD and NEW are each a data folder (``data``, a copy of it) or a git revision of this repository
(``HEAD~3``, a commit hash), read from ``static/data/`` or, before the data moved there, ``data/``.
Per table it lists the rows added and removed and the values changed (column, old, new). Rows are
matched by ``id``, or by the table's primary key in the descriptor where there is no ``id`` column;
a table without a key (or whose key repeats) is compared row by row as whole rows.

Values are compared as the CSV holds them (text), so ``17108`` and ``17108.0`` differ, as they do
for a reader of the file.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from chipsmag.loading import DESCRIPTOR, coverage_of, data_version
from chipsmag.reading import read_records

REPO = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("static/data", "data")  # where the data package lives in a revision, newest layout first
FIGURE_TYPES = {"integer", "number"}


class ChangesError(ValueError):
    """An argument is neither a data folder nor a git revision, or its data cannot be read."""


@dataclass(frozen=True)
class Snapshot:
    """One version of the data: its descriptor, every table as text, and its data version."""

    label: str
    descriptor: dict
    tables: dict[str, pd.DataFrame]
    version: str


@dataclass(frozen=True)
class ValueChange:
    column: str
    old: str
    new: str
    figure: bool  # the column holds numbers (integer or number in the descriptor)


@dataclass(frozen=True)
class RowChange:
    key: str
    changes: tuple[ValueChange, ...]


@dataclass(frozen=True)
class Row:
    key: str
    values: dict[str, str]


@dataclass(frozen=True)
class TableChanges:
    name: str
    key: tuple[str, ...]  # the columns rows are matched by; () when whole rows are compared
    status: str  # "added", "removed", "changed" or "unchanged"
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[RowChange, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Changes:
    tables: tuple[TableChanges, ...] = field(default_factory=tuple)

    def table(self, name: str) -> TableChanges | None:
        return next((t for t in self.tables if t.name == name), None)


# ---------------------------------------------------------------------------
# The difference of two sets of tables.
# ---------------------------------------------------------------------------


def _resources(descriptor: dict) -> dict[str, dict]:
    return {r["name"]: r for r in descriptor.get("resources", [])}


def _key_columns(name: str, old: pd.DataFrame, new: pd.DataFrame, descriptor: dict) -> tuple[str, ...]:
    """``id``, else the descriptor's primary key, when both versions have it and it is unique in each."""
    resource = _resources(descriptor).get(name, {})
    candidates = [("id",), tuple(resource.get("schema", {}).get("primaryKey") or ())]
    for key in candidates:
        present = key and all(c in old.columns and c in new.columns for c in key)
        if present and not old.duplicated(list(key)).any() and not new.duplicated(list(key)).any():
            return key
    return ()


def _label(values: pd.Series | dict, key: tuple[str, ...]) -> str:
    return " / ".join(str(values[c]) for c in key)


def _row(values: dict[str, str], key: tuple[str, ...]) -> Row:
    return Row(_label(values, key) if key else _label(values, tuple(values)[:3]), dict(values))


def _figure_columns(name: str, descriptor: dict) -> set[str]:
    fields = _resources(descriptor).get(name, {}).get("schema", {}).get("fields", [])
    return {f["name"] for f in fields if f.get("type") in FIGURE_TYPES}


def _whole_rows(old: pd.DataFrame, new: pd.DataFrame) -> tuple[list[Row], list[Row]]:
    """Rows added and removed when rows have no key: compared as whole rows over the shared columns."""
    shared = [c for c in new.columns if c in old.columns]
    old_rows = Counter(tuple(r) for r in old[shared].itertuples(index=False))
    new_rows = Counter(tuple(r) for r in new[shared].itertuples(index=False))
    added = [_row(dict(zip(shared, r, strict=True)), ()) for r in (new_rows - old_rows).elements()]
    removed = [_row(dict(zip(shared, r, strict=True)), ()) for r in (old_rows - new_rows).elements()]
    return added, removed


def _diff_table(name: str, old: pd.DataFrame, new: pd.DataFrame, descriptor: dict) -> TableChanges:
    columns_added = tuple(c for c in new.columns if c not in old.columns)
    columns_removed = tuple(c for c in old.columns if c not in new.columns)
    key = _key_columns(name, old, new, descriptor)
    if not key:
        added, removed = _whole_rows(old, new)
        changed: list[RowChange] = []
    else:
        old_by = {_label(r, key): r for r in old.to_dict("records")}
        new_by = {_label(r, key): r for r in new.to_dict("records")}
        added = [_row(r, key) for k, r in new_by.items() if k not in old_by]
        removed = [_row(r, key) for k, r in old_by.items() if k not in new_by]
        figures = _figure_columns(name, descriptor)
        shared = [c for c in new.columns if c in old.columns]
        changed = []
        for k, row in new_by.items():
            before = old_by.get(k)
            if before is None:
                continue
            diffs = tuple(ValueChange(c, before[c], row[c], c in figures) for c in shared if before[c] != row[c])
            if diffs:
                changed.append(RowChange(k, diffs))
    status = "changed" if added or removed or changed or columns_added or columns_removed else "unchanged"
    rows = (tuple(added), tuple(removed), tuple(changed))
    return TableChanges(name, key, status, *rows, columns_added, columns_removed)


def diff(old_tables: dict[str, pd.DataFrame], new_tables: dict[str, pd.DataFrame], descriptor: dict) -> Changes:
    """Rows added, removed and changed per table, from the old tables to the new (text frames).

    ``descriptor`` (the new version's) gives each table's primary key and which columns hold
    figures. A table only in the new tables counts all its rows as added; only in the old, as removed.
    """
    order = [r for r in _resources(descriptor) if r in old_tables or r in new_tables]
    order += sorted((set(old_tables) | set(new_tables)) - set(order))
    out = []
    for name in order:
        old, new = old_tables.get(name), new_tables.get(name)
        if old is None or new is None:
            present = new if old is None else old
            key = _key_columns(name, present, present, descriptor)
            rows = tuple(_row(r, key) for r in present.to_dict("records"))
            status = "added" if old is None else "removed"  # every row of the table, added or removed
            out.append(TableChanges(name, key, status, **{status: rows}))
            continue
        out.append(_diff_table(name, old, new, descriptor))
    return Changes(tuple(out))


def summary(changes: Changes) -> tuple[int, int]:
    """(events added, figures revised): rows added to ``events``, and values of numeric columns
    (integer or number in the descriptor) changed in rows present in both versions, in any table."""
    events = changes.table("events")
    added = len(events.added) if events is not None else 0
    revised = sum(1 for t in changes.tables for row in t.changed for c in row.changes if c.figure)
    return added, revised


# ---------------------------------------------------------------------------
# Reading a version: a folder or a git revision.
# ---------------------------------------------------------------------------


def read_dir(path: Path | str, label: str | None = None) -> Snapshot:
    """The data package in a folder, every table as text (empty cells as "")."""
    path = Path(path)
    label = label or str(path)
    if not path.is_dir():
        raise ChangesError(f"{label}: not a directory")
    try:
        descriptor = json.loads((path / DESCRIPTOR).read_text(encoding="utf-8"))
        resources = descriptor["resources"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ChangesError(f"{label}: cannot read {DESCRIPTOR}: {exc}") from exc
    tables = {}
    for res in resources:
        file = path / res["path"]
        if not file.exists():
            continue  # a table the version does not have: its rows count as added or removed
        raw, issues = read_records(file.read_bytes(), f"data/{res['path']}")
        if issues:
            raise ChangesError(f"{label}: cannot compare: {issues[0]}")
        tables[res["name"]] = pd.DataFrame(raw.rows, columns=raw.header, dtype=str)
    return Snapshot(label, descriptor, tables, data_version(path, descriptor))


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)  # noqa: S607
    except FileNotFoundError as exc:
        raise ChangesError("git is not available: a revision cannot be read") from exc


def resolve_revision(rev: str, repo: Path = REPO) -> str:
    """The full commit hash of ``rev``; a clear error when the repository does not know it."""
    found = None if rev.startswith("-") else _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found is None or found.returncode != 0:
        raise ChangesError(f"{rev!r} is neither a data folder nor a revision of the git repository at {repo}")
    return found.stdout.decode().strip()


def checkout_data(commit: str, dest: Path, repo: Path = REPO) -> Path:
    """Write the data package of ``commit`` (its files only, no folders) into ``dest``."""
    for folder in DATA_FOLDERS:
        kind = _git(repo, "cat-file", "-t", f"{commit}:{folder}")
        if kind.returncode == 0 and kind.stdout.strip() == b"tree":
            break
    else:
        raise ChangesError(f"revision {commit[:12]} has no data folder ({' or '.join(DATA_FOLDERS)})")
    archive = _git(repo, "archive", "--format=tar", commit, folder)
    if archive.returncode != 0:
        raise ChangesError(f"revision {commit[:12]}: git archive failed: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            if member.isfile() and str(Path(member.name).parent) == folder:
                (dest / Path(member.name).name).write_bytes(tar.extractfile(member).read())
    return dest


def read_revision(rev: str, repo: Path = REPO) -> Snapshot:
    """The data package as committed at ``rev``."""
    commit = resolve_revision(rev, repo)
    with tempfile.TemporaryDirectory(prefix="chipsmag-rev-") as tmp:
        return read_dir(checkout_data(commit, Path(tmp), repo), label=f"{rev} ({commit[:12]})")


def read_version(arg: str, repo: Path = REPO) -> Snapshot:
    """A command argument: a data folder if one exists there, else a git revision."""
    path = Path(arg)
    if path.is_dir():
        return read_dir(path, arg)
    if path.exists():
        raise ChangesError(f"{arg}: not a directory (give a data folder or a git revision)")
    return read_revision(arg, repo)


def version_commits(repo: Path = REPO) -> dict[str, str]:
    """Each data version committed to the repository -> the first commit that holds it, oldest first
    (worked out once per repository and HEAD)."""
    head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
    if head.returncode != 0:
        return {}
    return dict(_version_commits(repo.resolve(), head.stdout.decode().strip()))


@lru_cache(maxsize=8)
def _version_commits(repo: Path, head: str) -> tuple[tuple[str, str], ...]:
    log = _git(repo, "log", "--format=%H", head, "--", *DATA_FOLDERS)
    if log.returncode != 0:
        return ()
    found: dict[str, str] = {}
    for commit in reversed(log.stdout.decode().split()):
        with tempfile.TemporaryDirectory(prefix="chipsmag-rev-") as tmp:
            try:
                folder = checkout_data(commit, Path(tmp), repo)
                version = data_version(folder, json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8")))
            except (ChangesError, OSError, ValueError, KeyError, TypeError):
                continue  # a revision whose descriptor cannot be read has no version
        found.setdefault(version, commit)
    return tuple(found.items())


def changes_since(version: str, current: Snapshot | Path | str, repo: Path = REPO) -> Changes | None:
    """What changed from the committed data of ``version`` to ``current``; None when that version's
    data cannot be read (not in the repository's history, or no git)."""
    try:
        commit = version_commits(repo).get(version)
        if commit is None:
            return None
        old = read_revision(commit, repo)
        new = current if isinstance(current, Snapshot) else read_dir(current)
    except ChangesError:
        return None
    return diff(old.tables, new.tables, new.descriptor)


# ---------------------------------------------------------------------------
# The command.
# ---------------------------------------------------------------------------


def _short(value: str, limit: int = 70) -> str:
    text = value.replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _title(row: Row) -> str:
    for column in ("title", "name"):
        if row.values.get(column):
            return "  " + _short(row.values[column], 60)[1:-1]
    return ""


def _about(snapshot: Snapshot) -> str:
    end = coverage_of(snapshot.descriptor).curated_to
    return f"{snapshot.label} (data version {snapshot.version}" + (f", curated to {end})" if end else ")")


def as_text(changes: Changes, old: Snapshot, new: Snapshot) -> str:
    """The changes as a curator reads them."""
    lines = [f"From {_about(old)}", f"to   {_about(new)}", ""]
    if old.descriptor != new.descriptor:
        lines.append(f"{DESCRIPTOR}: changed (descriptions, rules, vocabulary or coverage)")
    unchanged = []
    for t in changes.tables:
        if t.status == "unchanged":
            unchanged.append(t.name)
            continue
        by = f"by {' / '.join(t.key)}" if t.key else "whole rows"
        counts = [f"{len(t.added)} added", f"{len(t.removed)} removed", f"{len(t.changed)} changed"]
        head = f"{t.name} ({by}): " + ", ".join(counts)
        lines.append(head + ("" if t.status == "changed" else f" (table {t.status})"))
        for columns, word in ((t.columns_added, "column added"), (t.columns_removed, "column removed")):
            lines += [f"  {word}: {c}" for c in columns]
        lines += [f"  added    {r.key}{_title(r)}" for r in t.added]
        lines += [f"  removed  {r.key}{_title(r)}" for r in t.removed]
        for row in t.changed:
            first, *rest = row.changes
            lines.append(f"  changed  {row.key}  {first.column}: {_short(first.old)} -> {_short(first.new)}")
            pad = " " * (len(row.key) + 11)
            lines += [f"{pad}{c.column}: {_short(c.old)} -> {_short(c.new)}" for c in rest]
    if unchanged:
        lines.append(f"unchanged: {', '.join(unchanged)}")
    events, figures = summary(changes)
    lines.append(f"in all: {events} event(s) added, {figures} figure(s) revised")
    return "\n".join(lines)


def as_json(changes: Changes, old: Snapshot, new: Snapshot) -> str:
    events, figures = summary(changes)
    return json.dumps(
        {
            "old": {"label": old.label, "version": old.version},
            "new": {"label": new.label, "version": new.version},
            "tables": [asdict(t) for t in changes.tables],
            "summary": {"events_added": events, "figures_revised": figures},
        },
        ensure_ascii=False,
        indent=1,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="List what changed between two versions of the data.")
    parser.add_argument("old", help="a data folder or a git revision (HEAD~3, a commit hash)")
    parser.add_argument("new", help="a data folder or a git revision")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    snapshots = []
    for name, value in (("OLD", args.old), ("NEW", args.new)):
        try:
            snapshots.append(read_version(value))
        except ChangesError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            return 2
    old, new = snapshots
    changes = diff(old.tables, new.tables, new.descriptor)
    print(as_json(changes, old, new) if args.json else as_text(changes, old, new))
    return 0


if __name__ == "__main__":
    sys.exit(main())
