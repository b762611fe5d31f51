"""A scenario model of Nvidia's China data-center revenue at risk, by quarter (no Streamlit).

For quarter i of the horizon (Q1 FY2026 .. Q4 FY2027), in USD billions:

    serviceable_i = market / 4 x serviceable_share x (1 - substitution) ^ (i / 4)
    free_i        = serviceable_i x unrestricted_fraction_i           (sales before the licence rule)
    licensed_i    = (serviceable_i - free_i) x licence_probability    (from the licence start on)
    sold_i        = licensed_i x uptake_i                             (uptake < 1 once Beijing discourages)
    fee_i         = sold_i x fee
    net_i         = free_i + sold_i - fee_i
    at_risk_i     = serviceable_i - net_i

Each default is read from a sourced figure in data/; its ``Input`` in ``INPUTS`` gives the derivation, the
slider's limits and format, the link's key and the uncertainty band.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

QUARTERS = (
    "Q1 FY2026",
    "Q2 FY2026",
    "Q3 FY2026",
    "Q4 FY2026",
    "Q1 FY2027",
    "Q2 FY2027",
    "Q3 FY2027",
    "Q4 FY2027",
)
# The H20 licence requirement came on LICENCE_RULE_DAY (E28); Q1 FY2026 ran 2025-01-27 to 2025-04-27,
# so 72 of its 90 days were before the rule: 0.8 of the quarter sold without restriction.
LICENCE_RULE_DAY = "2025-04-09"
UNRESTRICTED_FRACTION = {"Q1 FY2026": 72 / 90}
# Beijing discouraged H20 purchases from 2025-08-12 (E48), inside Q3 FY2026.
DISCOURAGED_FROM = "Q3 FY2026"


@dataclass(frozen=True)
class Input:
    """One input of the model: what the slider, the link, the range and the tornado read of it."""

    name: str  # its field in Assumptions
    label: str  # its short name: in the link's notices, the tornado and the page's text
    widget_label: str  # the slider's label, with the unit
    key: str  # the query parameter and the widget's key
    default: float | str  # sourced or computed: ``note`` says how
    band: tuple[float, float]  # (pessimistic, optimistic) move for the range and the tornado, in ``band_unit``
    note: str  # where the default comes from (the slider's help)
    limits: tuple[float, float, float] | None = None  # (minimum, maximum, step); None: a quarter of QUARTERS
    format: str | None = None  # the slider's number format
    band_unit: Literal["points", "times", "quarters"] = "points"

    @property
    def band_text(self) -> str:
        down, up = self.band
        if self.band_unit == "quarters":
            return "one quarter later / earlier" if self.band == (1, -1) else f"{down:+g} / {up:+g} quarters"
        if self.band_unit == "times":
            return f"×{down:g} / ×{up:g}"
        return f"{down:+g} / {up:+g} points"


INPUTS = (
    Input(
        name="market_usd_b",
        label="China market size",
        widget_label="China AI-chip market (USD billions a year)",
        key="s_market",
        default=50.0,
        band=(0.8, 1.2),
        note="About $50B a year: Jensen Huang, 2025-05-06 (CNBC), 2025-05-19 (Stratechery), 2025-05-28 "
        "(Q1 FY2026 call), 2025-08-27 (claims C04, C07, C11, C16).",
        limits=(0.0, 150.0, 1.0),
        format="$%.0fB",
        band_unit="times",
    ),
    Input(
        name="serviceable_pct",
        label="Share export-compliant parts can serve",
        widget_label="Share export-compliant parts can serve (%)",
        key="s_share",
        default=56.8,
        band=(-15.0, 15.0),
        note="56.8%, computed: Q1 FY2026 H20 demand of $4.6B sold plus $2.5B that could not ship "
        "(C12, C09), times 4 quarters, over the $50B market: (4.6 + 2.5) x 4 / 50.",
        limits=(0.0, 100.0, 0.1),
        format="%.1f%%",
    ),
    Input(
        name="licence_pct",
        label="Licence probability",
        widget_label="Licence probability (%)",
        key="s_licence",
        default=100.0,
        band=(-25.0, 25.0),
        note="100% from the licence start: licences began 2025-08-08 with assurances they would be granted (E42, E46).",
        limits=(0.0, 100.0, 1.0),
        format="%.0f%%",
    ),
    Input(
        name="licence_start",
        label="Licence start",
        widget_label="Licence start (first quarter licensed sales can ship)",
        key="s_start",
        default="Q3 FY2026",
        band=(1, -1),  # one quarter later / earlier
        note="Q3 FY2026: H20 licences began 2025-08-08 (E46).",
        band_unit="quarters",
    ),
    Input(
        name="fee_pct",
        label="Fee to the US government",
        widget_label="Fee paid to the US government (%)",
        key="s_fee",
        default=15.0,
        band=(10.0, -10.0),
        note="15% of China revenue from H20/MI308 sales paid to the US government (C14); 25% for H200 (C19).",
        limits=(0.0, 50.0, 1.0),
        format="%.0f%%",
    ),
    Input(
        name="uptake_pct",
        label="Uptake when Beijing discourages",
        widget_label="Uptake when Beijing discourages purchases (%)",
        key="s_uptake",
        default=0.7,
        band=(-10.0, 10.0),
        note="0.7%, computed: Q3 FY2026 H20 sales of about $50M (C18) over the $7.1B a quarter that Q1 "
        "demand implies. Calibrated on Q3 FY2026, so that quarter is not an out-of-sample test.",
        limits=(0.0, 100.0, 0.1),
        format="%.1f%%",
    ),
    Input(
        name="substitution_pct",
        label="Substitution by domestic chips",
        widget_label="Substitution by domestic chips (% a year)",
        key="s_subst",
        default=0.0,
        band=(10.0, -10.0),
        note="No sourced estimate of substitution by domestic chips exists in the data: 0% a year by default.",
        limits=(0.0, 50.0, 1.0),
        format="%.0f%%",
    ),
)
SLIDERS = tuple(i for i in INPUTS if i.limits)  # the numbers; licence_start picks one of QUARTERS


@dataclass(frozen=True)
class Assumptions:
    """Inputs, in the units of the sliders (percentages as 0-100); one field per entry of INPUTS."""

    market_usd_b: float
    serviceable_pct: float
    licence_pct: float
    licence_start: str
    fee_pct: float
    uptake_pct: float
    substitution_pct: float


DEFAULTS = Assumptions(**{i.name: i.default for i in INPUTS})


@dataclass(frozen=True)
class Preset:
    """One preset of the scenario: its name, the id a share link writes (``preset=h200-25pct``), where
    its assumptions come from (the selectbox's note), and the assumptions."""

    label: str
    id: str
    note: str
    assumptions: Assumptions


PRESET_LIST = (
    Preset(
        "April 2025 ban persists",
        "ban-persists",
        "No licences: the April 2025 licence requirement (E28) is never lifted.",
        replace(DEFAULTS, licence_pct=0.0),
    ),
    Preset(
        "July 2025 resumption, 15% fee",
        "resumption-15pct-fee",
        "H20 licences from Q3 FY2026 with the 15% fee (E42, E46); buyers discouraged by Beijing from Q3 (E48).",
        DEFAULTS,
    ),
    Preset(
        "December 2025 H200 at 25%",
        "h200-25pct",
        "Licences for H200 from Q4 FY2026 with a 25% fee (E59); uptake as in the default. No source gives "
        "H200-specific demand, so the serviceable share is unchanged.",
        replace(DEFAULTS, licence_start="Q4 FY2026", fee_pct=25.0),
    ),
    Preset(
        "January 2026 H200 rule, 25% duty",
        "h200-rule-25pct-duty",
        "The BIS rule of 2026-01-13 (case-by-case review, effective 2026-01-15) with the 25% collected as a "
        "Section 232 duty on the chips' import into the US for testing, modelled as a 25% fee; licences still "
        "in review in February 2026, so licensed sales start in Q1 FY2027. Beijing first blocked H200 at "
        "customs, then approved named buyers: uptake stays at the discouraged default, since no source gives "
        "a rationed share. Serviceable share unchanged (no H200-specific demand figure).",
        replace(DEFAULTS, licence_start="Q1 FY2027", fee_pct=25.0),
    ),
)
# Read from PRESET_LIST, in its order: by name, the ids a link writes, the notes, and the preset whose
# assumptions are the defaults (the one a page opens on).
PRESETS = {p.label: p.assumptions for p in PRESET_LIST}
PRESET_IDS = tuple(p.id for p in PRESET_LIST)
PRESET_NOTES = {p.label: p.note for p in PRESET_LIST}
DEFAULT_PRESET = next(p.label for p in PRESET_LIST if p.assumptions == DEFAULTS)


def validate(a: Assumptions) -> list[str]:
    """What is wrong with a set of assumptions (empty when valid)."""
    problems = []
    for i in SLIDERS:
        lo, hi, _step = i.limits
        value = getattr(a, i.name)
        if not isinstance(value, int | float) or value != value or not lo <= value <= hi:
            problems.append(f"{i.name} must be a number from {lo:g} to {hi:g}, got {value!r}")
    if a.licence_start not in QUARTERS:
        problems.append(f"licence_start must be one of {', '.join(QUARTERS)}, got {a.licence_start!r}")
    return problems


def run(a: Assumptions) -> pd.DataFrame:
    """Quarter-by-quarter outputs in USD billions."""
    problems = validate(a)
    if problems:
        raise ValueError("; ".join(problems))
    start = QUARTERS.index(a.licence_start)
    discouraged = QUARTERS.index(DISCOURAGED_FROM)
    rows = []
    for i, quarter in enumerate(QUARTERS):
        serviceable = a.market_usd_b / 4 * a.serviceable_pct / 100 * (1 - a.substitution_pct / 100) ** (i / 4)
        free = serviceable * UNRESTRICTED_FRACTION.get(quarter, 0.0)
        licensed = (serviceable - free) * a.licence_pct / 100 if i >= start else 0.0
        uptake = a.uptake_pct / 100 if i >= discouraged else 1.0
        sold = licensed * uptake
        fee = sold * a.fee_pct / 100
        net = free + sold - fee
        rows.append(
            {
                "quarter": quarter,
                "fiscal_year": quarter.split()[1],
                "serviceable": serviceable,
                "unrestricted": free,
                "licensed_sales": sold,
                "fee": fee,
                "net": net,
                "at_risk": serviceable - net,
            }
        )
    return pd.DataFrame(rows)


def by_year(quarters: pd.DataFrame) -> pd.DataFrame:
    cols = ["serviceable", "unrestricted", "licensed_sales", "fee", "net", "at_risk"]
    return quarters.groupby("fiscal_year", as_index=False)[cols].sum()


def _moved(a: Assumptions, i: Input, move: float) -> Assumptions:
    """``a`` with input ``i`` moved by ``move`` (in the band's unit), kept within its limits."""
    if i.band_unit == "quarters":
        q = min(max(QUARTERS.index(a.licence_start) + int(move), 0), len(QUARTERS) - 1)
        return replace(a, **{i.name: QUARTERS[q]})
    value = getattr(a, i.name)
    value = value * move if i.band_unit == "times" else value + move
    lo, hi, _step = i.limits
    return replace(a, **{i.name: min(max(value, lo), hi)})


def scenario_range(a: Assumptions) -> pd.DataFrame:
    """Net revenue per quarter at the pessimistic end of every band, the base, and the optimistic end."""
    low, high = a, a
    for i in INPUTS:
        low, high = _moved(low, i, i.band[0]), _moved(high, i, i.band[1])
    out = run(a)[["quarter", "serviceable", "net", "at_risk"]].rename(columns={"net": "base"})
    out["low"] = run(low)["net"]
    out["high"] = run(high)["net"]
    return out


def tornado(a: Assumptions) -> pd.DataFrame:
    """Total net revenue over the horizon when each input alone moves to the ends of its band."""
    base = run(a)["net"].sum()
    rows = []
    for i in INPUTS:
        low, high = run(_moved(a, i, i.band[0]))["net"].sum(), run(_moved(a, i, i.band[1]))["net"].sum()
        rows.append(
            {
                "input": i.label,
                "low": low,
                "high": high,
                "base": base,
                "swing": abs(high - low),
                "band": i.band_text,
            }
        )
    return pd.DataFrame(rows).sort_values("swing", ascending=True).reset_index(drop=True)


# Sourced actuals for the back-test: what H20- and H200-class sales to China were, per quarter, and
# whether the defaults were calibrated on that quarter (in-sample) or not (out-of-sample).
BACKTEST = (
    ("Q1 FY2026", "claims", "C12", "H20 sales of $4.6B before the rule; $2.5B more could not ship (C09).", True),
    ("Q2 FY2026", "events", "E49", "'No H20 sales to China-based customers'.", False),
    ("Q3 FY2026", "claims", "C18", "H20 sales of about $50M.", True),
    ("Q4 FY2026", "claims", "C30", "No H200 revenue from China; no data-center revenue from China (C32).", False),
    (
        "Q1 FY2027",
        "events",
        "E150",
        "No H200 had shipped to China by mid-May 2026 (quarter ended 2026-04-26); outlook assumed none (C31).",
        False,
    ),
)


def backtest(a: Assumptions, claims: pd.DataFrame) -> pd.DataFrame:
    """The model's H20-class China sales (before the fee) against the sourced actuals. A claim the
    data no longer hold leaves its quarter's actual empty (NaN) and says so in the note."""
    model = run(a).set_index("quarter")
    values = claims.set_index("id")["value"]
    rows = []
    for quarter, table, ref, note, in_sample in BACKTEST:
        actual = 0.0
        if table == "claims":
            actual = values[ref] / 1000 if ref in values.index else float("nan")
            note = note if ref in values.index else f"{ref} is not in the claims table: no actual. {note}"
        modelled = model.at[quarter, "unrestricted"] + model.at[quarter, "licensed_sales"]
        rows.append(
            {
                "quarter": quarter,
                "model_usd_b": modelled,
                "actual_usd_b": actual,
                "gap_usd_b": modelled - actual,
                "reference": ref,
                "sample": "in-sample (defaults calibrated on it)" if in_sample else "out-of-sample",
                "note": note,
            }
        )
    return pd.DataFrame(rows)
