"""Reading a curated table: bytes to records (step 1) and records to typed columns (step 2), each
reporting every problem it finds as a ``DataIssue`` (file, line, column, value, rule)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

# Digits 0-9 only, in Python's re as in pandas' Arrow-backed string matching (RE2).
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
YEAR = re.compile(r"^[0-9]{4}$")
_BOOLEANS = {"true": True, "false": False}


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


def _parse_column(cells: list[str | None], column: pd.Series, type_: str) -> tuple[pd.Series, list[int], str]:
    """Return (typed values, positions of the cells that failed to parse, rule text).

    ``cells`` are the column's stripped cells (None where empty) and ``column`` the same as strings.
    Cell by cell in plain Python where that serves: on tables of a few hundred rows, pandas' string
    methods and masks cost about a millisecond each a column, and a load types some 130 columns."""
    if type_ == "string":
        return column, [], ""  # the cells are strings already
    if type_ in ("integer", "number"):
        numbers = pd.to_numeric(column, errors="coerce").astype("Float64")
        finite = numbers.notna() & (numbers.abs() != float("inf"))
        if type_ == "integer":
            finite &= numbers.fillna(0) == numbers.fillna(0).round()
            typed, rule = numbers.where(finite).astype("Int64"), "expected a whole number"
        else:
            typed, rule = numbers.where(finite), "expected a number"
        return typed, [pos for pos, ok in enumerate(finite.tolist()) if not ok and cells[pos] is not None], rule
    if type_ == "boolean":
        values = [None if cell is None else _BOOLEANS.get(cell.lower()) for cell in cells]
        failed = [pos for pos, value in enumerate(values) if value is None and cells[pos] is not None]
        return pd.Series(pd.array(values, dtype="boolean"), index=column.index), failed, "expected true or false"
    if type_ in ("date", "yearmonth", "partialdate"):
        # pandas decides which dates of an allowed shape (padded to YYYY-MM-DD) are real, in one call.
        patterns = {"date": (DAY,), "yearmonth": (MONTH,), "partialdate": (DAY, MONTH, YEAR)}[type_]
        padded = {}  # row position -> the cell as YYYY-MM-DD, for cells of an allowed shape
        for pos, cell in enumerate(cells):
            if cell is not None and any(pattern.match(cell) for pattern in patterns):
                padded[pos] = cell + ("-01" if MONTH.match(cell) else "-01-01" if YEAR.match(cell) else "")
        real = pd.to_datetime(pd.Series(list(padded.values()), dtype=object), format="%Y-%m-%d", errors="coerce")
        ok = [False] * len(cells)
        for pos, when in zip(padded, real, strict=True):
            ok[pos] = when is not pd.NaT
        failed = [pos for pos, cell in enumerate(cells) if cell is not None and not ok[pos]]
        forms = {"date": "YYYY-MM-DD", "yearmonth": "YYYY-MM", "partialdate": "YYYY-MM-DD, YYYY-MM or YYYY"}
        return column.where(pd.Series(ok, index=column.index)), failed, f"not a real date in the form {forms[type_]}"
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
    if missing or extra or len(set(raw.header)) < len(raw.header):  # a column named twice: reported when read
        return None, None, pd.Series(dtype=int), issues

    # Cells stripped, empty ones missing, column by column in plain Python before one frame is
    # built (pandas' strip and replace, column by column, cost about 80 ms a load).
    columns = zip(*raw.rows, strict=True) if raw.rows else ((),) * len(raw.header)
    cells = {
        name: [value if (value := cell.strip()) else None for cell in column]
        for name, column in zip(raw.header, columns, strict=True)
    }
    frame = pd.DataFrame({name: pd.array(values, dtype="string") for name, values in cells.items()})
    lines = pd.Series(raw.lines, index=frame.index, dtype=int)
    typed = {}
    for spec in fields:
        name = spec["name"]
        values, failed, rule = _parse_column(cells[name], frame[name], spec["type"])
        for pos in failed:
            issues.append(DataIssue(file, raw.lines[pos], name, cells[name][pos], rule))
        typed[name] = values
    return pd.DataFrame(typed), frame, lines, issues  # typed in the descriptor's order
