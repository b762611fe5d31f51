"""The record as known on a date (no Streamlit): only what had been published by then.

A fact row is known from the day its earliest source was published (``sources.published``; a
month-only or year-only date counts as the last day of that month or year, the conservative
reading: a fact was not known before it could have been published). Where none of its sources
carries a publication date, the row's own date stands in, and the row is flagged:

================  ===================================================================
table             the row's own date
================  ===================================================================
events            ``date`` (a month-only date: the month's last day)
links             the later of its two events' own dates
revenue           ``period_end`` (the descriptor has no report-date column)
claims            ``date``
supply            31 December of ``year`` (the reference year)
magnet_exports    ``period_end`` (the month's last day; no reporting lag is added)
tariffs           ``effective_date``
deadlines         the latest own date of its ``set_by`` events (``date`` is the scheduled end)
measures          the earliest ``from`` of its states
measure_states    ``from``
revisions         ``revised_on``
================  ===================================================================

``replay`` keeps the rows known on ``asof`` and keeps references whole: a link needs both its
events; a measure state needs its event and its measure, and a measure needs its own row known and
at least one known state, so a measure shows the states and scheduled ends known then, never their
later outcome; a deadline keeps the ``set_by`` events known then (at least one) and loses an
outcome event not yet known; a tariff change loses related events not yet known; a kept row cites
only the sources known then. The tables without sources: ``sources`` keeps those published by
``asof`` and the undated ones; ``actors`` (a controlled list of names) is kept whole;
``tariff_layers`` leaves out the layers that only rows not yet known name. A value that a later
source revised (``revisions``) shows as first reported. Rows with no date at all (no dated source,
no own date) are kept and counted with the own-dated rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

import pandas as pd

from chipsmag.loading import Dataset
from chipsmag.reading import DAY, MONTH, YEAR, DataIssue
from chipsmag.scenario import INPUTS

OWN_DATE_COLUMN = {
    "events": "date",
    "revenue": "period_end",
    "claims": "date",
    "magnet_exports": "period_end",
    "tariffs": "effective_date",
    "measure_states": "from",
    "revisions": "revised_on",
}
KEY_SEPARATOR = " / "  # a revision's row_id: the row's primary key values joined by this
CITED_ROW = re.compile(r"\b([CE]\d+)\b")  # claim and event ids in a scenario input's note


@dataclass(frozen=True)
class Replayed:
    """The record as known on ``asof``.

    ``own_date_rows``: per table, how many kept rows are dated by their own date because none of
    their sources carries a publication date. ``revised``: how many values show as first reported
    because a later source revised them. ``dropped``: per table, how many rows were not yet known.
    """

    ds: Dataset
    asof: dt.date
    own_date_rows: dict[str, int]
    revised: int
    dropped: dict[str, int]


def last_day(value: object) -> str | None:
    """The last day a partial date can mean (YYYY-MM-DD, YYYY-MM or YYYY) as YYYY-MM-DD; None otherwise."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if DAY.match(text):
        return text
    if MONTH.match(text):
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            return None
        return f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    if YEAR.match(text):
        return f"{text}-12-31"
    return None


def _each(series: pd.Series, func) -> pd.Series:
    """``func`` of every value, as plain Python objects (None where it gives none), aligned to ``series``."""
    return pd.Series([func(v) for v in series.tolist()], index=series.index, dtype=object)


def _ids(text: object) -> list[str]:
    return [] if not isinstance(text, str) else [i.strip() for i in text.split(";") if i.strip()]


def fact_tables(ds: Dataset) -> list[str]:
    """The loaded tables whose rows cite sources (a ``source_ids`` column), in descriptor order."""
    names = []
    for res in ds.descriptor["resources"]:
        cited = any(f["name"] == "source_ids" for f in res["schema"]["fields"])
        if cited and res["name"] in ds.tables:
            names.append(res["name"])
    return names


def _source_dates(ds: Dataset) -> dict[str, str]:
    sources = ds.tables.get("sources")
    if sources is None:
        return {}
    dates = {i: last_day(p) for i, p in zip(sources["id"], sources["published"], strict=True)}
    return {i: d for i, d in dates.items() if d is not None}


def _latest(dates: list[str | None]) -> str | None:
    known = [d for d in dates if d is not None]
    return max(known) if len(known) == len(dates) and known else None


def _own_dates(ds: Dataset) -> dict[str, pd.Series]:
    """Each fact table's own date per row (YYYY-MM-DD or None), by the table in the module docstring."""
    t = ds.tables
    own: dict[str, pd.Series] = {}
    for name, column in OWN_DATE_COLUMN.items():
        if name in t:
            own[name] = _each(t[name][column], last_day)
    event_day = dict(zip(t["events"]["id"], own["events"], strict=True)) if "events" in t else {}
    if "links" in t:
        links = t["links"]
        pairs = zip(links["from_event"], links["to_event"], strict=True)
        own["links"] = pd.Series([_latest([event_day.get(a), event_day.get(b)]) for a, b in pairs], index=links.index)
    if "deadlines" in t:
        own["deadlines"] = _each(t["deadlines"]["set_by"], lambda s: _latest([event_day.get(e) for e in _ids(s)]))
    if "supply" in t:
        own["supply"] = _each(t["supply"]["year"], lambda y: None if pd.isna(y) else f"{int(y):04d}-12-31")
    if "measures" in t:
        starts = t["measure_states"].groupby("measure")["from"].min() if "measure_states" in t else pd.Series()
        own["measures"] = _each(t["measures"]["id"], lambda m: last_day(starts.get(m)))
    return own


