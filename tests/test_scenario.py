"""The scenario model: its inputs, hand-computed cases, properties, presets and the back-test."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipsmag import scenario
from chipsmag.scenario import DEFAULTS, INPUTS, QUARTERS, Assumptions

HAND = Assumptions(
    market_usd_b=40,
    serviceable_pct=50,
    licence_pct=50,
    licence_start="Q3 FY2026",
    fee_pct=20,
    uptake_pct=10,
    substitution_pct=0,
)


def test_one_record_per_input_in_the_model_s_order():
    assert [i.name for i in INPUTS] == [f.name for f in fields(Assumptions)]
    assert len({i.key for i in INPUTS}) == len(INPUTS) and all(i.key.startswith("s_") for i in INPUTS)
    assert Assumptions(**{i.name: i.default for i in INPUTS}) == DEFAULTS
    for i in scenario.SLIDERS:
        lo, hi, step = i.limits
        assert lo <= i.default <= hi and step > 0 and i.format and i.note
    assert [i.name for i in INPUTS if not i.limits] == ["licence_start"] and DEFAULTS.licence_start in QUARTERS
    for preset in scenario.PRESETS.values():
        assert scenario.validate(preset) == []


def test_each_inputs_note_states_its_default_as_the_slider_shows_it():
    """The note is the slider's help: a default changed without its note would contradict it."""
    for i in INPUTS:
        shown = i.format % i.default if i.format else str(i.default)
        assert shown in i.note, (i.name, shown)


def test_each_band_reads_in_words():
    bands = {i.name: i.band_text for i in INPUTS}
    assert bands["market_usd_b"] == "×0.8 / ×1.2"
    assert bands["licence_start"] == "one quarter later / earlier"
    assert bands["fee_pct"] == "+10 / -10 points" and bands["serviceable_pct"] == "-15 / +15 points"


def test_a_band_moves_its_input_and_stays_within_its_limits():
    rng = scenario.scenario_range(replace(DEFAULTS, licence_start="Q1 FY2026", fee_pct=45.0))
    t = scenario.tornado(replace(DEFAULTS, licence_start="Q1 FY2026")).set_index("input")
    # An earlier start than the first quarter is the first quarter: the optimistic end changes nothing.
    assert t.at["Licence start", "high"] == pytest.approx(t.at["Licence start", "base"])
    assert (rng["low"] <= rng["base"] + 1e-9).all() and (rng["high"] >= rng["base"] - 1e-9).all()


def test_hand_computed_case():
    # Serviceable: 40 / 4 x 50% = 5.0 a quarter. Q1: 0.8 of it before the rule = 4.0, the rest lost.
    # Q2: nothing. From Q3: 5.0 x 50% licensed x 10% uptake = 0.25 sold, 20% fee = 0.05, net 0.20.
    out = scenario.run(HAND).set_index("quarter")
    assert out["serviceable"].tolist() == pytest.approx([5.0] * 8)
    assert out.at["Q1 FY2026", "net"] == pytest.approx(4.0)
    assert out.at["Q1 FY2026", "at_risk"] == pytest.approx(1.0)
    assert out.at["Q2 FY2026", "net"] == 0
    assert out.at["Q3 FY2026", "licensed_sales"] == pytest.approx(0.25)
    assert out.at["Q3 FY2026", "fee"] == pytest.approx(0.05)
    assert out.at["Q4 FY2027", "net"] == pytest.approx(0.20)
    assert out["net"].sum() == pytest.approx(4.0 + 6 * 0.20)
    assert out["at_risk"].sum() == pytest.approx(40 - 5.2)
    years = scenario.by_year(out.reset_index()).set_index("fiscal_year")
    assert years.at["FY2026", "net"] == pytest.approx(4.4) and years.at["FY2027", "net"] == pytest.approx(0.8)


def test_substitution_compounds_yearly():
    out = scenario.run(replace(HAND, substitution_pct=20)).set_index("quarter")
    assert out.at["Q1 FY2027", "serviceable"] == pytest.approx(5.0 * 0.8)
    assert out.at["Q3 FY2026", "serviceable"] == pytest.approx(5.0 * 0.8**0.5)


def test_defaults_reproduce_their_derivations():
    a = DEFAULTS
    assert a.serviceable_pct == pytest.approx((4.6 + 2.5) * 4 / 50 * 100)
    quarter_demand = a.market_usd_b / 4 * a.serviceable_pct / 100
    assert quarter_demand == pytest.approx(7.1)
    assert a.uptake_pct == round(0.05 / quarter_demand * 100, 1)


