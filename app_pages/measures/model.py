"""What the State of play shows on a date, for a side and the shared filters (no Streamlit).

What depends on the measure a visitor picks (the lives chart's highlight and the measure's card)
is read from the model by ``lives_chart(chosen)`` and ``card(chosen)``: the page learns the choice
from the chart's click and the selectbox, after the rest is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from app_pages.measures import charts
from chipsmag import measures, metrics
from chipsmag.filters import Filters
from chipsmag.loading import Dataset
from chipsmag.text import format_event_date, md_escape
from chipsmag.urlstate import Param

SIDES = {"US": "US", "China": "CN"}  # the side widget's options (short names) -> the measures' side codes
MEASURE_COLUMNS = ["id", "name", "number", "side", "lever", "authority"]
DOWNLOAD_COLUMNS = [*MEASURE_COLUMNS, "state", "since", "scheduled_until", "days_left"]  # the state on the date


@dataclass(frozen=True)
class SideBlock:
    title: str  # the side's name, in bold
    groups: tuple[str, ...]  # one markdown block per group of states (in force, suspended…)


@dataclass(frozen=True)
class Card:
    title: str  # the measure's name, escaped for markdown
    facts: str
    scope: str
    states: str  # the measure's states with their events, as a markdown list
    sources: tuple[str, ...]


@dataclass(frozen=True)
class MeasuresModel:
    day: dt.date
    heading: str
    after_coverage: str  # a warning when the date is after the coverage end
    sides: tuple[SideBlock, ...]
    now: pd.DataFrame  # the state of every shown measure on the date
    now_sources: tuple[str, ...]
    download_name: str
    measures: pd.DataFrame  # the measures the side and the filters leave
    spans: pd.DataFrame  # each state of those measures from its start to the next
    domain: list[str]  # the lives chart's time range
    state_sources: tuple[str, ...]
    ends: str | None  # the scheduled ends as a markdown list
    ends_caption: str
    stacks: tuple[tuple[str, dict], ...]  # (side code, spec) of the tariff stacks
    tariff_sources: tuple[str, ...]
    all_measures: pd.DataFrame
    all_states: pd.DataFrame
    events: pd.DataFrame
    actor_names: dict[str, str]
    # The lives chart per measure picked, drawn once: the model is shared read-only by every session
    # that opens this view, and the chart is the slowest part of a rerun.
    _lives: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def download(self) -> pd.DataFrame:
        return self.now[DOWNLOAD_COLUMNS]

    @property
    def ids(self) -> list[str]:
        return self.measures["id"].tolist()

    def labels(self, ids: list[str]) -> dict[str, str]:
        """The selectbox's labels: 'M01 · name'."""
        names = self.all_measures.set_index("id").loc[ids, "name"]
        return {i: f"{i} · {n}" for i, n in zip(ids, names, strict=True)}

    def lives_chart(self, chosen: str | None) -> dict:
        if chosen not in self._lives:
            day = self.day.isoformat()
            self._lives[chosen] = charts.lives_chart(self.spans, self.measures, day, self.domain, chosen)
        return self._lives[chosen]

    def card(self, chosen: str | None) -> Card | None:
        if not chosen:
            return None
        return _card(self, chosen)


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The page's URL parameters: the date (from the first recorded state to today), the side, the measure."""
    table = ds.tables.get("measures")
    return (
        Param("on", "On date", "date", page="measures", bounds=state_bounds(ds, today)),
        Param("side", "Side", "one", tuple(SIDES), page="measures"),
        Param("measure", "Measure", "one", tuple(table["id"]) if table is not None else (), page="measures"),
    )