def first_published(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Per fact table (index aligned to it): ``first_published``, the earliest publication date among
    the row's sources, or the row's own date where none of them has one (YYYY-MM-DD, or <NA> where
    neither exists); ``own_date``, True where the row's own date was used."""
    dates = _source_dates(ds)
    own = _own_dates(ds)
    out = {}
    for name in fact_tables(ds):
        df = ds.tables[name]
        published = _each(df["source_ids"], lambda s: min((dates[i] for i in _ids(s) if i in dates), default=None))
        by_own = published.isna()
        fallback = own.get(name, pd.Series(None, index=df.index, dtype=object))
        day = published.where(~by_own, fallback)
        out[name] = pd.DataFrame(
            {"first_published": day.astype("string"), "own_date": by_own.astype(bool)}, index=df.index
        )
    return out


def _known_by(day: pd.Series, asof: str) -> pd.Series:
    """True where a date is on or before ``asof``, or missing (an undated row is kept)."""
    return (day <= asof).fillna(True).astype(bool)


def _trim(column: pd.Series, known: set[str]) -> pd.Series:
    """An id list keeping only known ids (rewritten only where one left; empty where none is left)."""

    def keep(text: object) -> object:
        ids = _ids(text)
        kept = [i for i in ids if i in known]
        if len(kept) == len(ids):
            return text
        return ";".join(kept) if kept else pd.NA

    return pd.Series([keep(v) for v in column.tolist()], index=column.index, dtype=column.dtype)


def row_keys(ds: Dataset, name: str) -> pd.Series:
    """Each row's key as a revision names it: the primary key's values joined by ' / '."""
    df = ds.tables[name]
    key = ds.resource(name)["schema"].get("primaryKey") or ["id"]
    return df[key].astype("string").fillna("").agg(KEY_SEPARATOR.join, axis=1)


def _typed(text: object, field_type: str) -> object:
    """A revision's value (as written in the CSV) in the type of the column it revises."""
    if text is None or pd.isna(text) or str(text).strip() == "":
        return pd.NA
    if field_type in ("number", "integer"):
        return float(text) if field_type == "number" else int(float(text))
    if field_type == "boolean":
        return str(text).strip().lower() == "true"
    return str(text).strip()


def _field_type(ds: Dataset, table: str, column: str) -> str | None:
    for spec in ds.resource(table)["schema"]["fields"]:
        if spec["name"] == column:
            return spec["type"]
    return None


def _locate(ds: Dataset, rev: pd.Series) -> tuple[object | None, str]:
    """Where a revision points: (the row's index label, a problem or '')."""
    table, column = rev["table"], rev["column"]
    if table not in ds.tables:
        return None, f"table {table} is not loaded"
    if _field_type(ds, table, column) is None:
        return None, f"data/{table}.csv has no column {column}"
    hits = row_keys(ds, table) == rev["row_id"]
    if not hits.any():
        return None, f"no row of data/{table}.csv has the key {rev['row_id']!r}"
    return hits[hits].index[0], ""


def revision_issues(ds: Dataset) -> list[DataIssue]:
    """Revisions that point at no row or column, or whose new value is not the value the table holds
    (checked for the latest revision of each value: an earlier one was revised again)."""
    revisions = ds.tables.get("revisions")
    if revisions is None:
        return []
    latest = revisions.sort_values("revised_on", kind="stable").duplicated(["table", "row_id", "column"], keep="last")
    issues = []
    for i, rev in revisions.iterrows():
        idx, problem = _locate(ds, rev)
        if idx is None:
            issues.append(DataIssue("data/revisions.csv", None, "row_id", str(rev["row_id"]), problem))
            continue
        if latest[i]:
            continue
        kind = _field_type(ds, rev["table"], rev["column"])
        held, new = ds.tables[rev["table"]].at[idx, rev["column"]], _typed(rev["new_value"], kind)
        if not (pd.isna(held) and pd.isna(new)) and (pd.isna(held) or pd.isna(new) or held != new):
            rule = f"new_value differs from the value data/{rev['table']}.csv holds ({held})"
            issues.append(DataIssue("data/revisions.csv", None, "new_value", str(rev["new_value"]), rule))
    return issues


def _first_reported(ds: Dataset, tables: dict[str, pd.DataFrame], asof: str) -> int:
    """Put back, in the kept rows, each value revised after ``asof``; return how many were."""
    revisions = ds.tables.get("revisions")
    if revisions is None:
        return 0
    later = revisions[revisions["revised_on"] > asof].sort_values("revised_on", kind="stable")
    later = later.drop_duplicates(["table", "row_id", "column"], keep="first")  # the earliest: first reported
    copied, count = set(), 0
    for _, rev in later.iterrows():
        idx, _problem = _locate(ds, rev)
        table = rev["table"]
        if idx is None or idx not in tables[table].index:
            continue  # named by revision_issues, or a row not yet known
        if table not in copied:
            tables[table] = tables[table].copy()
            copied.add(table)
        tables[table].loc[idx, rev["column"]] = _typed(rev["old_value"], _field_type(ds, table, rev["column"]))
        count += 1
    return count


def _layers_named(tables: dict[str, pd.DataFrame]) -> set[str]:
    named = set(tables["tariffs"]["layer"].dropna()) if "tariffs" in tables else set()
    return named | (set(tables["measures"]["tariff_layer"].dropna()) if "measures" in tables else set())


def replay(ds: Dataset, asof: dt.date) -> Replayed:
    """The record as known on ``asof`` (see the module docstring for every rule)."""
    day = asof.isoformat()
    dated = first_published(ds)
    t = ds.tables
    keep = {name: _known_by(frame["first_published"], day) for name, frame in dated.items()}
    # References: what a kept row points to must be known too.
    events = set(t["events"]["id"][keep["events"]]) if "events" in t else set()
    if "links" in keep:
        links = t["links"]
        keep["links"] &= links["from_event"].isin(events) & links["to_event"].isin(events)
    if "measure_states" in keep:
        states = t["measure_states"]
        keep["measure_states"] &= states["event_id"].isin(events)
        if "measures" in keep:
            keep["measures"] &= t["measures"]["id"].isin(set(states["measure"][keep["measure_states"]]))
            keep["measure_states"] &= states["measure"].isin(set(t["measures"]["id"][keep["measures"]]))
    if "deadlines" in keep:
        keep["deadlines"] &= _each(t["deadlines"]["set_by"], lambda s: any(e in events for e in _ids(s))).astype(bool)
    tables = {name: frame[keep[name]] if name in keep else frame for name, frame in t.items()}
    if "deadlines" in tables:
        d = tables["deadlines"]
        tables["deadlines"] = d.assign(
            set_by=_trim(d["set_by"], events), outcome_event=d["outcome_event"].where(d["outcome_event"].isin(events))
        )
    if "tariffs" in tables:
        tables["tariffs"] = tables["tariffs"].assign(event_ids=_trim(tables["tariffs"]["event_ids"], events))
    if "tariff_layers" in tables:
        ids = tables["tariff_layers"]["id"]
        unknown = _layers_named(t) - _layers_named(tables)  # named only by rows not yet known
        tables["tariff_layers"] = tables["tariff_layers"][~ids.isin(unknown)]
    # Sources: those published by asof and the undated ones; kept rows cite only those.
    if "sources" in tables:
        sources = tables["sources"]
        tables["sources"] = sources[_known_by(_each(sources["published"], last_day).astype("string"), day)]
        known_sources = set(tables["sources"]["id"])
        for name in dated:
            tables[name] = tables[name].assign(source_ids=_trim(tables[name]["source_ids"], known_sources))
    if "revisions" in tables:
        revs = tables["revisions"]
        located = [_locate(ds, rev)[0] for _, rev in revs.iterrows()]
        row_kept = [i is not None and i in tables[r].index for i, r in zip(located, revs["table"], strict=True)]
        due = (revs["revised_on"].fillna("") <= day).astype(bool)
        tables["revisions"] = revs[due & pd.Series(row_kept, index=revs.index, dtype=bool)]
    revised = _first_reported(ds, tables, day)
    own = {name: int((dated[name]["own_date"] & keep[name]).sum()) for name in dated}
    dropped = {name: len(t[name]) - len(tables[name]) for name in t}
    cov = ds.coverage
    if cov is not None:
        cov = replace(
            cov,
            curated_to=min(cov.curated_to, asof) if cov.curated_to else None,
            searched_to=min(cov.searched_to, asof) if cov.searched_to else None,
        )
    as_of = ""
    if "sources" in tables and tables["sources"]["published"].notna().any():
        as_of = str(tables["sources"]["published"].dropna().max())
    view = f"asof-{day}"
    out = replace(ds, tables=tables, coverage=cov, as_of=as_of, view=f"{ds.view}+{view}" if ds.view else view)
    return Replayed(ds=out, asof=asof, own_date_rows=own, revised=revised, dropped=dropped)


def scenario_unknown(asof: dt.date, ds: Dataset) -> list[str]:
    """The scenario inputs (``Input.name``, in INPUTS order) whose defaults rest on facts not yet known
    on ``asof``. An Input carries no source ids: its note cites the claims and events its default is
    read from (``C12``, ``E46``), and the default counts as known once the first of them is known (the
    notes cite one figure as stated several times, or a figure beside its context). An Input whose
    note cites no row rests on no source (substitution: 0% a year by default) and is never listed."""
    known = replay(ds, asof).ds.tables
    ids = set()
    for name in ("claims", "events"):
        if name in known:
            ids |= set(known[name]["id"])
    out = []
    for i in INPUTS:
        cited = CITED_ROW.findall(i.note)
        if cited and not any(c in ids for c in cited):
            out.append(i.name)
    return out
