"""The revenue page's fixed texts: notes under its charts, its section help and the scenario's formula
(its constants read from chipsmag.scenario)."""

from chipsmag.scenario import DISCOURAGED_FROM, LICENCE_RULE_DAY, UNRESTRICTED_FRACTION

SECTIONS_HELP = (
    "History: revenue by year and quarter. Claims: who said what about losses and markets. "
    "Scenario: a model of revenue at risk you can move and share."
)
BILLING_NOTE = (
    "Revenue is assigned by customer billing location, which can differ from where chips ship "
    "(Singapore billed 18% of FY2025 revenue but took under 2% of shipments). FY2026 China: not found "
    "in the filings read, so left unverified (the light grey total)."
)
CLAIMS_NOTE = (
    "Filed figures (8-K, releases) and spoken ones (interviews, calls) side by side: the $15B is Jensen "
    "Huang's interview estimate, the $4.5B the booked charge."
)
SCENARIO_INTRO = (
    "A model of Nvidia's China data-center revenue by quarter. Every default comes from a sourced figure "
    "(see each slider's help). The model covers Nvidia only: the data hold no sourced baseline for AMD's China "
    "data-center sales. Every assumption and the preset are in the link."
)
RANGE_NOTE = "Range: every uncertain input at the pessimistic, then the optimistic, end of its band (see the tornado)."


def backtest_note(in_sample: list[str], out_of_sample: list[str], china_total: str | None) -> str:
    """The note under the back-test: which quarters the defaults were calibrated on (``in_sample``:
    the quarter the serviceable share is computed from, then the one the uptake is calibrated on),
    which test them, and Nvidia's total China revenue in the uptake's quarter where the data hold it."""
    first, uptake = in_sample
    total = (
        f" Nvidia's total China revenue in {uptake} was {china_total}, mostly other products, so it is not the "
        "comparison."
        if china_total
        else ""
    )
    return (
        f"Model: H20- and H200-class sales to China before the fee. In-sample: {first} (the serviceable share is "
        f"computed from its demand) and {uptake} (the default uptake is calibrated on it). Out-of-sample: "
        f"{', '.join(out_of_sample[:-1])} and {out_of_sample[-1]}.{total} Later quarters have no confirmed China "
        "figure in the data."
    )


_FIRST, _FREE = next(iter(UNRESTRICTED_FRACTION.items()))
FORMULA = (
    "serviceable_q = market / 4 × share × (1 − substitution)^(q / 4)\n"
    f"free_q        = serviceable_q × unrestricted fraction ({_FREE:g} in {_FIRST}: "
    f"the rule came on {LICENCE_RULE_DAY})\n"
    "licensed_q    = (serviceable_q − free_q) × licence probability, from the licence start\n"
    f"sold_q        = licensed_q × uptake (uptake applies from {DISCOURAGED_FROM}, when Beijing discouraged H20)\n"
    "net_q         = free_q + sold_q × (1 − fee)\n"
    "at risk_q     = serviceable_q − net_q"
)
QUARTER_EVENTS = (
    "Triangles: chip export-control events in these quarters, by id, on the day they fell (hover for the title)."
)
