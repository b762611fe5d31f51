"""The Chips for magnets page's fixed texts."""

from app_pages.linkage.sequence import MAX_MOVES

INTRO = (
    "Each line runs from a move to the move that answered it; its arrowhead sits near the answer. Colour: the "
    "kind of answer. Solid: a party or the cited reporting connects the two; dashed: the curators' inference. "
    "Click an arrowhead to read the link's evidence."
)
SEQUENCE_NOTE = (
    "Time runs down; one row per move: US moves on the left, China's on the right, tariffs and deals in the "
    "middle. Arrows run from a move to its answer (colour: relation; dashed: inferred). Edge strips: each "
    "side's headline additional tariff on all goods of the other, written where it changed. Click a move to "
    "focus it: what it answered and what answered it stay, the rest dims."
)
TARIFFS_NOTE = (
    "Headline statutory rates, not trade-weighted averages. Thick lines: each side's additional rate on all "
    "goods of the other, the sum of its general layers (IEEPA fentanyl and reciprocal, then the Section 122 "
    "surcharge on all countries). Dashed: layers on named products (Section 301 magnets and graphite, Section "
    "232 advanced chips), never summed. Crosses: threatened or announced rates that were never imposed. '?': "
    "a scheduled end passed with no outcome in the data. Triangles: tariff moves, by event id (hover for the "
    "title). Pre-2025 Section 301 duties are not shown."
)
FOCUS_HELP = "Highlights what the move answered and what answered it, and dims the rest. Or click a move on the chart."


def hidden_moves(matching: int) -> str:
    return (
        f"{matching:,} linked moves match: the chart draws the {MAX_MOVES} most recent. Pick a "
        "year or narrow the filters to see the others."
    )
