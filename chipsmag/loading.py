"""Load and validate the curated tables in ``data/``.

One descriptor (``data/datapackage.json``) documents every table and column; the rules
checked here are built from it, so documentation and validation cannot drift apart.

Reading a table goes through three steps, each reporting every problem it finds:

1. Bytes to records: UTF-8, a header, no unterminated quotes, every record as wide as the
   header. Each record keeps the line it starts on, as a curator sees it (header = line 1).
2. Records to typed columns: integers, numbers, booleans and dates parsed cell by cell;
   a cell that does not parse is reported once and treated as empty afterwards.
3. Rules, checked with pandera: required, unique, allowed values, ranges, patterns, the
   table-level checks named in the descriptor, then references across tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chipsmag.memo import Memo
from chipsmag.reading import DAY, read_records, type_table
from chipsmag.reading import DataIssue as DataIssue  # re-exported: the issue type callers know
from chipsmag.rules import TABLE_CHECKS, check_rules

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"


@dataclass
class Dataset:
    """Every table that loaded cleanly, and every issue found.

    A table with any issue is left out of ``tables``, so a page that needs it can say so
    while pages built on other tables keep working.
    """

    tables: dict[str, pd.DataFrame]
    issues: list[DataIssue]
    descriptor: dict
    version: str = ""
    as_of: str = ""
    broken: set[str] = field(default_factory=set)
    coverage: Coverage | None = None
    # A view of the data derived from the files (rows with an official or wire source only, the
    # record as known on a date): "" for the data as curated. Part of every cache key (``key``).
    view: str = ""

    @property
    def key(self) -> str:
        """The version, with the view where there is one: what derived results are cached under."""
        return f"{self.version}/{self.view}" if self.view else self.version

    def issues_for(self, name: str) -> list[DataIssue]:
        path = self.resource(name)["path"]
        return [i for i in self.issues if i.file.endswith(path)]

    def resource(self, name: str) -> dict:
        for res in self.descriptor["resources"]:
            if res["name"] == name:
                return res
        raise KeyError(name)


# ---------------------------------------------------------------------------
# Loading everything.
# ---------------------------------------------------------------------------


def read_descriptor(data_dir: Path) -> dict:
    return json.loads((data_dir / DESCRIPTOR).read_text(encoding="utf-8"))


Table = tuple[pd.DataFrame | None, pd.Series, list[DataIssue]]


# Tables already read and checked in this process, by their descriptor entry and their bytes: a
# table whose file and entry have not changed is not read and checked again (a curator's edit to one
# file re-checks that file; the references across tables are always checked again).
_CHECKED = Memo(32)


def load_table(data_dir: Path, resource: dict) -> Table:
    """Read, type and rule-check one table. The frame is None when it could not be typed.

    Each call returns its own frame and list (shallow copies of what is kept: with pandas'
    copy-on-write a change to one never reaches another)."""
    path = data_dir / resource["path"]
    file = f"data/{resource['path']}"
    if not path.exists():
        return None, pd.Series(dtype=int), [DataIssue(file, None, None, None, "file is missing")]
    data = path.read_bytes()
    key = (json.dumps(resource, sort_keys=True), hashlib.sha256(data).digest())
    table = _CHECKED.get(key)
    if table is None:
        table = _check_table(data, resource, file)
        _CHECKED.put(key, table)
    df, lines, issues = table
    return (None if df is None else df.copy(deep=False)), lines.copy(deep=False), list(issues)


def _check_table(data: bytes, resource: dict, file: str) -> Table:
    raw, issues = read_records(data, file)
    if raw is None:
        return None, pd.Series(dtype=int), issues
    df, text, lines, type_issues = type_table(raw, resource, file)
    issues += type_issues
    if df is None:
        return None, lines, issues
    already = {(i.line, i.column) for i in type_issues}
    issues += check_rules(df, text, lines, resource, file, already)
    return df, lines, issues


def _split_ids(cell: str, separator: str | None) -> list[str]:
    return [part.strip() for part in cell.split(separator)] if separator else [cell]


def _check_references(frames: dict, lines: dict, descriptor: dict) -> list[DataIssue]:
    issues = []
    # Plain Python over the cells: on tables of a few hundred rows, pandas' split, explode and isin
    # (and a set built from an Arrow column for each reference) took about 150 ms a load.
    known: dict[tuple[str, str], set] = {}
    for res in descriptor["resources"]:
        df = frames.get(res["name"])
        if df is None:
            continue
        file = f"data/{res['path']}"
        for spec in res["schema"]["fields"]:
            ref = spec.get("x_references")
            if not ref:
                continue
            target = frames.get(ref["resource"])
            if target is None:
                continue  # the target table has its own issues reported
            key = (ref["resource"], ref["field"])
            if key not in known:
                known[key] = set(target[ref["field"]].dropna().tolist())
            line_of = lines[res["name"]]
            for idx, cell in df[spec["name"]].items():
                if pd.isna(cell):
                    continue
                for value in _split_ids(cell, ref.get("separator")):
                    if value not in known[key]:
                        issues.append(
                            DataIssue(
                                file,
                                int(line_of[idx]),
                                spec["name"],
                                str(value),
                                f"unknown id: not in data/{ref['resource']}.csv",
                            )
                        )
        if "link_goes_forward_in_time" in res.get("x_checks", []) and frames.get("events") is not None:
            events = frames["events"].drop_duplicates("id")
            dates = events.set_index("id")["date"].dropna()
            # A month-only date spans the month: the link is backwards only if the response
            # ends before the first move can have started.
            earliest = df["from_event"].map(dates).fillna("")
            latest = df["to_event"].map(dates).fillna("")
            earliest = earliest.where(earliest.str.len() != 7, earliest + "-01")
            latest = latest.where(latest.str.len() != 7, latest + "-31")
            both = (earliest != "") & (latest != "")
            back = both & (latest < earliest)
            for idx in back[back].index:
                issues.append(
                    DataIssue(
                        file,
                        int(lines[res["name"]][idx]),
                        "to_event",
                        str(df.at[idx, "to_event"]),
                        TABLE_CHECKS["link_goes_forward_in_time"][2],
                    )
                )
        if "deadline_in_coverage_has_outcome" in res.get("x_checks", []):
            end = coverage_of(descriptor).curated_to
            if end is not None:
                passed = (df["date"].fillna("9999") <= end.isoformat()) & df["outcome_event"].isna()
                for idx in passed[passed].index:
                    issues.append(
                        DataIssue(
                            file,
                            int(lines[res["name"]][idx]),
                            "outcome_event",
                            None,
                            TABLE_CHECKS["deadline_in_coverage_has_outcome"][2],
                        )
                    )
        if "states_follow_each_other" in res.get("x_checks", []):
            issues += _state_sequence_issues(df, lines[res["name"]], file, coverage_of(descriptor).curated_to)
    return issues


UNCOVERED_END = (
    "this state's scheduled end is on or before the coverage end (curated_to in data/datapackage.json): "
    "record the state that followed"
)


def _state_sequence_issues(
    df: pd.DataFrame, lines: pd.Series, file: str, curated_to: dt.date | None
) -> list[DataIssue]:
    """A measure's states follow each other without gaps: a state scheduled to end is followed by the
    next state by that date; inside the coverage, a passed scheduled end must be followed at all."""
    issues = []
    rows = df[df["measure"].notna() & df["from"].notna()].sort_values(["measure", "from"], kind="stable")
    following = rows.groupby("measure")["from"].shift(-1)
    for idx, until in rows["scheduled_until"].items():
        if pd.isna(until):
            continue
        after = following[idx]
        if pd.notna(after) and after > until:
            rule = TABLE_CHECKS["states_follow_each_other"][2]
        elif pd.isna(after) and curated_to is not None and until <= curated_to.isoformat():
            rule = UNCOVERED_END
        else:
            continue
        issues.append(DataIssue(file, int(lines[idx]), "scheduled_until", str(until), rule))
    return issues


@dataclass(frozen=True)
class Coverage:
    """How far the record reaches: moves are curated densely to ``curated_to``; sources were
    searched to ``searched_to`` and were nearly silent in between."""

    curated_to: dt.date | None
    searched_to: dt.date | None
    description: str = ""


def coverage_of(descriptor: dict) -> Coverage:
    """The descriptor's ``x_coverage``, with unreadable dates as None (``coverage_issues`` names them)."""
    raw = descriptor.get("x_coverage") or {}

    def day(key: str) -> dt.date | None:
        value = raw.get(key)
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) and DAY.match(value) else None
        except ValueError:
            return None

    return Coverage(day("curated_to"), day("searched_to"), str(raw.get("description", "")))


