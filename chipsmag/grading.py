"""How strongly each fact is sourced: official, wire, or secondary only, and by how many publishers.

Computed from ``sources.kind`` and ``sources.original_publisher``, never typed by hand:

- a source is ``official`` (a filing, a company's own release, a government text or release, official
  statistics), ``wire``
  (a wire story carried under licence, or an outlet's own reporting) or ``secondary`` (analysis, an
  aggregator or a mirror, whoever's story it carries: a copy of a Reuters story on a third-party site
  is secondary, since only the copy was read);
- a fact row's grade is the best grade among its sources;
- its publishers are the distinct original publishers of its sources (the publisher where the page
  is its own work): two mirrors of one Reuters story are one publisher, not two.

Global Trade Alert's rule, an official source or else two independent ones, is ``meets_rule``.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from chipsmag import vocab
from chipsmag.loading import Dataset

GRADES = ("official", "wire", "secondary")  # best first
KIND_GRADE = {
    "primary_filing": "official",
    "company_release": "official",
    "official_statement": "official",
    "official_data": "official",
    "wire_report": "wire",
    "news_report": "wire",
    "analysis": "secondary",
    "secondary_aggregator": "secondary",
}
LABELS = {"official": "Official source", "wire": "Wire or outlet", "secondary": "Secondary only"}
SYMBOLS = {"official": "●", "wire": "◐", "secondary": "○"}  # filled: strongest; text, not colour alone
HELP = (
    "Source strength, from the best source behind the fact: Official (a filing, a government text or "
    "official statistics), Wire or outlet (a wire story or an outlet's own reporting), Secondary only "
    "(analysis, aggregators or mirrors). 'N publishers': how many independent publishers back it."
)
# The fact tables: every row cites its sources in ``source_ids``; the tables a revision may name
# (the descriptor's ``revisions.table`` values).
FACT_TABLES = vocab.values("revisions", "table")
HIDDEN_NOTE = (
    "Not in this view: a figure here rests on secondary sources only, and 'Only facts with an official or wire "
    "source' is on (turn it off in the sidebar to see it)."
)
STRONG_VIEW = "strong"  # Dataset.view of the data restricted to facts with an official or wire source


def publisher_key(publisher: object, original: object) -> str:
    """Whose work a source is, for independence: the original publisher where the page carries
    someone else's work, else the publisher; without what follows a bracket or a comma
    ('Reuters (Alexandra Alper)' is Reuters), in lower case."""
    name = original if isinstance(original, str) and original.strip() else publisher
    return re.split(r"\s*[(,]", str(name or ""), maxsplit=1)[0].strip().casefold()


def source_table(sources: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Per source id: its grade and its publisher key."""
    columns = (sources[c].tolist() for c in ("id", "kind", "publisher", "original_publisher"))
    return {
        sid: (KIND_GRADE.get(kind, "secondary"), publisher_key(publisher, original))
        for sid, kind, publisher, original in zip(*columns, strict=True)
    }


RANK = {g: i for i, g in enumerate(GRADES)}


def grade_ids(ids: object, table: dict[str, tuple[str, str]]) -> tuple[str, int]:
    """The grade and the number of independent publishers of a fact citing ``ids`` (';'-separated).
    Unknown or missing sources: ``secondary`` with 0 publishers."""
    best, publishers = len(GRADES) - 1, set()
    for sid in str(ids if isinstance(ids, str) else "").split(";"):
        found = table.get(sid.strip())
        if found is not None:
            best = min(best, RANK[found[0]])
            publishers.add(found[1])
    return GRADES[best], len(publishers)


def grade_rows(rows: pd.DataFrame, sources: pd.DataFrame | dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Each row's grade and number of independent publishers (aligned to ``rows``' index).
    ``sources``: the sources table, or its ``source_table`` where the caller keeps one."""
    table = sources if isinstance(sources, dict) else source_table(sources)
    graded = [grade_ids(ids, table) for ids in rows["source_ids"].tolist()]
    return pd.DataFrame({"grade": [g for g, _ in graded], "publishers": [n for _, n in graded]}, index=rows.index)


def badge(grade: str, publishers: int) -> str:
    """'● Official source · 2 publishers': readable as text, in a table cell, a card or a tooltip."""
    count = f"{publishers} publisher" + ("s" if publishers != 1 else "")
    return f"{SYMBOLS[grade]} {LABELS[grade]} · {count}"


def meets_rule(grade: str, publishers: int) -> bool:
    """Global Trade Alert's rule: an official source, or two independent publishers."""
    return grade == "official" or publishers >= 2


