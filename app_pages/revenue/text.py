"""The revenue page's fixed texts: notes under its charts, its section help and the scenario's formula
(its constants read from chipsmag.scenario)."""

import datetime as dt

from chipsmag.scenario import DISCOURAGED_FROM, LICENCE_RULE_DAY, UNRESTRICTED_FRACTION
from chipsmag.text import md_escape

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


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def backtest_note(in_sample: list[str], out_of_sample: list[str], china_total: tuple[str, str] | None) -> str:
    """The note under the back-test: the quarters the defaults were calibrated on (``in_sample``: the
    serviceable share's, then the uptake's), the quarters that test them, and ``china_total`` (a
    quarter, Nvidia's total China revenue in it as reported) where the data hold it."""
    if len(in_sample) == 2:
        inside = (
            f" In-sample: {in_sample[0]} (the serviceable share is computed from its demand) and {in_sample[1]} "
            "(the default uptake is calibrated on it)."
        )
    else:
        inside = f" In-sample: {_joined(in_sample)} (the defaults are calibrated on them)." if in_sample else ""
    outside = f" Out-of-sample: {_joined(out_of_sample)}." if out_of_sample else ""
    total = ""
    if china_total:
        quarter, value = china_total
        total = (
            f" Nvidia's total China revenue in {quarter} was {value}, mostly other products, so it is not the "
            "comparison."
        )
    return (
        f"Model: H20- and H200-class sales to China before the fee.{inside}{outside}{total} Later quarters have no "
        "confirmed China figure in the data."
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


def asof_note(asof: dt.date, later: list[str]) -> str:
    """The note on the scenario's defaults as known on ``asof`` (Markdown); ``later`` names the inputs
    whose defaults rest on facts published after it."""
    day = asof.isoformat()
    if later:
        return (
            f"As known on {day}: these defaults rest on facts published later, so a reader then could not have "
            f"chosen them: {md_escape(', '.join(later))}. The presets are the same as today."
        )
    return f"As known on {day}: every default below rests on facts published by then."
