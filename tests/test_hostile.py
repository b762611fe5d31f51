"""Hostile input at serve time: any URL a visitor can type, and every corruption class of the
curated tables. Nothing may raise, and what was dropped or broken is named on the page."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from app_pages import page_params
from chipsmag import scenario
from chipsmag.filters import CATEGORY_LABELS, date_bounds, with_plot_dates
from chipsmag.loading import load_dataset
from chipsmag.text import shorten
from chipsmag.urlstate import RESERVED, review_query
from components.data import today
from components.filters import shared_params
from support.apptest import PAGES as PAGES_ALL
from support.apptest import charts_of, open_page, texts

from .test_validation import CASES

DS = load_dataset()
ACTOR_NAMES = dict(zip(DS.tables["actors"]["id"], DS.tables["actors"]["name"], strict=True))
BOUNDS = date_bounds(with_plot_dates(DS.tables["events"]), DS.coverage.searched_to)
PARAMS = shared_params(ACTOR_NAMES, BOUNDS) + list(page_params(DS, today()))
SCENARIO_KEYS = {i.name: i.key for i in scenario.INPUTS}
DEFAULTS = scenario.PRESETS[scenario.DEFAULT_PRESET]
PAGES = list(PAGES_ALL)

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "![x](https://example.invalid/x.png)",
    "'; DROP TABLE events; --",
    "1 OR 1=1",
    '" OR ""="',
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e309",
    "-0",
    "2025-02-31",
    "2025-13-01",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "2025-1-1",
    "",
    " ",
    "%00",
    "\x00",
    "\u202e",
    "../../etc/passwd",
    "**bold** _it_ `code` $x$",
]
LONG = st.integers(4_990, 5_010).map(lambda n: "A" * (n - 3) + "<b>")


def values_for(key: str) -> st.SearchStrategy[str]:
    """Garbage for any key, and now and then a value that key really accepts."""
    p = next((x for x in PARAMS if x.key == key), None)
    good: list[str] = []
    if p is not None and p.options:
        good = list(p.options[:20])
    elif p is not None and p.kind == "date_range":
        good = ["2025-01-01", "2025-06-30", "2024-12-31"]
    elif p is not None and p.kind == "number":
        good = [str(p.limits[0]), str(p.limits[1]), str((p.limits[0] + p.limits[1]) / 2)]
    strategies = [st.sampled_from(NASTY), st.text(max_size=20), LONG]
    if good:
        strategies.append(st.sampled_from(good))
    return st.one_of(*strategies)


KEYS = st.one_of(
    st.sampled_from([p.key for p in PARAMS]),
    st.sampled_from(["foo", "<script>", "dates[]", "actor ", "ACTOR", "__proto__", "s_fee;drop"]),
)


@st.composite
def queries(draw) -> dict[str, list[str]]:
    keys = draw(st.lists(KEYS, min_size=1, max_size=5, unique=True))
    query = {k: draw(st.lists(values_for(k), min_size=1, max_size=4)) for k in keys}
    if draw(st.booleans()):  # open the scenario, so that its sliders meet the link too
        query["show"] = ["Scenario"]
    return query


def _named(value: str, notices: list[str]) -> bool:
    return any(repr(shorten(value, 40)) in n for n in notices)


@settings(max_examples=400, deadline=None)
@given(query=queries(), page=st.sampled_from(PAGES))
def test_the_review_names_every_key_and_value_it_drops(query, page):
    review = review_query(query, PARAMS, page)
    known = {p.key: p for p in PARAMS if p.page in (None, page)}
    for key, values in query.items():
        if key in RESERVED:
            continue
        p = known.get(key)
        if p is None:
            assert key in review.drop_keys and _named(key, review.notices), (key, review.notices)
            continue
        said = [n for n in review.notices if n.startswith(p.label + ":")]
        if p.kind == "date":  # one date: dropped if not a date (named), clamped if outside (named)
            day = None
            if len(values) == 1 and len(values[0]) == 10:
                with contextlib.suppress(ValueError):
                    day = dt.date.fromisoformat(values[0])
            assert (key in review.drop_keys) == (day is None), (values, review.drop_keys)
            assert bool(said) == (day is None or not p.bounds[0] <= day <= p.bounds[1]), (values, said)
            continue
        if p.kind == "flag":  # true or false, in any case; anything else is dropped and named
            fine = len(values) == 1 and values[0].strip().casefold() in ("true", "false")
            assert (key in review.drop_keys) != fine and bool(said) != fine, (values, said)
            continue
        if p.kind != "date_range":
            assert key not in review.drop_keys
        if p.kind in ("multi", "one"):
            unknown = [v for v in values if p.match(v) is None and v != ""]  # ids and labels, any case
            if unknown:
                assert said, (key, values)
                assert _named(unknown[0], said), (unknown[0], said)
            if p.kind == "one" and len(values) > 1:
                assert any("given" in n for n in said)
            if not unknown and not (p.kind == "one" and len(values) > 1):
                assert not said, said
        elif p.kind == "number":
            try:
                number = float(values[0])
                fine = len(values) == 1 and number == number and p.limits[0] <= number <= p.limits[1]
            except ValueError:
                fine = False
            assert bool(said) != fine, (values, said)
        else:  # date_range: anything but one or two real in-range dates, in order, is said
            try:
                dates = [dt.date.fromisoformat(v) if len(v) == 10 else None for v in values]
            except ValueError:
                dates = [None]
            fine = (
                len(values) <= 2
                and None not in dates
                and all(BOUNDS[0] <= d <= BOUNDS[1] for d in dates)
                and dates == sorted(dates)
            )
            assert bool(said) != fine, (values, said)
            # A range it resets is dropped from the link (the widget falls back to every date); one
            # given end first is kept and swapped.
            swapped = len(values) == 2 and None not in dates and dates != sorted(dates)
            in_range = None not in dates and all(BOUNDS[0] <= d <= BOUNDS[1] for d in dates)
            assert (key in review.drop_keys) == (not fine and not (swapped and in_range)), (values, review)


@settings(
    max_examples=30,  # each a full app run (about 0.6 s); the review itself gets 400 examples above, in milliseconds
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # each example is a real app run: report it, do not shrink
)
@given(query=queries(), page=st.sampled_from(PAGES))
@example(
    query={
        "show": ["Scenario"],
        "s_fee": ["1e1"],
        "s_market": ["NaN"],
        "s_share": ["Infinity"],
        "s_uptake": ["5", "6"],
    },
    page="revenue",
)
@example(
    query={"dates": ["2025-06-30", "2025-01-01"], "lanes": ["side", "lever"], "event": ["E28", "E29"]}, page="timeline"
)
@example(query={"dates": ["2025-02-31"], "actor": ["<script>alert(1)</script>", "Nvidia"]}, page="linkage")
def test_any_link_opens_every_page_without_exception_and_says_what_it_dropped(query, page):
    """The real app, on the real data, with whatever a link holds (derandomized: the same
    examples every run, so a failure reproduces)."""
    at = open_page(page, **query)
    assert not at.exception, [e.value for e in at.exception]
    review = review_query(query, PARAMS, page)
    shown = texts(at)
    if review.notices:
        assert "Parts of this link were not used" in shown
        for notice in review.notices:
            assert notice.replace("\r", " ").replace("\n", " ")[:60] in shown, notice
    else:
        assert "Parts of this link were not used" not in shown
    for key in review.drop_keys:  # a reset range is the widget's default, which the browser leaves out of the URL
        assert key not in at.query_params or at.date_input(key=key).value == BOUNDS, key
    # What the notice says is what the widgets do: a value not named is used, a value named is not.
    said = {p.key for p in PARAMS for n in review.notices if n.startswith(p.label + ":")}
    dates = at.date_input(key="dates").value
    if "dates" in query and "dates" not in said:
        assert [d.isoformat() for d in dates] == query["dates"], (query["dates"], dates)
    elif "dates" in review.corrections:
        assert tuple(dates) == review.corrections["dates"]
    else:
        assert tuple(dates) == BOUNDS
    sliders = {s.key: s.value for s in at.slider}  # the scenario section, when the link opens it
    if "preset" not in query:
        for name, key in SCENARIO_KEYS.items():
            if key not in sliders or name == "licence_start":
                continue
            value = sliders[key]
            if key in query and key not in said:
                assert value == float(query[key][0]), (key, query[key], value)
            else:
                assert value == getattr(DEFAULTS, name), (key, query.get(key), value)
    values = {"actor": set(ACTOR_NAMES), "category": set(CATEGORY_LABELS)}  # these hold ids, shown as labels
    for box in at.multiselect:
        allowed = values.get(box.key) or {o for p in PARAMS if p.key == box.key for o in p.options}
        assert set(box.value) <= allowed, (box.key, box.value)


TABLE_PAGES = {  # table: (a page that needs it, a page that does not, if any draws charts)
    "events": ("timeline", None),
    "actors": ("linkage", None),
    "sources": ("linkage", None),
    "links": ("timeline", "revenue"),
    "revenue": ("revenue", "linkage"),
    "claims": ("revenue", "linkage"),
    "supply": ("supply", "linkage"),
    "magnet_exports": ("supply", "timeline"),
    "tariffs": ("linkage", "timeline"),
    "tariff_layers": ("linkage", "timeline"),
    "deadlines": ("overview", "timeline"),
    "measures": ("measures", "timeline"),
    "measure_states": ("measures", "timeline"),
}


# The app shows a table's problems as the loader words them, whatever the class: every class's exact
# message is checked on the loader (tests/test_validation.py, in milliseconds); here the first class of
# each table runs through the app (its page, a page that does without it, Sources & data).
APP_CASES = list({case[1]: case for case in reversed(CASES)}.values())


@pytest.mark.parametrize(("label", "table", "change", "expected"), APP_CASES, ids=[c[0] for c in APP_CASES])
def test_a_corrupt_table_is_an_in_page_error_and_other_pages_keep_working(
    data_copy, monkeypatch, label, table, change, expected
):
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(data_copy(table, change)))
    needs, other = TABLE_PAGES[table]
    at = open_page(needs)
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(texts(at).split())
    assert f"data/{table}.csv" in errors
    assert expected[0] in errors, (expected[0], errors[:500])
    if other:
        fine = open_page(other)
        assert not fine.exception and not fine.error, other
        assert charts_of(fine), other
    sources = open_page("sources")
    assert not sources.exception
    assert any(f"problem(s) in {table}" in e.value for e in sources.error)
