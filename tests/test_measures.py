"""State of play: each measure's life and its state on a date, on small frames made for the purpose."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from app_pages.measures import charts as measures_charts
from chipsmag import measures

MEASURES = pd.DataFrame(
    {
        "id": ["A", "B", "C"],
        "name": ["Ban", "Licensing", "Tariff"],
        "number": ["No. 1", None, None],
        "side": ["CN", "CN", "US"],
        "lever": ["magnets", "magnets", "both"],
        "authority": ["Export Control Law", "Export Control Law", "IEEPA"],
        "issuing_body": ["cn_mofcom", "cn_mofcom", "white_house"],
        "scope": ["s", "s", "s"],
        "tariff_layer": [None, None, "us_ieepa_fentanyl"],
        "source_ids": ["x", "x", "x"],
    }
)
STATES = pd.DataFrame(
    [
        # A: in force, suspended to a date after the coverage end, nothing recorded after it.
        ("A", "in_force", "2024-12-03", None, "E1"),
        ("A", "suspended", "2025-11-09", "2026-11-27", "E2"),
        # B: in force, then suspended to a date, then in force again on that date.
        ("B", "in_force", "2025-04-04", None, "E3"),
        ("B", "suspended", "2025-05-14", "2025-08-12", "E4"),
        ("B", "in_force", "2025-08-12", None, "E5"),
        # C: in force, then struck down.
        ("C", "in_force", "2025-02-04", None, "E6"),
        ("C", "struck_down", "2026-02-24", None, "E7"),
    ],
    columns=["measure", "state", "from", "scheduled_until", "event_id"],
)


def state_of(day: str) -> dict[str, str]:
    return dict(measures.on_date(MEASURES, STATES, dt.date.fromisoformat(day))[["id", "state"]].to_numpy())


def test_the_state_on_a_date():
    assert state_of("2025-01-01") == {"A": "in_force"}  # B and C had not begun
    assert state_of("2025-06-01") == {"A": "in_force", "B": "suspended", "C": "in_force"}
    assert state_of("2025-08-12") == {"A": "in_force", "B": "in_force", "C": "in_force"}
    assert state_of("2026-03-01") == {"A": "suspended", "B": "in_force", "C": "struck_down"}


def test_a_passed_scheduled_end_with_nothing_after_it_is_outcome_not_recorded():
    assert state_of("2026-11-26")["A"] == "suspended"
    assert state_of("2026-11-27")["A"] == measures.OUTCOME_UNKNOWN
    row = measures.on_date(MEASURES, STATES, dt.date(2026, 11, 29)).set_index("id").loc["A"]
    assert row["group"] == "Outcome not recorded" and row["since"] == "2026-11-27"


def test_days_left_to_a_scheduled_end():
    row = measures.on_date(MEASURES, STATES, dt.date(2026, 11, 20)).set_index("id").loc["A"]
    assert row["days_left"] == 7 and row["group"] == "Suspended"


def test_scheduled_ends_say_what_followed():
    ends = measures.scheduled_ends(STATES, MEASURES, dt.date(2026, 11, 29)).set_index("measure")
    assert ends.at["B", "status"] == "passed: in force"
    assert ends.at["A", "status"] == "passed, outcome not recorded"
    before = measures.scheduled_ends(STATES, MEASURES, dt.date(2026, 11, 20)).set_index("measure")
    assert before.at["A", "status"] == "upcoming" and before.at["A", "days"] == 7


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_exactly_one_state_per_measure_per_day_from_its_first_state(day):
    spans = measures.timeline(STATES)
    text = day.isoformat()
    for measure, first in STATES.groupby("measure")["from"].min().items():
        mine = spans[spans["measure"] == measure]
        covering = mine[(mine["start"] <= text) & (mine["end"].isna() | (mine["end"] > text))]
        assert len(covering) == (1 if text >= first else 0), (measure, text, covering)


def test_the_lives_chart_draws_every_span_and_the_chosen_date():
    spans = measures.timeline(STATES)
    spec = measures_charts.lives_chart(spans, MEASURES, "2026-03-01", ["2024-01-01", "2026-12-31"], "B")
    rows = spec["data"]["values"]
    assert len(rows) == len(spans)
    assert {r["state"] for r in rows} >= {"in_force", "suspended", "struck_down", measures.OUTCOME_UNKNOWN}
    assert [r for r in rows if r["chosen"]] and all(r["measure"] == "B" for r in rows if r["chosen"])
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert rule["data"]["values"] == [{"day": "2026-03-01"}]


def test_tariff_layers_stack_to_the_headline_rate():
    layers = pd.DataFrame(
        {
            "id": ["a", "b", "p"],
            "side": ["US", "US", "US"],
            "scope": ["general", "general", "product_lines"],
            "authority": ["IEEPA", "s.122", "s.301"],
            "name": ["A", "B", "P"],
            "description": ["d"] * 3,
        }
    )
    tariffs = pd.DataFrame(
        [
            ("a", "2025-01-01", 20.0, "in_force"),
            ("p", "2025-01-01", 25.0, "in_force"),
            ("a", "2026-02-24", 0.0, "in_force"),
            ("b", "2026-02-24", 10.0, "in_force"),
        ],
        columns=["layer", "effective_date", "rate_pct", "status"],
    )
    stack = measures.tariff_stack(tariffs, layers, "2026-06-22")
    totals = stack.groupby("day")["rate"].sum()
    assert totals.to_dict() == {"2025-01-01": 20, "2026-02-24": 10, "2026-06-22": 10}
    assert set(stack["layer"]) == {"a", "b"}  # named-product layers are never stacked
    assert len(stack) == 2 * 3  # every layer at every step, 0 before it began


def test_a_state_overtaken_before_its_scheduled_end_says_so():
    states = pd.concat(
        [STATES, pd.DataFrame([("C", "in_force", "2025-11-10", "2026-11-10", "E8")], columns=STATES.columns)]
    ).sort_values(["measure", "from"])
    states = states[~((states["measure"] == "C") & (states["state"] == "struck_down"))]
    states = pd.concat([states, pd.DataFrame([("C", "struck_down", "2026-02-24", None, "E7")], columns=STATES.columns)])
    ends = measures.scheduled_ends(states, MEASURES, dt.date(2026, 11, 29)).set_index("measure")
    assert ends.at["C", "status"] == "overtaken: struck down from 2026-02-24"


# The page, in AppTest (on the frozen 2025 fixture, whose measures are made for it).


def test_the_page_opens_on_the_coverage_end_with_both_sides(on_record, record):
    from support.apptest import charts_of, open_page, texts

    at = open_page("measures")
    assert not at.exception and not at.error
    body = texts(at)
    assert at.subheader[0].value == "On 8 Dec 2025"  # the fixture's coverage end
    assert "**United States**" in body and "**China**" in body
    # M01 (China's Ga/Ge/Sb ban on the US) was suspended on 2025-11-09 until 2026-11-27.
    assert "Ban on gallium/germanium/antimony exports to the US** (M01): since 9 Nov 2025, until 27 Nov 2026" in body
    assert charts_of(at) == 3  # the lives, and one tariff stack per side
    assert at.date_input(key="on").value == record.coverage.curated_to


def test_a_date_outside_the_record_is_clamped_with_a_notice(on_record):
    from support.apptest import open_page, texts

    at = open_page("measures", on="2010-01-01")
    assert "Date: 2010-01-01 is outside 2024-12-03 to" in texts(at)
    assert at.date_input(key="on").value.isoformat() == "2024-12-03"
    later = open_page("measures", on="2099-01-01")
    assert "2099-01-01 is outside" in texts(later) and not later.exception


def test_a_date_that_is_not_a_date_and_an_unknown_measure_are_dropped_with_notices(on_record, record):
    from support.apptest import open_page, texts

    at = open_page("measures", on="soon", measure="M999")
    body = texts(at)
    assert "Date: 'soon' is not a date in the form YYYY-MM-DD; the default was used." in body
    assert "Measure: 'M999' not recognised and dropped." in body
    assert at.date_input(key="on").value == record.coverage.curated_to


def test_a_passed_end_after_the_coverage_shows_as_outcome_not_recorded(on_record):
    from support.apptest import open_page, texts

    at = open_page("measures", on="2026-11-29", measure="M01")
    body = texts(at)
    assert "is after the coverage end" in body
    assert "its scheduled end on 27 Nov 2026 passed; outcome not recorded" in body
    assert "Outcome not recorded" in body  # the card lists the derived state too


def test_the_card_lists_the_states_with_their_events(on_record):
    from support.apptest import open_page, texts

    body = texts(open_page("measures", measure="M01"))
    assert "3 Dec 2024, **In force**: **E19** China bans gallium/germanium/antimony exports to the US" in body
    assert "9 Nov 2025, **Suspended**, scheduled to end 27 Nov 2026: **E56**" in body