def graded(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every fact table that loaded, graded row by row (index aligned to the table)."""
    sources = ds.tables.get("sources")
    if sources is None:
        return {}
    table = source_table(sources)
    return {name: grade_rows(ds.tables[name], table) for name in FACT_TABLES if name in ds.tables}


def counts(ds: Dataset) -> pd.DataFrame:
    """Rows per table and grade, with the rows meeting the official-or-two-publishers rule."""
    rows = []
    for name, g in graded(ds).items():
        by = g["grade"].value_counts()
        rule = sum(meets_rule(a, b) for a, b in zip(g["grade"], g["publishers"], strict=True))
        rows.append({"table": name, "rows": len(g), **{k: int(by.get(k, 0)) for k in GRADES}, "official or 2+": rule})
    return pd.DataFrame(rows, columns=["table", "rows", *GRADES, "official or 2+"])


def secondary_only(ds: Dataset) -> pd.DataFrame:
    """The rows backed by secondary sources only: what a curator should upgrade first."""
    out = []
    for name, g in graded(ds).items():
        weak = ds.tables[name][(g["grade"] == "secondary").to_numpy()]
        labels = _row_labels(weak)
        out += [{"table": name, "row": r, "source_ids": s} for r, s in zip(labels, weak["source_ids"], strict=True)]
    return pd.DataFrame(out, columns=["table", "row", "source_ids"])


def _row_labels(rows: pd.DataFrame) -> list[str]:
    """Each row's id as a curator finds it: its id, or its key columns."""
    for keys in (("id",), ("company", "fiscal_period", "metric"), ("layer", "effective_date"), ("measure", "from")):
        if all(k in rows.columns for k in keys):
            return [" / ".join(map(str, values)) for values in zip(*(rows[k].tolist() for k in keys), strict=True)]
    column = "period_start" if "period_start" in rows.columns else None
    return rows[column].astype(str).tolist() if column else [str(i) for i in rows.index]


def with_strength(ds: Dataset) -> Dataset:
    """Every fact table with its rows' badge in a derived ``strength`` column (for tooltips, cards
    and tables; downloads leave it out)."""
    tables = dict(ds.tables)
    for name, g in graded(ds).items():
        tables[name] = tables[name].assign(
            strength=[badge(a, b) for a, b in zip(g["grade"], g["publishers"], strict=True)]
        )
    return replace(ds, tables=tables)


def strength_of(frame: pd.DataFrame) -> list[str]:
    """The frame's ``strength`` column as a list, or blanks where it has none (a derived row)."""
    if "strength" not in frame.columns:
        return [""] * len(frame)
    return frame["strength"].fillna("").tolist()


def strong_only(ds: Dataset) -> Dataset:
    """The data restricted to facts with an official or wire source: secondary-only rows leave
    their tables, and so do links whose events left; a tariff change, a measure state or a deadline
    keeps its place but forgets an event that left (its own sources decide whether it stays)."""
    grades = graded(ds)
    tables = dict(ds.tables)
    for name, g in grades.items():
        tables[name] = tables[name][g["grade"] != "secondary"]
    events = tables.get("events")
    if events is not None:
        known = set(events["id"])
        if "links" in tables:
            links = tables["links"]
            tables["links"] = links[links["from_event"].isin(known) & links["to_event"].isin(known)]
        for name, column in (("measure_states", "event_id"), ("deadlines", "outcome_event")):
            if name in tables and column in tables[name].columns:
                frame = tables[name]
                tables[name] = frame.assign(**{column: frame[column].where(frame[column].isin(known))})
        if "tariffs" in tables and "event_ids" in tables["tariffs"].columns:
            kept = (
                tables["tariffs"]["event_ids"]
                .fillna("")
                .map(lambda ids: ";".join(i for i in ids.split(";") if i in known) or None)
            )
            tables["tariffs"] = tables["tariffs"].assign(event_ids=kept)
    if "measures" in tables and "measure_states" in tables:
        states = tables["measure_states"]
        tables["measure_states"] = states[states["measure"].isin(set(tables["measures"]["id"]))]
    view = f"{ds.view}+{STRONG_VIEW}" if ds.view else STRONG_VIEW
    return replace(ds, tables=tables, view=view)
