"""The record as known on a date, in the running app: every page honours ``asof``, says so in a
banner with the way back to now, and the link keeps it (the replay itself: test_replay.py)."""

from __future__ import annotations

import re

import pytest

from support.apptest import PAGES, open_page, share_link, texts, unescape


@pytest.mark.parametrize("page", PAGES)
def test_every_page_honours_the_date_and_says_so(page):
    at = open_page(page, asof="2025-07-15")
    assert not at.exception and not at.error, [e.value for e in at.error]
    banner = next(i.value for i in at.info if "As known on 2025-07-15" in i.value)
    assert re.search(r"[\d,]+ fact rows published later are left out", banner)
    assert re.search(r"[\d,]+ of the rows shown have sources with no recorded publication date", banner)
    assert at.button(key="asof_off")
    assert "asof=2025-07-15" in share_link(at)


def test_the_timeline_shows_only_what_was_published_by_then():
    def count(at) -> tuple[int, int]:
        shown, total = re.search(r"([\d,]+) of ([\d,]+) events", texts(at)).groups()
        return int(shown.replace(",", "")), int(total.replace(",", ""))

    now, then = open_page("timeline"), open_page("timeline", asof="2025-07-15")
    assert 0 < count(then)[0] < count(now)[0]
    assert "as known on 2025-07-15" in texts(then)  # the filtered line says it too


def test_back_to_now_drops_the_date_from_the_view_and_the_link():
    at = open_page("timeline", asof="2025-07-15", lever="chips")
    at = at.button(key="asof_off").click().run()
    assert not any("As known on" in i.value for i in at.info)
    assert share_link(at).endswith("/timeline?lever=chips")


def test_a_date_outside_the_record_is_clamped_and_said():
    at = open_page("timeline", asof="1999-01-01")
    assert not at.exception
    notice = unescape(next(w.value for w in at.warning if "not used" in w.value))
    first = at.date_input(key="asof").value
    assert f"As known on: 1999-01-01 is outside {first.isoformat()} to" in notice
    assert any(f"As known on {first.isoformat()}" in i.value for i in at.info)


def test_the_scenario_says_which_defaults_were_not_known_then():
    early = open_page("revenue", show="scenario", asof="2025-03-01")
    assert any("rest on facts published later" in w.value for w in early.warning)
