"""How far the record reaches, and what a scheduled date means once it has passed (no Streamlit).

The coverage end is a recorded fact (``x_coverage`` in data/datapackage.json), not the newest
row: moves are curated densely to ``curated_to``; sources were searched to ``searched_to`` and
were nearly silent in between. A scheduled date that has passed is shown with its recorded
outcome, or as "passed; outcome not in the data": never as still pending, never as ended.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from chipsmag.loading import Coverage
from chipsmag.text import format_event_date

SCHEDULED = "scheduled"
PASSED_UNKNOWN = "passed; outcome not in the data"
RESOLVED = "passed; outcome recorded"


def coverage_line(cov: Coverage | None, today: dt.date) -> str:
    """One plain sentence for the top of every page."""
    if cov is None or cov.curated_to is None:
        return "The coverage of the record is not stated in this copy of the data."
    text = f"Events curated to {format_event_date(cov.curated_to.isoformat(), 'day')}."
    if today > cov.curated_to:
        searched = cov.searched_to or cov.curated_to
        if searched > cov.curated_to:
            text += (
                f" Sources searched to {format_event_date(searched.isoformat(), 'day')} were nearly silent "
                "after that: later events are not yet in the data."
            )
        else:
            text += " Later events are not yet in the data."
    return text


def deadline_states(deadlines: pd.DataFrame, events: pd.DataFrame | None, today: dt.date) -> pd.DataFrame:
    """Each scheduled date with its state on ``today``: scheduled, passed with its recorded outcome,
    or passed with the outcome not in the data. Sorted by date."""
    titles = {} if events is None else dict(zip(events["id"], events["title"], strict=True))
    out = deadlines.sort_values("date", kind="stable").copy()
    passed = out["date"] <= today.isoformat()
    known = out["outcome_event"].notna()
    out["state"] = SCHEDULED
    out.loc[passed & known, "state"] = RESOLVED
    out.loc[passed & ~known, "state"] = PASSED_UNKNOWN
    out["outcome"] = [
        f"{e}: {titles.get(e, e)}" if isinstance(e, str) else ("not in the data" if p else "")
        for e, p in zip(out["outcome_event"], passed, strict=True)
    ]
    out["when"] = [format_event_date(d, "day") for d in out["date"]]
    return out.reset_index(drop=True)