def coverage_issues(descriptor: dict) -> list[DataIssue]:
    """x_coverage must give curated_to and searched_to as real dates, in that order."""
    file = f"data/{DESCRIPTOR}"
    raw = descriptor.get("x_coverage")
    if not isinstance(raw, dict):
        return [DataIssue(file, None, "x_coverage", None, "missing: give curated_to and searched_to (YYYY-MM-DD)")]
    cov = coverage_of(descriptor)
    issues = []
    for key in ("curated_to", "searched_to"):
        if getattr(cov, key) is None:
            value = raw.get(key)
            issues.append(
                DataIssue(
                    file,
                    None,
                    f"x_coverage.{key}",
                    None if value is None else str(value),
                    "must be a real date (YYYY-MM-DD)",
                )
            )
    if cov.curated_to and cov.searched_to and cov.curated_to > cov.searched_to:
        issues.append(
            DataIssue(file, None, "x_coverage.curated_to", cov.curated_to.isoformat(), "must not be after searched_to")
        )
    return issues


def data_version(data_dir: Path, descriptor: dict) -> str:
    """A short content hash of the descriptor and every table."""
    digest = hashlib.sha256()
    for name in [DESCRIPTOR, *sorted(r["path"] for r in descriptor["resources"])]:
        path = data_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()[:12]


def load_dataset(data_dir: Path | str = DEFAULT_DATA_DIR) -> Dataset:
    """Load every table of the descriptor; collect every issue; keep only clean tables."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    frames, lines, issues = {}, {}, []
    for res in descriptor["resources"]:
        df, line_numbers, found = load_table(data_dir, res)
        issues += found
        if df is not None:
            frames[res["name"]] = df
            lines[res["name"]] = line_numbers
    issues += _check_references(frames, lines, descriptor)
    issues += coverage_issues(descriptor)
    broken = {res["name"] for res in descriptor["resources"] if any(i.file == f"data/{res['path']}" for i in issues)}
    tables = {name: df for name, df in frames.items() if name not in broken}
    sources = tables.get("sources")
    as_of = ""
    if sources is not None and sources["published"].notna().any():
        as_of = str(sources["published"].dropna().max())
    return Dataset(
        tables=tables,
        issues=sorted(issues, key=lambda i: (i.file, i.line or 0, i.column or "")),
        descriptor=descriptor,
        version=data_version(data_dir, descriptor),
        as_of=as_of,
        broken=broken,
        coverage=coverage_of(descriptor),
    )
