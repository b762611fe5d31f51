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

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_TRUE, _FALSE = {"true"}, {"false"}


@dataclass(frozen=True, order=True)
class DataIssue:
    """One problem in one place: file, CSV line (header = 1), column, value and rule."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            return f"{where}: {shown!r}: {self.rule}"
        return f"{where}: {self.rule}"


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

    def issues_for(self, name: str) -> list[DataIssue]:
        path = self.resource(name)["path"]
        return [i for i in self.issues if i.file.endswith(path)]

    def resource(self, name: str) -> dict:
        for res in self.descriptor["resources"]:
            if res["name"] == name:
                return res
        raise KeyError(name)


# ---------------------------------------------------------------------------
# Step 1: bytes to records.
# ---------------------------------------------------------------------------


@dataclass
class RawTable:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def read_records(raw: bytes, file: str) -> tuple[RawTable | None, list[DataIssue]]:
    """Decode and split a CSV file; report encoding, quoting and width problems."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.end].hex(" ")
        return None, [DataIssue(file, line, None, None, f"bytes {bad} at byte {exc.start} are not valid UTF-8")]
    if not text.strip():
        return None, [DataIssue(file, None, None, None, "file is empty: expected a header line")]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    next_start = 1
    try:
        for record in reader:
            starts.append(next_start)
            records.append(record)
            next_start = reader.line_num + 1
    except csv.Error as exc:
        reason = str(exc)
        if "end of data" in reason or "EOF" in reason:
            reason = "unterminated quote: a quoted field is never closed"
        return None, [DataIssue(file, next_start, None, None, f"cannot parse CSV ({reason})")]

    header, *body = records
    header_line, *lines = starts
    issues = []
    header = [h.strip() for h in header]
    seen = set()
    for name in header:
        if name in seen:
            issues.append(DataIssue(file, header_line, name, None, "column appears twice in the header"))
        seen.add(name)
    rows, kept = [], []
    for record, line in zip(body, lines, strict=True):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            issues.append(
                DataIssue(
                    file,
                    line,
                    None,
                    None,
                    f"row has {len(record)} fields but the header has {len(header)} (truncated row or stray comma?)",
                )
            )
            continue
        rows.append(record)
        kept.append(line)
    return RawTable(header, rows, kept), issues


# ---------------------------------------------------------------------------
# Step 2: records to typed columns.
# ---------------------------------------------------------------------------


def _parse_column(raw: pd.Series, type_: str) -> tuple[pd.Series, pd.Series, str]:
    """Return (typed values, mask of cells that failed to parse, rule text)."""
    present = raw.notna()
    if type_ == "string":
        return raw.astype("string"), pd.Series(False, index=raw.index), ""
    if type_ in ("integer", "number"):
        numbers = pd.to_numeric(raw, errors="coerce").astype("Float64")
        finite = numbers.notna() & (numbers.abs() != float("inf"))
        if type_ == "integer":
            finite &= numbers.fillna(0) == numbers.fillna(0).round()
            typed = numbers.where(finite).astype("Int64")
            return typed, present & ~finite, "expected a whole number"
        return numbers.where(finite), present & ~finite, "expected a number"
    if type_ == "boolean":
        lowered = raw.str.strip().str.lower()
        ok = lowered.isin(_TRUE | _FALSE)
        typed = lowered.map({"true": True, "false": False}).astype("boolean").where(ok)
        return typed, present & ~ok, "expected true or false"
    if type_ in ("date", "yearmonth", "partialdate"):
        patterns = {"date": [_DAY], "yearmonth": [_MONTH], "partialdate": [_DAY, _MONTH, _YEAR]}[type_]
        shape_ok = pd.Series(False, index=raw.index)
        for pattern in patterns:
            shape_ok |= raw.fillna("").str.match(pattern)
        padded = raw.where(~raw.fillna("").str.match(_MONTH), raw + "-01")
        padded = padded.where(~padded.fillna("").str.match(_YEAR), padded + "-01-01")
        real = pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce").notna()
        ok = shape_ok & real
        shapes = {"date": "YYYY-MM-DD", "yearmonth": "YYYY-MM", "partialdate": "YYYY-MM-DD, YYYY-MM or YYYY"}
        rule = f"not a real date in the form {shapes[type_]}"
        return raw.where(ok).astype("string"), present & ~ok, rule
    raise ValueError(f"unknown field type {type_!r} in the descriptor")


