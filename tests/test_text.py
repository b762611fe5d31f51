"""Text from the data stays text: markdown made inert, figures formatted, CSV downloads safe in spreadsheets."""

from __future__ import annotations

import csv
import io

import pandas as pd

from chipsmag.text import csv_text, format_event_date, md_escape, md_link, usd_m


def test_markdown_in_data_is_inert():
    assert md_escape("[x](http://e.vil)") == r"\[x\]\(http\://e\.vil\)"
    assert md_escape("<script>alert(1)</script>") == r"\<script\>alert\(1\)\</script\>"
    assert md_link("a]b", "javascript:alert(1)") == r"a\]b"
    assert md_link("Site", "https://example.org/a") == "[Site](https://example.org/a)"


def test_formats():
    assert format_event_date("2019-06", "month") == "Jun 2019 (month)"
    assert format_event_date("2025-04-04", "day") == "4 Apr 2025"
    assert usd_m(17108) == "$17.1B" and usd_m(15000) == "$15B" and usd_m(800) == "$800M"


def test_csv_downloads_make_formula_like_text_inert_and_keep_numbers():
    frame = pd.DataFrame(
        {
            "note": ["+157.5% m/m", '=HYPERLINK("http://x")', "@SUM(A1)", "plain", None, "<script>alert(1)</script>"],
            "value": [-6.1, 1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["note", "value"]
    assert [r[0] for r in rows[1:]] == [
        "'+157.5% m/m",
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "plain",
        "",
        "<script>alert(1)</script>",  # a CSV is text: markup stays as written, nothing renders it
    ]
    assert rows[1][1] == "-6.1"  # numbers are not text: left as they are
