"""Each corruption class gives its exact message, and the curator command's exit codes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from chipsmag.loading import load_dataset

from .conftest import ROOT


def issues_of(data_dir):
    return [str(i) for i in load_dataset(data_dir).issues]


def drop_column(name: str):
    def change(raw: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(raw.decode())))
        at = rows[0].index(name)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
        return out.getvalue().encode()

    return change


def replace(old: bytes, new: bytes):
    def change(raw: bytes) -> bytes:
        assert old in raw, old
        return raw.replace(old, new, 1)

    return change


CASES = [
    ("empty file", "events", lambda b: b"", ["data/events.csv: file is empty: expected a header line"]),
    (
        "unterminated quote",
        "events",
        lambda b: b + b'E60,2025-12-09,day,"Broken,desc,nvidia,corporate,chips,false,wion_20251209\n',
        ["data/events.csv, line 61: cannot parse CSV (unterminated quote: a quoted field is never closed)"],
    ),
    (
        "truncated row",
        "events",
        lambda b: b + b"E60,2025-12-09,day,Title\n",
        ["data/events.csv, line 61: row has 4 fields but the header has 10 (truncated row or stray comma?)"],
    ),
    (
        "missing column",
        "actors",
        drop_column("country"),
        ["data/actors.csv, line 1, column 'country': required column is missing from the header"],
    ),
    (
        "unknown extra column",
        "revenue",
        lambda b: b.replace(b"\n", b",x\n"),
        [
            "data/revenue.csv, line 1, column 'x': unknown column (expected only: company, fiscal_period, "
            "period_type, period_end, metric, value_usd_m, status, source_ids, note)"
        ],
    ),
    (
        "impossible date",
        "events",
        replace(b"E27,2025-04-04,day", b"E27,2025-02-31,day"),
        [
            "data/events.csv, line 28, column 'date': '2025-02-31': not a real date in the form "
            "YYYY-MM-DD, YYYY-MM or YYYY"
        ],
    ),
    (
        "text in a number column",
        "revenue",
        replace(b",17108,", b",17k,"),
        ["data/revenue.csv, line 26, column 'value_usd_m': '17k': expected a number"],
    ),
    (
        "negative revenue",
        "revenue",
        replace(b",17108,", b",-17108,"),
        ["data/revenue.csv, line 26, column 'value_usd_m': '-17108': must be at least 0"],
    ),
    (
        "share over 100",
        "supply",
        replace(b",,92,exact", b",,192,exact"),
        ["data/supply.csv, line 47, column 'share_pct': '192': must be at most 100"],
    ),
    (
        "dangling source id",
        "events",
        replace(b"lurray_2018", b"no_such_source"),
        ["data/events.csv, line 2, column 'source_ids': 'no_such_source': unknown id: not in data/sources.csv"],
    ),
    (
        "duplicate id",
        "events",
        replace(b"E02,", b"E01,"),
        [
            "data/events.csv, line 2, column 'id': 'E01': duplicate id",
            "data/events.csv, line 3, column 'id': 'E01': duplicate id",
        ],
    ),
    (
        "bytes that are not UTF-8",
        "events",
        replace(b"Huawei put", b"Hu\xe9awei put"),
        ["data/events.csv, line 3: bytes e9 at byte 341 are not valid UTF-8"],
    ),
    (
        "shares of one basis summing over 100",
        "supply",
        lambda b: b + b"S999,rare_earths,magnets,JP,2025,,,20,exact,reported,bs_bloomberg_20250618,\n",
        [
            "data/supply.csv, line 50, column 'share_pct': '90': country shares of one mineral, stage, "
            "year and source add up to more than 100",
            "data/supply.csv, line 62, column 'share_pct': '20': country shares of one mineral, stage, "
            "year and source add up to more than 100",
        ],
    ),
    (
        "link pointing back in time",
        "links",
        replace(b"L01,E07,E09", b"L01,E09,E07"),
        ["data/links.csv, line 2, column 'to_event': 'E07': a link must not point back in time"],
    ),
    (
        "month-only date with day precision",
        "events",
        replace(b"E03,2019-06,month", b"E03,2019-06,day"),
        [
            "data/events.csv, line 4, column 'date': '2019-06': date form must match date_precision "
            "(YYYY-MM-DD for day, YYYY-MM for month)"
        ],
    ),
    (
        "value outside the allowed list",
        "events",
        replace(b",tariff,both,", b",tarrif,both,"),
        [
            "data/events.csv, line 2, column 'category': 'tarrif': must be one of: export_control, tariff, "
            "rare_earth, corporate, market, negotiation, investment"
        ],
    ),
    (
        "required value empty",
        "events",
        replace(b"First Section 301 tariffs hit China", b""),
        ["data/events.csv, line 2, column 'title': required value is empty"],
    ),
]


@pytest.mark.parametrize(("label", "table", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_corruption_gives_its_exact_message(data_copy, label, table, change, expected):
    data_dir = data_copy(table, change)
    assert issues_of(data_dir) == expected
    ds = load_dataset(data_dir)
    assert ds.broken == {table}
    assert table not in ds.tables


def test_all_errors_are_collected_not_just_the_first(data_copy):
    data_copy("revenue", replace(b",17108,", b",17k,"))
    data_copy("events", replace(b"E27,2025-04-04,day", b"E27,2025-02-31,day"))
    data_dir = data_copy("supply", replace(b",,92,exact", b",,192,exact"))
    ds = load_dataset(data_dir)
    assert ds.broken == {"revenue", "events", "supply"}
    assert len(ds.issues) == 3


def test_other_tables_stay_usable_when_one_is_broken(data_copy):
    ds = load_dataset(data_copy("magnet_exports", lambda b: b""))
    assert "magnet_exports" not in ds.tables
    assert {"events", "revenue", "supply", "links"} <= set(ds.tables)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "chipsmag.validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_curator_command_passes_on_bundled_data():
    result = run_cli()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ok: 9 tables, ")


def test_curator_command_lists_every_issue_and_fails(data_copy):
    data_copy("revenue", replace(b",17108,", b",17k,"))
    data_dir = data_copy("events", replace(b"lurray_2018", b"no_such_source"))
    result = run_cli(str(data_dir))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/events.csv, line 2, column 'source_ids': 'no_such_source': unknown id: not in data/sources.csv",
        "data/revenue.csv, line 26, column 'value_usd_m': '17k': expected a number",
    ]
    assert "2 issue(s) in 2 table(s): events, revenue" in result.stderr


def test_curator_command_on_a_folder_without_descriptor(tmp_path):
    result = run_cli(str(tmp_path))
    assert result.returncode == 2
    assert "cannot read the data package" in result.stderr