def type_table(
    raw: RawTable, resource: dict, file: str
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.Series, list[DataIssue]]:
    """Check the header, then parse every column to its descriptor type.

    Returns (typed frame, the raw text frame, CSV line of each row, issues)."""
    fields = resource["schema"]["fields"]
    expected = [f["name"] for f in fields]
    issues = []
    missing = [c for c in expected if c not in raw.header]
    extra = [c for c in raw.header if c not in expected]
    for col in missing:
        issues.append(DataIssue(file, 1, col, None, "required column is missing from the header"))
    for col in extra:
        issues.append(DataIssue(file, 1, col, None, f"unknown column (expected only: {', '.join(expected)})"))
    if missing or extra:
        return None, None, pd.Series(dtype=int), issues

    frame = pd.DataFrame(raw.rows, columns=raw.header, dtype="string")
    frame = frame.apply(lambda s: s.str.strip()).replace("", pd.NA)
    lines = pd.Series(raw.lines, index=frame.index, dtype=int)
    typed = {}
    for spec in fields:
        name = spec["name"]
        values, failed, rule = _parse_column(frame[name], spec["type"])
        for idx in failed[failed].index:
            issues.append(DataIssue(file, int(lines[idx]), name, str(frame.at[idx, name]), rule))
        typed[name] = values
    return pd.DataFrame(typed)[expected], frame, lines, issues


# ---------------------------------------------------------------------------
# Step 3: rules.
# ---------------------------------------------------------------------------


def _month_or_day_matches(df: pd.DataFrame) -> pd.Series:
    day = df["date"].fillna("").str.match(_DAY)
    month = df["date"].fillna("").str.match(_MONTH)
    return df["date"].isna() | ((df["date_precision"] == "day") & day) | ((df["date_precision"] == "month") & month)


def _value_unless_unverified(df: pd.DataFrame) -> pd.Series:
    return (df["status"] == "unverified") | df["value_usd_m"].notna()


def _magnet_values(df: pd.DataFrame) -> pd.Series:
    total = (df["total_status"] == "unverified") | df["tonnes_total"].notna()
    to_us = (df["to_us_status"] == "unverified") | df["tonnes_to_us"].notna()
    return total & to_us


def _claim_value(df: pd.DataFrame) -> pd.Series:
    point = df["value"].notna()
    ranged = df["value_low"].notna() & df["value_high"].notna()
    ordered = ~ranged | (df["value_low"] <= df["value_high"])
    return (point | ranged) & ordered.fillna(True)


def _value_or_share(df: pd.DataFrame) -> pd.Series:
    quantity = df["value"].notna() & df["unit"].notna()
    return quantity | df["share_pct"].notna()


SHARE_TOLERANCE_PCT = 1.0  # rounding in published shares
# One published set of figures: the same mineral, stage and year, from the same edition and source.
SUPPLY_GROUP = ["mineral", "stage", "year", "edition", "source_ids"]


def _shares_sum(df: pd.DataFrame) -> pd.Series:
    """Country shares of one mineral/stage/year from one edition and source sum to at most 100."""
    shares = df[df["share_pct"].notna() & ~df["country"].isin(["WORLD"])]
    totals = shares.groupby(SUPPLY_GROUP, dropna=False)["share_pct"].transform("sum")
    ok = pd.Series(True, index=df.index)
    ok.loc[shares.index] = totals <= 100 + SHARE_TOLERANCE_PCT
    return ok


WORLD_TOLERANCE = 0.03  # USGS rounds the world total; country figures may exceed it slightly


def _countries_sum_to_world(df: pd.DataFrame) -> pd.Series:
    """Country tonnages of one mineral/stage/year/edition/source do not exceed the world total."""
    qty = df[df["value"].notna() & df["unit"].notna()].assign(edition=df["edition"].fillna(""))
    keys = SUPPLY_GROUP
    world = qty[qty["country"] == "WORLD"].set_index(keys)["value"]
    countries = qty[qty["country"] != "WORLD"]
    sums = countries.groupby(keys)["value"].sum()
    over = sums[sums.index.isin(world.index)]
    over = over[over > world.reindex(over.index) * (1 + WORLD_TOLERANCE)]
    ok = pd.Series(True, index=df.index)
    if len(over):
        bad_keys = set(over.index)
        rows = countries[[tuple(r) in bad_keys for r in countries[keys].itertuples(index=False)]]
        ok.loc[rows.index] = False
    return ok