def test_ban_preset_sells_nothing_after_the_rule():
    out = scenario.run(scenario.PRESETS["April 2025 ban persists"])
    assert out["net"].iloc[1:].sum() == 0
    assert out["fee"].sum() == 0


def test_h200_preset_starts_later_with_a_higher_fee():
    h200 = scenario.PRESETS["December 2025 H200 at 25%"]
    out = scenario.run(h200).set_index("quarter")
    assert out.at["Q3 FY2026", "licensed_sales"] == 0 and out.at["Q4 FY2026", "licensed_sales"] > 0
    assert out.at["Q4 FY2026", "fee"] == pytest.approx(out.at["Q4 FY2026", "licensed_sales"] * 0.25)


def test_backtest_against_sourced_actuals(record):
    bt = scenario.backtest(DEFAULTS, record.tables["claims"]).set_index("quarter")
    assert bt.at["Q1 FY2026", "actual_usd_b"] == pytest.approx(4.6)
    assert bt.at["Q1 FY2026", "model_usd_b"] == pytest.approx(7.1 * 0.8)
    assert bt.at["Q1 FY2026", "gap_usd_b"] == pytest.approx(5.68 - 4.6)
    assert bt.at["Q2 FY2026", "model_usd_b"] == 0 and bt.at["Q2 FY2026", "actual_usd_b"] == 0
    assert bt.at["Q3 FY2026", "actual_usd_b"] == pytest.approx(0.05)
    assert abs(bt.at["Q3 FY2026", "gap_usd_b"]) < 0.005  # in-sample by construction, as the page says


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fee_pct": -1}, "fee_pct must be a number from 0 to 50, got -1"),
        ({"licence_pct": 101}, "licence_pct must be a number from 0 to 100, got 101"),
        ({"uptake_pct": float("nan")}, "uptake_pct must be a number from 0 to 100, got nan"),
        ({"market_usd_b": "lots"}, "market_usd_b must be a number from 0 to 150, got 'lots'"),
        ({"licence_start": "Q9 FY2030"}, "licence_start must be one of"),
    ],
)
def test_invalid_assumptions_are_refused(change, message):
    bad = replace(DEFAULTS, **change)
    assert any(p.startswith(message) for p in scenario.validate(bad))
    with pytest.raises(ValueError, match="must be"):
        scenario.run(bad)


def test_tornado_orders_inputs_by_swing():
    t = scenario.tornado(DEFAULTS)
    assert len(t) == 7 and t["swing"].is_monotonic_increasing
    assert (t["low"] <= t["base"] + 1e-9).all() and (t["high"] >= t["base"] - 1e-9).all()
    assert t.iloc[-1]["input"] == "Licence start"  # an earlier start adds an undiscouraged quarter


def pct(hi=100.0):
    return st.floats(min_value=0, max_value=hi, allow_nan=False)


assumptions = st.builds(
    Assumptions,
    market_usd_b=pct(150),
    serviceable_pct=pct(),
    licence_pct=pct(),
    licence_start=st.sampled_from(QUARTERS),
    fee_pct=pct(50),
    uptake_pct=pct(),
    substitution_pct=pct(50),
)


@settings(max_examples=150, deadline=None)
@given(a=assumptions, fee=pct(50))
def test_a_higher_fee_never_raises_net_revenue(a, fee):
    lower, higher = sorted([a.fee_pct, fee])
    assert (
        scenario.run(replace(a, fee_pct=higher))["net"].sum()
        <= scenario.run(replace(a, fee_pct=lower))["net"].sum() + 1e-9
    )


@settings(max_examples=150, deadline=None)
@given(a=assumptions, p=pct())
def test_a_higher_licence_probability_never_lowers_net_revenue(a, p):
    lower, higher = sorted([a.licence_pct, p])
    assert (
        scenario.run(replace(a, licence_pct=higher))["net"].sum()
        >= scenario.run(replace(a, licence_pct=lower))["net"].sum() - 1e-9
    )


@settings(max_examples=150, deadline=None)
@given(a=assumptions)
def test_outputs_stay_within_bounds(a):
    out = scenario.run(a)
    eps = 1e-9
    assert (out["net"] >= -eps).all()
    assert (out["net"] <= out["serviceable"] + eps).all()
    assert (out["fee"] <= out["licensed_sales"] + eps).all()
    assert (out["at_risk"] >= -eps).all()
    rng = scenario.scenario_range(a)
    assert (rng["low"] <= rng["base"] + eps).all() and (rng["base"] <= rng["high"] + eps).all()