def state_bounds(ds: Dataset, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the State of play can be read on: from the first recorded state to today."""
    states = ds.tables.get("measure_states")
    first = dt.date.fromisoformat(states["from"].min()) if states is not None and len(states) else dt.date(2018, 1, 1)
    return first, max(today, first)


def default_day(ds: Dataset, today: dt.date) -> dt.date:
    """The coverage end, the last date the record is curated to (today if that is earlier or unknown)."""
    cov = ds.coverage
    return min(cov.curated_to, today) if cov and cov.curated_to else today


def build(
    ds: Dataset,
    filters: Filters,
    day: dt.date,
    side: str | None,
    today: dt.date,
    actor_names: dict[str, str] | None = None,
) -> MeasuresModel:
    t, f, cov = ds.tables, filters, ds.coverage
    chosen_sides = [SIDES[side]] if side in SIDES else list(SIDES.values())
    ms = t["measures"][t["measures"]["side"].isin(chosen_sides)]
    if f.levers:
        ms = ms[ms["lever"].isin(f.levers)]
    if f.actors:
        ms = ms[ms["issuing_body"].isin(f.actors)]
    states = t["measure_states"][t["measure_states"]["measure"].isin(ms["id"])]
    now = measures.on_date(ms, states, day)
    after = ""
    if cov and cov.curated_to and day > cov.curated_to:
        after = (
            f"{format_event_date(day.isoformat(), 'day')} is after the coverage end "
            f"({format_event_date(cov.curated_to.isoformat(), 'day')}): a state shown here may have changed since "
            "without the data knowing, and a scheduled end that has passed shows as 'outcome not recorded'."
        )
    ends = measures.scheduled_ends(states, ms, today)
    curated = format_event_date(cov.curated_to.isoformat(), "day") if cov and cov.curated_to else "n/a"
    end = cov.curated_to.isoformat() if cov and cov.curated_to else today.isoformat()
    stack = measures.tariff_stack(t["tariffs"], t["tariff_layers"], end)
    stack = stack[stack["side"].isin(chosen_sides)]
    return MeasuresModel(
        day=day,
        heading=f"On {format_event_date(day.isoformat(), 'day')}",
        after_coverage=after,
        sides=() if now.empty else tuple(_side_block(now, code) for code in chosen_sides),
        now=now,
        now_sources=tuple(metrics.sources_of(states[states["measure"].isin(now["id"])])),
        download_name=f"state_of_play_{day.isoformat()}",
        measures=ms,
        spans=measures.timeline(states),
        domain=[f.start.isoformat(), max(f.end, day).isoformat()],
        state_sources=tuple(metrics.sources_of(states)),
        ends=None if ends.empty else _end_lines(ends),
        ends_caption=f"Counted from today ({format_event_date(today.isoformat(), 'day')}). The record is curated to "
        f"{curated}: a passed end with no later state is 'passed, outcome not recorded', never read as extended or "
        "ended.",
        stacks=tuple(
            (code, charts.tariff_stack_chart(stack, code)) for code in chosen_sides if (stack["side"] == code).any()
        ),
        tariff_sources=tuple(metrics.sources_of(t["tariffs"][t["tariffs"]["status"] == "in_force"])),
        all_measures=t["measures"],
        all_states=t["measure_states"],
        events=t["events"],
        actor_names=actor_names or {},
    )


def _side_block(now: pd.DataFrame, code: str) -> SideBlock:
    mine = now[now["side"] == code]
    groups = []
    for group in measures.GROUPS:
        rows = mine[mine["group"] == group]
        if rows.empty:
            continue
        lines = []
        for r in rows.itertuples():
            when = format_event_date(r.since, "day")
            if pd.notna(r.days_left):
                until = format_event_date(r.scheduled_until, "day")
                extra = f"since {when}, until {until} ({r.days_left:.0f} days left)"
            elif r.state == measures.OUTCOME_UNKNOWN:
                extra = f"its scheduled end on {when} passed; outcome not recorded"
            elif group == "Ended":
                extra = f"{r.state_label.lower()} on {when}"
            else:
                extra = f"since {when}"
            lines.append(f"- **{md_escape(r.name)}** ({md_escape(r.id)}): {md_escape(extra)}")
        groups.append(f"*{group}* ({len(rows)})\n\n" + "\n".join(lines))
    return SideBlock(f"**{measures.SIDE_LABELS[code]}**", tuple(groups))


def _end_lines(ends: pd.DataFrame) -> str:
    return "\n".join(
        f"- **{format_event_date(r.scheduled_until, 'day')}**: {md_escape(r.name)} ({md_escape(r.measure)}), "
        f"{md_escape(measures.STATE_LABELS[r.state].lower())}: *{md_escape(r.status)}*"
        + (f" (in {r.days} days)" if r.status == "upcoming" else "")
        for r in ends.itertuples()
    )


def _card(m: MeasuresModel, chosen: str) -> Card:
    """One measure's card: its facts, its scope, and each of its states with the event that set it."""
    row = m.all_measures.set_index("id").loc[chosen]
    facts = [f"{md_escape(row['number'])}" if isinstance(row["number"], str) else None]
    facts += [f"{md_escape(measures.SIDE_LABELS[row['side']])}, {md_escape(row['lever'])} lever"]
    facts += [
        f"authority: {md_escape(row['authority'])}",
        f"issued by {md_escape(m.actor_names.get(row['issuing_body'], row['issuing_body']))}",
    ]
    events = m.events.set_index("id")
    lines = []
    for r in m.spans[m.spans["measure"] == chosen].itertuples():
        label = measures.STATE_LABELS[r.state]
        until = (
            f", scheduled to end {format_event_date(r.scheduled_until, 'day')}"
            if isinstance(r.scheduled_until, str)
            else ""
        )
        ev = ""
        if isinstance(r.event_id, str) and r.event_id in events.index:
            ev = f": **{md_escape(r.event_id)}** {md_escape(events.loc[r.event_id, 'title'])}"
        lines.append(f"- {format_event_date(r.start, 'day')}, **{label}**{md_escape(until)}{ev}")
    cited = metrics.sources_of(m.all_states[m.all_states["measure"] == chosen])
    return Card(
        title=md_escape(row["name"]),
        facts=" · ".join(x for x in facts if x),
        scope=md_escape(row["scope"]),
        states="\n".join(lines),
        sources=tuple(dict.fromkeys([*row["source_ids"].split(";"), *cited])),
    )