def _supply_identity(df: pd.DataFrame) -> pd.Series:
    """No two rows give the same figure: mineral, stage, country, year, edition and source."""
    keys = df[["mineral", "stage", "country", "year", "edition", "source_ids"]].astype("string").fillna("")
    return ~keys.duplicated(keep=False)


def _period_order(df: pd.DataFrame) -> pd.Series:
    both = df["period_start"].notna() & df["period_end"].notna()
    return ~both | (df["period_end"] >= df["period_start"])


def _periods_apart(df: pd.DataFrame) -> pd.Series:
    """A period starts after the previous one (by start) ends: no month is counted twice."""
    rows = df[df["period_start"].notna() & df["period_end"].notna()].sort_values("period_start")
    previous_end = rows["period_end"].shift()
    ok = pd.Series(True, index=df.index)
    ok.loc[rows.index] = previous_end.isna() | (rows["period_start"] > previous_end)
    return ok


def _scheduled_after_start(df: pd.DataFrame) -> pd.Series:
    both = df["from"].notna() & df["scheduled_until"].notna()
    return ~both | (df["scheduled_until"] >= df["from"])


def _rate_with_unit(df: pd.DataFrame) -> pd.Series:
    return df["rate"].isna() == df["rate_unit"].isna()


def _rate_unless_lapse(df: pd.DataFrame) -> pd.Series:
    return (df["status"] == "lapse_scheduled") == df["rate_pct"].isna()


TABLE_CHECKS = {
    "event_date_matches_precision": (
        _month_or_day_matches,
        "date",
        "date form must match date_precision (YYYY-MM-DD for day, YYYY-MM for month)",
    ),
    "value_present_unless_unverified": (
        _value_unless_unverified,
        "value_usd_m",
        "a value is required unless status is unverified",
    ),
    "magnet_value_present_unless_unverified": (
        _magnet_values,
        "tonnes_total",
        "tonnes are required unless the status is unverified",
    ),
    "claim_has_value_or_range": (
        _claim_value,
        "value",
        "needs a value, or value_low <= value_high",
    ),
    "supply_value_or_share": (
        _value_or_share,
        "value",
        "needs a value with its unit, or a share_pct",
    ),
    "shares_sum_at_most_100": (
        _shares_sum,
        "share_pct",
        "country shares of one mineral, stage, year and source add up to more than 100",
    ),
    "countries_sum_to_world": (
        _countries_sum_to_world,
        "value",
        "country values of one mineral, stage, year and source add up to more than the WORLD row",
    ),
    "supply_row_identity": (
        _supply_identity,
        "edition",
        "another row gives the same mineral, stage, country, year, edition and source",
    ),
    "period_end_not_before_start": (
        _period_order,
        "period_end",
        "period_end must not be before period_start",
    ),
    "periods_do_not_overlap": (
        _periods_apart,
        "period_start",
        "this period overlaps the period before it: a month must not be counted twice",
    ),
    "rate_present_unless_lapse_scheduled": (
        _rate_unless_lapse,
        "rate_pct",
        "a rate is required unless the status is lapse_scheduled, and a lapse_scheduled row has none",
    ),
    "scheduled_end_not_before_start": (
        _scheduled_after_start,
        "scheduled_until",
        "scheduled_until must not be before from",
    ),
    "rate_has_its_unit": (
        _rate_with_unit,
        "rate_unit",
        "a rate needs its rate_unit, and a rate_unit needs a rate",
    ),
    # Checked across tables in _check_references, listed here so the descriptor can name them.
    "states_follow_each_other": (
        None,
        "scheduled_until",
        "this state was scheduled to end before the measure's next state begins: record what came between",
    ),
    "link_goes_forward_in_time": (None, "to_event", "a link must not point back in time"),
    "deadline_in_coverage_has_outcome": (
        None,
        "outcome_event",
        "this date is on or before the coverage end (curated_to in data/datapackage.json): "
        "name the event that records its outcome",
    ),
}


