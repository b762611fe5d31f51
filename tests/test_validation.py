"""Each corruption class gives its exact message, and the curator command's exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset, read_descriptor

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
        "column named twice",
        "links",
        lambda b: b.replace(b"\n", b",documented\n").replace(b",documented\n", b",basis\n", 1),
        ["data/links.csv, line 1, column 'basis': column appears twice in the header"],
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
        "date in digits other than 0-9",
        "events",
        replace(b"E27,2025-04-04,day", "E27,\u0662\u0660\u0662\u0665-04-04,day".encode()),
        [
            "data/events.csv, line 28, column 'date': '\u0662\u0660\u0662\u0665-04-04': not a real date in the "
            "form YYYY-MM-DD, YYYY-MM or YYYY"
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
        lambda b: b + b"S999,rare_earths,magnets,JP,2025,,,20,exact,reported,,bs_bloomberg_20250618,\n",
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
        "two-month period ending before it starts",
        "magnet_exports",
        replace(b"2025-11,2025-11,6150", b"2025-11,2025-10,6150"),
        [
            "data/magnet_exports.csv, line 13, column 'period_end': '2025-10': "
            "period_end must not be before period_start"
        ],
    ),
    (
        "periods that overlap",
        "magnet_exports",
        replace(b"2025-10,2025-10,5473", b"2025-10,2025-11,5473"),
        [
            "data/magnet_exports.csv, line 13, column 'period_start': '2025-11': this period overlaps the period "
            "before it: a month must not be counted twice"
        ],
    ),
    (
        "supply row repeated within one edition",
        "supply",
        lambda b: b + b"S999,rare_earths,mining,CN,2024,270000,t_reo,,exact,estimate,MCS 2025,usgs_mcs2025_ree,\n",
        [
            "data/supply.csv, line 3, column 'edition': 'MCS 2025': another row gives the same mineral, stage, "
            "country, year, edition and source",
            "data/supply.csv, line 62, column 'edition': 'MCS 2025': another row gives the same mineral, stage, "
            "country, year, edition and source",
        ],
    ),
    (
        "edition not named like 'MCS 2026'",
        "supply",
        replace(b"estimate,MCS 2025,usgs", b"estimate,2025 edition,usgs"),
        ["data/supply.csv, line 3, column 'edition': '2025 edition': must match ^[A-Za-z]+( [A-Za-z]+)* \\d{4}$"],
    ),
    (
        "tariff rate missing outside a scheduled lapse",
        "tariffs",
        replace(b"us_ieepa_fentanyl,2025-02-04,10,in_force", b"us_ieepa_fentanyl,2025-02-04,,in_force"),
        [
            "data/tariffs.csv, line 2, column 'rate_pct': a rate is required unless the status is lapse_scheduled, "
            "and a lapse_scheduled row has none"
        ],
    ),
    (
        "tariff layer not declared",
        "tariffs",
        replace(b"us_ieepa_fentanyl,2025-02-04", b"us_ieepa_fentanil,2025-02-04"),
        ["data/tariffs.csv, line 2, column 'layer': 'us_ieepa_fentanil': unknown id: not in data/tariff_layers.csv"],
    ),
    (
        "deadline inside the coverage with no outcome",
        "deadlines",
        replace(b"D03,2026-11-10", b"D03,2025-11-10"),
        [
            "data/deadlines.csv, line 2, column 'outcome_event': this date is on or before the coverage end "
            "(curated_to in data/datapackage.json): name the event that records its outcome"
        ],
    ),
    (
        "deadline outcome that is not an event",
        "deadlines",
        replace(b"magnets,E54,,m26_frominsideasia", b"magnets,E54,E999,m26_frominsideasia"),
        ["data/deadlines.csv, line 2, column 'outcome_event': 'E999': unknown id: not in data/events.csv"],
    ),
    (
        "measure state scheduled to end before it begins",
        "measure_states",
        replace(b"M01,suspended,2025-11-09,2026-11-27", b"M01,suspended,2025-11-09,2025-11-01"),
        [
            "data/measure_states.csv, line 3, column 'scheduled_until': '2025-11-01': scheduled_until must not be "
            "before from",
            "data/measure_states.csv, line 3, column 'scheduled_until': '2025-11-01': this state's scheduled end is "
            "on or before the coverage end (curated_to in data/datapackage.json): record the state that followed",
        ],
    ),
    (
        "rate without its unit",
        "measure_states",
        replace(b",15,percent of revenue,", b",15,,"),
        [
            "data/measure_states.csv, line 6, column 'rate_unit': "
            "a rate needs its rate_unit, and a rate_unit needs a rate"
        ],
    ),
    (
        "gap between a measure's states",
        "measure_states",
        replace(b"M01,in_force,2024-12-03,,E19", b"M01,in_force,2024-12-03,2025-06-01,E19"),
        [
            "data/measure_states.csv, line 2, column 'scheduled_until': '2025-06-01': this state was scheduled to "
            "end before the measure's next state begins: record what came between"
        ],
    ),
    (
        "scheduled end inside the coverage with no state after it",
        "measure_states",
        replace(b"M02,in_force,2025-04-04,,E27", b"M02,in_force,2025-04-04,2025-10-01,E27"),
        [
            "data/measure_states.csv, line 4, column 'scheduled_until': '2025-10-01': this state's scheduled end is "
            "on or before the coverage end (curated_to in data/datapackage.json): record the state that followed"
        ],
    ),
    (
        "state change that points to no event",
        "measure_states",
        replace(b"M02,in_force,2025-04-04,,E27", b"M02,in_force,2025-04-04,,E999"),
        ["data/measure_states.csv, line 4, column 'event_id': 'E999': unknown id: not in data/events.csv"],
    ),
    (
        "measure with an unknown side",
        "measures",
        replace(
            b',CN,magnets,China Export Control Law,cn_mofcom,"Exports',
            b',PRC,magnets,China Export Control Law,cn_mofcom,"Exports',
        ),
        ["data/measures.csv, line 2, column 'side': 'PRC': must be one of: US, CN"],
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
    ds = load_dataset(data_copy(table, change))  # loaded once: a load validates all thirteen tables
    assert [str(i) for i in ds.issues] == expected
    assert ds.broken == {table}
    assert table not in ds.tables


def test_all_errors_are_collected_not_just_the_first(data_copy):
    data_copy("revenue", replace(b",17108,", b",17k,"))
    data_copy("events", replace(b"E27,2025-04-04,day", b"E27,2025-02-31,day"))
    data_dir = data_copy("supply", replace(b",,92,exact", b",,192,exact"))
    ds = load_dataset(data_dir)
    assert ds.broken == {"revenue", "events", "supply"}
    assert len(ds.issues) == 3


def test_a_table_checked_before_comes_as_a_copy_and_an_edited_one_is_checked_again(data_copy):
    """Tables are kept by their bytes once checked: a second load of unchanged files gets its own
    frames (a change to one does not reach the next load); a changed file is checked anew."""
    first = load_dataset(data_copy.dir)
    title = first.tables["events"].at[0, "title"]
    first.tables["events"].loc[0, "title"] = "changed by a caller"
    again = load_dataset(data_copy.dir)
    assert again.tables["events"].at[0, "title"] == title
    assert not again.issues
    edited = data_copy("events", replace(b"E27,2025-04-04,day", b"E27,2025-02-31,day"))
    assert issues_of(edited) == [
        "data/events.csv, line 28, column 'date': '2025-02-31': not a real date in the form YYYY-MM-DD, YYYY-MM or YYYY"
    ]


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
    lines = [line for line in result.stdout.strip().splitlines() if not line.startswith("note: ")]
    tables = len(read_descriptor(DEFAULT_DATA_DIR)["resources"])
    assert len(lines) == 1 and lines[0].startswith(f"ok: {tables} tables, ")


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


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [
        (None, ["data/datapackage.json, column 'x_coverage': missing: give curated_to and searched_to (YYYY-MM-DD)"]),
        (
            {"curated_to": "2025-12-32", "searched_to": "2025-12-08"},
            ["data/datapackage.json, column 'x_coverage.curated_to': '2025-12-32': must be a real date (YYYY-MM-DD)"],
        ),
        (
            {"curated_to": "2025-12-09", "searched_to": "2025-12-08"},
            ["data/datapackage.json, column 'x_coverage.curated_to': '2025-12-09': must not be after searched_to"],
        ),
    ],
)
def test_the_coverage_end_is_a_checked_fact(data_copy, coverage, expected):
    path = data_copy.dir / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    if coverage is None:
        del package["x_coverage"]
    else:
        package["x_coverage"] = coverage
    path.write_text(json.dumps(package), encoding="utf-8")
    assert issues_of(data_copy.dir) == expected


def test_the_quoted_ids_file_is_checked_like_the_data(tmp_path, record):
    from chipsmag import content

    good = content.CONTENT_FILE.read_text(encoding="utf-8")
    missing = tmp_path / "missing.toml"
    missing.write_text(good.replace('id = "L17"', 'id = "L999"'), encoding="utf-8")
    assert content.check(record.tables, missing) == ["missing.toml: [overview] magnets_quote: L999 not in links"]
    broken = tmp_path / "broken.toml"
    broken.write_text("[overview\nhuang = 1\n", encoding="utf-8")
    (problem,) = content.check(record.tables, broken)
    assert problem.startswith("broken.toml: cannot be read:")
    shapeless = tmp_path / "shapeless.toml"
    shapeless.write_text('[overview]\nhuang = { table = "claims" }\n', encoding="utf-8")
    assert content.check(record.tables, shapeless) == [
        "shapeless.toml: [overview] huang needs a table and an id (or ids)"
    ]
    assert content.check(record.tables) == []


def test_a_coded_value_without_a_label_is_named(tmp_path):
    import json

    from chipsmag import vocab

    descriptor = json.loads(vocab.DESCRIPTOR.read_text(encoding="utf-8"))
    field = next(
        f
        for r in descriptor["resources"]
        if r["name"] == "events"
        for f in r["schema"]["fields"]
        if f["name"] == "lever"
    )
    del field["x_labels"]["both"]
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    vocab._fields.cache_clear()
    try:
        assert vocab.problems(path) == ["datapackage.json: events.lever: no x_labels for both"]
    finally:
        vocab._fields.cache_clear()
    assert vocab.problems() == []
