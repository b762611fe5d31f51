"""The State of play page's fixed texts."""

INTRO = (
    "What each side had in force on a date: export controls, licence rules, bans, lists and tariffs, with "
    "suspensions and the date each was scheduled to end. Pick a date; every measure opens a card with its "
    "states, events and sources."
)
DAY_HELP = (
    "Default: the coverage end, the last date the record is curated to. Any date from the first recorded "
    "measure to today."
)
LIVES_NOTE = (
    "Bars: each state, coloured; dots: the event that changed it; the orange rule: the chosen date. Light "
    "grey: a scheduled end passed with no later state recorded (after the coverage end, where the sources "
    "are silent)."
)
TARIFFS_NOTE = (
    "Headline statutory rates on all goods of the other side, not trade-weighted averages; layers on named "
    "products (Section 301 magnets and graphite, Section 232 chips) are on the Chips for magnets page. "
    "Drawn to the coverage end."
)
