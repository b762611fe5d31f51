"""State of play: each measure's life and its state on a date, on small frames made for the purpose."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from app_pages.measures import charts as measures_charts
from app_pages.measures import model as page_model
from chipsmag import measures
from chipsmag.filters import Filters, date_bounds, with_plot_dates

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


# The page's model, on the frozen 2025 fixture (whose measures are made for it).


def page_on(record, day: str, side: str | None = None, **narrowed) -> page_model.MeasuresModel:
    everything = Filters(*date_bounds(with_plot_dates(record.tables["events"]), record.coverage.searched_to))
    f = dataclasses.replace(everything, **narrowed)
    names = dict(zip(record.tables["actors"]["id"], record.tables["actors"]["name"], strict=True))
    return page_model.build(record, f, dt.date.fromisoformat(day), side, dt.date(2026, 11, 30), names)


def test_a_passed_end_after_the_coverage_shows_as_outcome_not_recorded(record):
    m = page_on(record, "2026-11-29")
    assert m.after_coverage.startswith("29 Nov 2026 is after the coverage end (8 Dec 2025)")
    china = next(block for block in m.sides if block.title == "**China**")
    assert any(
        group.startswith("*Outcome not recorded* (1)")
        and "(M01): its scheduled end on 27 Nov 2026 passed; outcome not recorded" in group
        for group in china.groups
    )
    assert m.card("M01").states.endswith("- 27 Nov 2026, **Outcome not recorded**")  # the card lists it too
    assert "(M01), suspended: *passed, outcome not recorded*" in m.ends
    assert not page_on(record, "2025-12-08").after_coverage  # the coverage end itself is covered


def test_the_card_lists_the_states_with_their_events(record):
    card = page_on(record, "2025-12-08").card("M01")
    assert card.title == "Ban on gallium/germanium/antimony exports to the US"
    assert "- 3 Dec 2024, **In force**: **E19** China bans gallium/germanium/antimony exports to the US" in card.states
    assert "- 9 Nov 2025, **Suspended**, scheduled to end 27 Nov 2026: **E56**" in card.states
    assert "issued by China MOFCOM" in card.facts and card.sources
    assert page_on(record, "2025-12-08").card(None) is None


def test_the_side_and_the_filters_choose_the_measures(record):
    both = page_on(record, "2025-12-08")
    assert [b.title for b in both.sides] == ["**United States**", "**China**"]
    assert [code for code, _spec in both.stacks] == ["US", "CN"]
    china = page_on(record, "2025-12-08", "China")
    assert set(china.ids) == set(record.tables["measures"].query("side == 'CN'")["id"])
    assert [b.title for b in china.sides] == ["**China**"] and [c for c, _ in china.stacks] == ["CN"]
    assert {r["measure"] for r in china.lives_chart("M01")["data"]["values"]} == set(china.ids)
    chips = page_on(record, "2025-12-08", levers=("chips",))
    assert set(chips.ids) == set(record.tables["measures"].query("lever == 'chips'")["id"])
    assert chips.download["id"].tolist() == chips.now["id"].tolist() and "days_left" in chips.download
    assert chips.labels(["M03"]) == {"M03": "M03 · H20 licence requirement"}
    before = page_on(record, "2024-01-01")
    assert not before.sides and before.heading == "On 1 Jan 2024"


def test_the_page_parameters_are_the_registrys(record):
    from app_pages import page_params

    today = dt.date(2026, 11, 30)
    declared = tuple(p for p in page_params(record, today) if p.page == "measures")
    assert page_model.params(record, today) == declared
    assert page_model.params(record, today)[0].bounds == (dt.date(2024, 12, 3), today)


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
    assert "On date: 2010-01-01 is outside 2024-12-03 to" in texts(at)
    assert at.date_input(key="on").value.isoformat() == "2024-12-03"
    later = open_page("measures", on="2099-01-01")
    assert "2099-01-01 is outside" in texts(later) and not later.exception


def test_a_date_that_is_not_a_date_and_an_unknown_measure_are_dropped_with_notices(on_record, record):
    from support.apptest import open_page, texts

    at = open_page("measures", on="soon", measure="M999")
    body = texts(at)
    assert "On date: 'soon' is not a date in the form YYYY-MM-DD; the default was used." in body
    assert "Measure: 'M999' not recognised and dropped." in body
    assert at.date_input(key="on").value == record.coverage.curated_to


def test_the_side_picker_covers_every_side_the_descriptor_allows():
    from chipsmag import vocab

    assert sorted(page_model.SIDES.values()) == sorted(vocab.values("measures", "side"))


def test_a_click_on_a_measures_bar_opens_its_card(on_record):
    from support.apptest import open_page, texts

    at = open_page("measures")
    labels = [label.split(" · ", 1) for label in at.selectbox(key="measure").options if " · " in label]
    picked, title = labels[-1]  # "M01 · Ban on gallium/germanium/antimony exports to the US"
    at.session_state["ms_lives"] = {"selection": {measures_charts.LIVES_PICK: [{"measure": picked}]}}
    at.run()
    assert at.selectbox(key="measure").value == picked and at.query_params["measure"] == picked
    assert f"### {title}" in texts(at)  # its card
