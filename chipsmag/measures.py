"""Each measure's life, and what is in force on any date (no Streamlit).

A measure's state runs from its ``from`` date until the measure's next state. Where a state was
scheduled to end (``scheduled_until``) and no later state is recorded, the measure is shown from
that date as OUTCOME_UNKNOWN ("outcome not recorded"): the validator makes sure this happens only
after the coverage end, where the sources are silent, so an outcome is never guessed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from chipsmag import vocab

OUTCOME_UNKNOWN = "outcome_unknown"
ENDED = ("lapsed", "revoked", "struck_down", "superseded")
STATE_LABELS = vocab.labels("measure_states", "state")
SIDE_LABELS = vocab.labels("measures", "side")
GROUPS = ("In force", "Suspended", "Announced", "Outcome not recorded", "Ended")


def timeline(states: pd.DataFrame) -> pd.DataFrame:
    """Every state as a span: measure, state, start, end (the next state's start, or empty while it
    lasts), scheduled_until, event_id. A passed scheduled end with no later state adds an
    OUTCOME_UNKNOWN span from that date; its event_id is empty (no event records it)."""
    rows = states.sort_values(["measure", "from"], kind="stable").copy()
    rows["start"] = rows["from"]
    rows["end"] = rows.groupby("measure")["from"].shift(-1)
    spans = rows[["measure", "state", "start", "end", "scheduled_until", "event_id"]]
    last = rows.groupby("measure").tail(1)
    open_ended = last[last["scheduled_until"].notna()]
    unknown = pd.DataFrame(
        {
            "measure": open_ended["measure"],
            "state": OUTCOME_UNKNOWN,
            "start": open_ended["scheduled_until"],
            "end": pd.NA,
            "scheduled_until": pd.NA,
            "event_id": pd.NA,
        }
    )
    spans = spans.copy()
    spans.loc[open_ended.index, "end"] = open_ended["scheduled_until"]
    out = pd.concat([spans, unknown], ignore_index=True) if len(unknown) else spans.reset_index(drop=True)
    return out.sort_values(["measure", "start"], kind="stable").reset_index(drop=True)


def on_date(measures: pd.DataFrame, states: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Each measure's state on ``day`` (measures not yet begun are left out): the measure's columns
    plus state, state_label, since, scheduled_until, days_left (to a scheduled end still ahead),
    event_id and group (In force, Suspended, Announced, Outcome not recorded, Ended)."""
    text = day.isoformat()
    spans = timeline(states)
    current = spans[(spans["start"] <= text) & (spans["end"].isna() | (spans["end"] > text))]
    current = current.drop_duplicates("measure", keep="last")
    out = measures.merge(current, left_on="id", right_on="measure", how="inner")
    out["state_label"] = out["state"].map(STATE_LABELS)
    out["since"] = out["start"]
    until = pd.to_datetime(out["scheduled_until"], errors="coerce")
    out["days_left"] = (until - pd.Timestamp(day)).dt.days.where(until >= pd.Timestamp(day))
    out["group"] = out["state"].map(lambda s: "Ended" if s in ENDED else STATE_LABELS[s])
    return out.drop(columns=["measure", "start", "end"]).sort_values(["side", "group", "name"]).reset_index(drop=True)


def scheduled_ends(states: pd.DataFrame, measures: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Every scheduled end with its status on ``today``: upcoming (with days left), passed with the
    state that followed, or passed with the outcome not recorded."""
    spans = timeline(states)
    ends = spans[spans["scheduled_until"].notna()].copy()
    by_measure = spans.groupby("measure")
    ends["followed_by"] = by_measure["state"].shift(-1).loc[ends.index]
    ends["next_start"] = by_measure["start"].shift(-1).loc[ends.index]
    names = measures.set_index("id")["name"]
    ends["name"] = ends["measure"].map(names)
    passed = ends["scheduled_until"] <= today.isoformat()
    # A state that gave way before its scheduled end was overtaken: the date no longer decides anything.
    early = ends["next_start"].notna() & (ends["next_start"] < ends["scheduled_until"])
    ends["status"] = "upcoming"
    ends.loc[passed & (ends["followed_by"] == OUTCOME_UNKNOWN), "status"] = "passed, outcome not recorded"
    known = passed & ends["followed_by"].notna() & (ends["followed_by"] != OUTCOME_UNKNOWN) & ~early
    ends.loc[known, "status"] = "passed: " + ends.loc[known, "followed_by"].map(STATE_LABELS).str.lower()
    ends.loc[early, "status"] = (
        "overtaken: "
        + ends.loc[early, "followed_by"].map(STATE_LABELS).str.lower()
        + " from "
        + ends.loc[early, "next_start"]
    )
    days = (pd.to_datetime(ends["scheduled_until"]) - pd.Timestamp(today)).dt.days
    ends["days"] = days
    cols = ["scheduled_until", "name", "measure", "state", "status", "days"]
    return ends[cols].sort_values("scheduled_until").reset_index(drop=True)


def tariff_stack(tariffs: pd.DataFrame, layers: pd.DataFrame, end: str) -> pd.DataFrame:
    """The general tariff layers of each side as steps to stack: one row per layer per change date of
    that side (rate in force then), so the stack's top is the headline additional rate."""
    meta = layers.set_index("id")
    rows = tariffs[tariffs["status"] == "in_force"].copy()
    rows["side"] = rows["layer"].map(meta["side"])
    rows = rows[rows["layer"].map(meta["scope"]) == "general"]
    names, authorities = meta["name"].to_dict(), meta["authority"].to_dict()
    out = []
    for side, side_rows in rows.groupby("side", sort=True):
        days = sorted({*side_rows["effective_date"], end})
        side_layers = list(dict.fromkeys(side_rows["layer"]))
        steps = side_rows.sort_values("effective_date", kind="stable")
        steps = list(zip(steps["effective_date"], steps["layer"], steps["rate_pct"], strict=True))
        for day in days:
            latest: dict[str, float] = {}
            for effective, layer, rate in steps:  # in date order: a layer's latest rate by the day wins
                if effective <= day:
                    latest[layer] = rate
            for layer in side_layers:  # every layer at every step (0 before it began), so stacks align
                out.append(
                    {
                        "side": side,
                        "day": day,
                        "layer": layer,
                        "name": names[layer],
                        "authority": authorities[layer],
                        "rate": float(latest.get(layer, 0.0)),
                    }
                )
    return pd.DataFrame(out, columns=["side", "day", "layer", "name", "authority", "rate"])