def build_schema(resource: dict) -> pa.DataFrameSchema:
    """A pandera schema for a typed table, from its descriptor entry."""
    dtypes = {
        "string": "string",
        "integer": "Int64",
        "number": "Float64",
        "boolean": "boolean",
        "date": "string",
        "yearmonth": "string",
        "partialdate": "string",
    }
    columns = {}
    for spec in resource["schema"]["fields"]:
        c = spec.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"], error=f"must be one of: {', '.join(c['enum'])}"))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"], error=f"must be at least {c['minimum']}"))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"], error=f"must be at most {c['maximum']}"))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(c["pattern"], error=f"must match {c['pattern']}"))
        columns[spec["name"]] = pa.Column(
            dtypes[spec["type"]],
            checks=checks,
            nullable=not c.get("required", False),
            unique=c.get("unique", False),
            report_duplicates="all",
        )
    table_checks = []
    for name in resource.get("x_checks", []):
        func, _column, message = TABLE_CHECKS[name]
        if func is not None:
            table_checks.append(pa.Check(func, name=name, error=message))
    key = resource["schema"].get("primaryKey", [])
    return pa.DataFrameSchema(
        columns,
        checks=table_checks,
        unique=key if len(key) > 1 else None,
        report_duplicates="all",
        strict=True,
        ordered=True,
    )


_CHECK_BY_MESSAGE = {message: name for name, (_f, _c, message) in TABLE_CHECKS.items()}


def _rule_text(check: str, column: str | None, resource: dict) -> str:
    if check == "not_nullable":
        return "required value is empty"
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        key = resource["schema"].get("primaryKey", [])
        return "duplicate id" if len(key) == 1 else f"duplicate key ({', '.join(key)})"
    if check in TABLE_CHECKS:
        return TABLE_CHECKS[check][2]
    return check


def check_rules(
    df: pd.DataFrame,
    raw: pd.DataFrame,
    lines: pd.Series,
    resource: dict,
    file: str,
    already: set[tuple[int, str | None]],
) -> list[DataIssue]:
    """Check the typed frame; report values as the curator wrote them (from ``raw``)."""
    schema = build_schema(resource)
    try:
        schema.validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    # Column rules first: where a cell breaks both a column rule and a table rule, the
    # column rule is the more specific message and the one reported.
    is_table_check = cases["check"].astype(str).isin(_CHECK_BY_MESSAGE)
    cases = pd.concat([cases[~is_table_check], cases[is_table_check]])
    issues = []
    for case in cases.itertuples(index=False):
        idx = case.index
        if idx is None or pd.isna(idx):
            continue
        idx = int(idx)
        line = int(lines[idx])
        check = _CHECK_BY_MESSAGE.get(str(case.check), str(case.check))
        column = case.column if isinstance(case.column, str) and case.column in df.columns else None
        if check in TABLE_CHECKS:
            column = TABLE_CHECKS[check][1]
        if check == "multiple_fields_uniqueness":
            column = ", ".join(resource["schema"]["primaryKey"])
        if (line, column) in already:
            continue  # the cell already failed to parse; do not report it twice
        already.add((line, column))
        value = None if column is None or column not in raw.columns else raw.at[idx, column]
        value = None if value is None or pd.isna(value) else str(value)
        issues.append(DataIssue(file, line, column, value, _rule_text(check, column, resource)))
    return issues


# ---------------------------------------------------------------------------
# Loading everything.
# ---------------------------------------------------------------------------


def read_descriptor(data_dir: Path) -> dict:
    return json.loads((data_dir / DESCRIPTOR).read_text(encoding="utf-8"))


def load_table(data_dir: Path, resource: dict) -> tuple[pd.DataFrame | None, pd.Series, list[DataIssue]]:
    """Read, type and rule-check one table. The frame is None when it could not be typed."""
    path = data_dir / resource["path"]
    file = f"data/{resource['path']}"
    if not path.exists():
        return None, pd.Series(dtype=int), [DataIssue(file, None, None, None, "file is missing")]
    raw, issues = read_records(path.read_bytes(), file)
    if raw is None:
        return None, pd.Series(dtype=int), issues
    df, text, lines, type_issues = type_table(raw, resource, file)
    issues += type_issues
    if df is None:
        return None, lines, issues
    already = {(i.line, i.column) for i in type_issues}
    issues += check_rules(df, text, lines, resource, file, already)
    return df, lines, issues


def _split_ids(series: pd.Series, separator: str | None) -> pd.Series:
    values = series.dropna()
    if separator:
        values = values.str.split(separator).explode().str.strip()
    return values


def _check_references(frames: dict, lines: dict, descriptor: dict) -> list[DataIssue]:
    issues = []
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
            known = set(target[ref["field"]].dropna())
            ids = _split_ids(df[spec["name"]], ref.get("separator"))
            for idx, value in ids[~ids.isin(known)].items():
                issues.append(
                    DataIssue(
                        file,
                        int(lines[res["name"]][idx]),
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
            return dt.date.fromisoformat(value) if isinstance(value, str) and _DAY.match(value) else None
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
