"""The revenue page's fixed texts: notes under its charts, its section help and the scenario's formula."""

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
BACKTEST_NOTE = (
    "Model: H20- and H200-class sales to China before the fee. In-sample: Q1 FY2026 (the serviceable share is "
    "computed from its demand) and Q3 FY2026 (the default uptake is calibrated on it). Out-of-sample: Q2 and "
    "Q4 FY2026 and Q1 FY2027. Nvidia's total China revenue in Q3 FY2026 was $2.8B, mostly other products, so it "
    "is not the comparison. Later quarters have no confirmed China figure in the data."
)
FORMULA = (
    "serviceable_q = market / 4 × share × (1 − substitution)^(q / 4)\n"
    "free_q        = serviceable_q × unrestricted fraction (0.8 in Q1 FY2026: the rule came on 2025-04-09)\n"
    "licensed_q    = (serviceable_q − free_q) × licence probability, from the licence start\n"
    "sold_q        = licensed_q × uptake (uptake applies from Q3 FY2026, when Beijing discouraged H20)\n"
    "net_q         = free_q + sold_q × (1 − fee)\n"
    "at risk_q     = serviceable_q − net_q"
)
QUARTER_EVENTS = (
    "Triangles: chip export-control events in these quarters, by id, on the day they fell (hover for the title)."
)
