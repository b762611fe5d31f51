"""As known on a date: the record replayed with only what had been published by then (chipsmag/replay.py).

Code tests run on the frozen 2025 fixture (tests/fixtures/record_2025) and derive what they expect from
its sources' dates, never from its counts or ids. The checks of particular curated facts (the issue's
example of 2025-07-15, and two later dates) are the class at the end, marked ``anchors``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pandas as pd
import pytest

from chipsmag import measures
from chipsmag import replay as R
from chipsmag.loading import DEFAULT_DATA_DIR, _check_references, load_dataset, read_descriptor
from chipsmag.scenario import INPUTS

FIXTURE_DATES = [dt.date(2025, 1, 15), dt.date(2025, 4, 15), dt.date(2025, 7, 15), dt.date(2025, 11, 1)]
CURATED_DATES = [dt.date(2025, 7, 15), dt.date(2025, 12, 1), dt.date(2026, 3, 1)]
DAY = dt.timedelta(days=1)


def day_of(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def source_days(ds) -> dict[str, str]:
    """Each dated source's publication date, read the conservative way (the last day it can mean)."""
    sources = ds.tables["sources"]
    return {i: R.last_day(p) for i, p in zip(sources["id"], sources["published"], strict=True) if pd.notna(p)}


def earliest_and_latest_source(ds) -> tuple[str, str]:
    """The ids of the first and the last source published."""
    dated = source_days(ds)
    return min(dated, key=dated.get), max(dated, key=dated.get)


def after_everything(ds) -> dt.date:
    """A day after every date the record holds: its rows' and its sources'."""
    days = [d for f in R.first_published(ds).values() for d in f["first_published"].dropna()]
    days += list(source_days(ds).values())
    return day_of(max(days)) + DAY


def assert_nothing_later(full, replayed: R.Replayed) -> None:
    """No row first published after the date survives in any table, and no source either."""
    asof = replayed.asof.isoformat()
    dated = R.first_published(full)
    assert set(dated) == set(R.fact_tables(full))
    for name, frame in dated.items():
        kept = frame.loc[replayed.ds.tables[name].index, "first_published"]
        assert (kept.isna() | (kept <= asof)).all(), name
    published = replayed.ds.tables["sources"]["published"].map(R.last_day)
    assert all(pd.isna(d) or d <= asof for d in published)


def assert_references_whole(replayed: R.Replayed) -> None:
    """The validator's reference checks pass on the replayed tables, and every measure keeps a state."""
    tables = replayed.ds.tables
    lines = {name: pd.Series(range(2, len(df) + 2), index=df.index) for name, df in tables.items()}
    # Without x_coverage: a date passed with its outcome not yet known is what the record knew then.
    descriptor = {k: v for k, v in replayed.ds.descriptor.items() if k != "x_coverage"}
    assert [str(i) for i in _check_references(tables, lines, descriptor)] == []
    assert set(tables["measures"]["id"]) == set(tables["measure_states"]["measure"])
    assert tables["deadlines"]["set_by"].notna().all()
    assert tables["tariffs"]["layer"].isin(set(tables["tariff_layers"]["id"])).all()


# ---------------------------------------------------------------------------
# Dating each row.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("2025-07-20", "2025-07-20"),
        ("2025-02", "2025-02-28"),
        ("2024-02", "2024-02-29"),
        ("2025-12", "2025-12-31"),
        ("2026", "2026-12-31"),
        (None, None),
        (pd.NA, None),
        ("", None),
        ("2025-13", None),
        ("July 2025", None),
        ("\u0662\u0660\u0662\u0665-04", None),  # digits other than 0-9
    ],
)
def test_a_partial_date_means_its_last_day(text, last):
    assert R.last_day(text) == last


def test_a_row_is_dated_by_its_earliest_dated_source_or_else_by_its_own_date(record):
    dated = source_days(record)
    own_dated = 0
    for name, frame in R.first_published(record).items():
        for idx, ids in record.tables[name]["source_ids"].items():
            days = [dated[i] for i in ids.split(";") if i in dated]
            if days:
                assert frame.at[idx, "first_published"] == min(days), (name, idx)
                assert not frame.at[idx, "own_date"]
            else:
                assert frame.at[idx, "own_date"], (name, idx)
                own_dated += 1
    assert own_dated > 0  # the fixture has rows whose sources carry no date: the fallback is exercised


def test_the_own_date_of_each_table(record):
    t, dated = record.tables, R.first_published(record)

    def own(name):
        return dated[name][dated[name]["own_date"]]["first_published"]

    events = own("events")
    assert len(events) and (events == t["events"].loc[events.index, "date"].map(R.last_day)).all()
    claims = own("claims")
    assert (claims == t["claims"].loc[claims.index, "date"]).all()
    supply = own("supply")
    assert len(supply) and (supply == t["supply"].loc[supply.index, "year"].astype(str) + "-12-31").all()
    magnets = own("magnet_exports")
    assert (magnets == t["magnet_exports"].loc[magnets.index, "period_end"].map(R.last_day)).all()
    event_day = dict(zip(t["events"]["id"], t["events"]["date"].map(R.last_day), strict=True))
    links = t["links"].loc[own("links").index]
    later = [max(event_day[a], event_day[b]) for a, b in zip(links["from_event"], links["to_event"], strict=True)]
    assert own("links").tolist() == later
    deadlines = t["deadlines"].loc[own("deadlines").index]
    assert own("deadlines").tolist() == [max(event_day[e] for e in s.split(";")) for s in deadlines["set_by"]]


# ---------------------------------------------------------------------------
# Replaying.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("asof", FIXTURE_DATES, ids=str)
def test_replay_keeps_only_what_was_published_by_the_date(record, asof):
    replayed = R.replay(record, asof)
    assert_nothing_later(record, replayed)
    # Events refer to nothing that can be unknown: exactly those known by the date are kept.
    known = R.first_published(record)["events"]["first_published"] <= asof.isoformat()
    assert set(replayed.ds.tables["events"]["id"]) == set(record.tables["events"]["id"][known])
    assert replayed.dropped["events"] == int((~known).sum()) > 0
    assert replayed.ds.version == record.version and replayed.ds.descriptor is record.descriptor
    assert replayed.ds.view.endswith(f"asof-{asof.isoformat()}") and replayed.ds.key != record.key


@pytest.mark.parametrize("asof", FIXTURE_DATES, ids=str)
def test_references_stay_whole(record, asof):
    assert_references_whole(R.replay(record, asof))


def test_the_coverage_ends_at_the_date(record):
    end = record.coverage.curated_to
    assert R.replay(record, end - 30 * DAY).ds.coverage.curated_to == end - 30 * DAY
    assert R.replay(record, end - 30 * DAY).ds.coverage.searched_to == end - 30 * DAY
    assert R.replay(record, end + 30 * DAY).ds.coverage == record.coverage


def test_replay_after_the_end_of_the_record_returns_the_data_unchanged(record):
    replayed = R.replay(record, after_everything(record))
    assert set(replayed.ds.tables) == set(record.tables)
    for name, table in record.tables.items():
        pd.testing.assert_frame_equal(replayed.ds.tables[name], table)
    assert replayed.ds.coverage == record.coverage and replayed.ds.as_of == record.as_of
    assert replayed.revised == 0 and set(replayed.dropped.values()) == {0}


@pytest.mark.parametrize("asof", FIXTURE_DATES, ids=str)
def test_rows_dated_by_their_own_date_are_counted(record, asof):
    dated = set(source_days(record))
    replayed = R.replay(record, asof)
    for name in R.fact_tables(record):
        kept = replayed.ds.tables[name].index
        cited = record.tables[name].loc[kept, "source_ids"].str.split(";").tolist()
        assert replayed.own_date_rows[name] == sum(not set(ids) & dated for ids in cited), name


def test_without_any_source_date_every_row_stands_on_its_own_date(record):
    sources = record.tables["sources"].assign(published=pd.Series(pd.NA, index=record.tables["sources"].index))
    sources = sources.astype({"published": record.tables["sources"]["published"].dtype})
    undated = replace(record, tables={**record.tables, "sources": sources})
    asof = FIXTURE_DATES[2]
    replayed = R.replay(undated, asof)
    events = record.tables["events"]
    own_day = events["date"].map(R.last_day)
    assert set(replayed.ds.tables["events"]["id"]) == set(events["id"][own_day <= asof.isoformat()])
    assert replayed.own_date_rows == {name: len(replayed.ds.tables[name]) for name in R.fact_tables(record)}
    assert len(replayed.ds.tables["sources"]) == len(sources)  # undated sources are kept


def test_a_link_waits_for_both_its_events(record):
    # A link whose own source is the oldest of all: it still waits until both its events are known.
    events = R.first_published(record)["events"]
    known = dict(zip(record.tables["events"]["id"], events["first_published"], strict=True))
    links = record.tables["links"].copy()
    both = [max(known[a], known[b]) for a, b in zip(links["from_event"], links["to_event"], strict=True)]
    idx = links.index[both.index(max(both))]
    links.loc[idx, "source_ids"] = earliest_and_latest_source(record)[0]
    early = replace(record, tables={**record.tables, "links": links})
    asof = day_of(max(both))
    assert idx not in R.replay(early, asof - DAY).ds.tables["links"].index
    assert idx in R.replay(early, asof).ds.tables["links"].index


def test_a_measure_shows_only_with_a_state_known_then(record):
    earliest, latest = earliest_and_latest_source(record)
    states_known = R.first_published(record)["measure_states"]["first_published"]
    states = record.tables["measure_states"]
    first = states.assign(known=states_known).groupby("measure")["known"].min()
    measure = first.idxmax()  # the measure whose first state is known last
    table = record.tables["measures"].copy()
    table.loc[table["id"] == measure, "source_ids"] = earliest  # its own row known long before
    early = replace(record, tables={**record.tables, "measures": table})
    assert measure not in set(R.replay(early, day_of(first[measure]) - DAY).ds.tables["measures"]["id"])
    assert measure in set(R.replay(early, day_of(first[measure])).ds.tables["measures"]["id"])
    table.loc[table["id"] == measure, "source_ids"] = latest  # its own row known after its states
    late = replace(record, tables={**record.tables, "measures": table})
    replayed = R.replay(late, day_of(source_days(record)[latest]) - DAY).ds.tables
    assert measure not in set(replayed["measure_states"]["measure"])


def test_a_measure_shows_the_state_known_then_not_its_later_one(record):
    states, dated = record.tables["measure_states"], R.first_published(record)["measure_states"]
    # A state that was published after the day it began: between the two, the earlier state shows.
    late = states[dated["first_published"] > states["from"]]
    assert len(late)
    state = late.iloc[0]
    asof = day_of(dated.at[late.index[0], "first_published"]) - DAY
    assert asof >= day_of(state["from"])
    full = measures.on_date(record.tables["measures"], states, asof).set_index("id")
    replayed = R.replay(record, asof).ds.tables
    then = measures.on_date(replayed["measures"], replayed["measure_states"], asof).set_index("id")
    assert full.at[state["measure"], "state"] == state["state"]
    assert then["state"].get(state["measure"]) != state["state"]  # an earlier state, or none yet
    assert late.index[0] in R.replay(record, asof + DAY).ds.tables["measure_states"].index


def test_a_scheduled_end_stays_as_known_then_never_its_later_outcome(record):
    # A state scheduled to end, followed by one published only after that end: until then the record
    # shows the scheduled end passed with the outcome not recorded, never the later state.
    states = record.tables["measure_states"]
    ending = states[states["scheduled_until"].notna()].iloc[0]
    end = day_of(ending["scheduled_until"])
    late_source = pd.DataFrame(
        [["late_source", "Example", pd.NA, "Later outcome", "https://example.org/", str(end + 5 * DAY), pd.NA]],
        columns=["id", "publisher", "original_publisher", "title", "url", "published", "accessed"],
    ).assign(kind="news_report", note=pd.NA)
    outcome = ending.copy()
    outcome["state"], outcome["from"], outcome["scheduled_until"] = "in_force", str(end), pd.NA
    outcome["source_ids"] = "late_source"
    tables = dict(record.tables)
    tables["sources"] = pd.concat([tables["sources"], late_source.astype(tables["sources"].dtypes)], ignore_index=True)
    tables["measure_states"] = pd.concat([states, outcome.to_frame().T.astype(states.dtypes)], ignore_index=True)
    later = replace(record, tables=tables)
    asof = end + 2 * DAY
    then = R.replay(later, asof).ds.tables
    shown = measures.on_date(then["measures"], then["measure_states"], asof).set_index("id")
    assert shown.at[ending["measure"], "state"] == measures.OUTCOME_UNKNOWN
    now = R.replay(later, end + 5 * DAY).ds.tables
    shown = measures.on_date(now["measures"], now["measure_states"], asof).set_index("id")
    assert shown.at[ending["measure"], "state"] == "in_force"


def test_deadlines_and_tariff_changes_appear_when_published_with_the_events_known_then(record):
    dated = R.first_published(record)
    known_event = dict(zip(record.tables["events"]["id"], dated["events"]["first_published"], strict=True))
    days = {day_of(d) for name in ("deadlines", "tariffs") for d in dated[name]["first_published"]}
    checked = 0
    for asof in sorted(days):
        tables_before, tables_on = R.replay(record, asof - DAY).ds.tables, R.replay(record, asof).ds.tables
        for name, column in (("deadlines", "set_by"), ("tariffs", "event_ids")):
            before, on = tables_before[name], tables_on[name]
            due = dated[name].index[dated[name]["first_published"] == asof.isoformat()]
            assert not before.index.isin(due).any()
            for idx in due:
                ids = str(record.tables[name].at[idx, column] or "").split(";")
                then = [i for i in ids if i in known_event and known_event[i] <= asof.isoformat()]
                if name == "deadlines" and not then:
                    assert idx not in on.index  # set by events not yet known
                    continue
                assert idx in on.index
                shown = on.at[idx, column]
                assert (shown.split(";") if isinstance(shown, str) else []) == then
                checked += then != ids
    assert checked  # some row appears before one of its events is known, and names only the known ones


def test_a_tariff_change_names_only_the_events_known_then(record):
    events = R.first_published(record)["events"]["first_published"]
    latest = record.tables["events"].at[events.idxmax(), "id"]
    tariffs = record.tables["tariffs"].copy()
    idx = R.first_published(record)["tariffs"]["first_published"].idxmin()
    tariffs.loc[idx, "event_ids"] = f"{tariffs.at[idx, 'event_ids']};{latest}"
    later = replace(record, tables={**record.tables, "tariffs": tariffs})
    before = R.replay(later, day_of(events.max()) - DAY).ds.tables["tariffs"]
    assert before.at[idx, "event_ids"] == record.tables["tariffs"].at[idx, "event_ids"]
    assert R.replay(later, day_of(events.max())).ds.tables["tariffs"].at[idx, "event_ids"].endswith(latest)


def test_a_deadline_loses_an_outcome_not_yet_known(record):
    events_known = R.first_published(record)["events"]["first_published"]
    deadlines_known = R.first_published(record)["deadlines"]["first_published"]
    deadline = deadlines_known.idxmin()
    outcome = events_known.idxmax()
    assert events_known[outcome] > deadlines_known[deadline]
    outcome_id = record.tables["events"].at[outcome, "id"]
    deadlines = record.tables["deadlines"].copy()
    deadlines.loc[deadline, "outcome_event"] = outcome_id
    with_outcome = replace(record, tables={**record.tables, "deadlines": deadlines})
    before = R.replay(with_outcome, day_of(events_known[outcome]) - DAY).ds.tables["deadlines"]
    assert pd.isna(before.at[deadline, "outcome_event"])
    after = R.replay(with_outcome, day_of(events_known[outcome])).ds.tables["deadlines"]
    assert after.at[deadline, "outcome_event"] == outcome_id


def test_a_kept_row_cites_only_the_sources_known_then(record):
    dated = source_days(record)
    for asof in FIXTURE_DATES:
        replayed = R.replay(record, asof)
        known = set(replayed.ds.tables["sources"]["id"])
        assert set(dated) - known, asof  # at each date some dated source is not yet published
        for name in R.fact_tables(record):
            cited = replayed.ds.tables[name]["source_ids"].str.split(";").explode()
            assert cited.notna().all() and set(cited) <= known, name


# ---------------------------------------------------------------------------
# Revisions: values shown as first reported.
# ---------------------------------------------------------------------------


def with_revisions(data_copy, rows: list[dict]) -> object:
    """The fixture with a revisions table (the curated descriptor's resource) holding ``rows``."""
    folder = data_copy.dir
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in read_descriptor(DEFAULT_DATA_DIR)["resources"] if r["name"] == "revisions")
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "revisions"] + [resource]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    columns = [f["name"] for f in resource["schema"]["fields"]]
    pd.DataFrame(rows, columns=columns).to_csv(folder / "revisions.csv", index=False)
    return folder


def a_revenue_row(record):
    """A reported revenue row, its key as a revision names it, and its first publication date."""
    revenue = record.tables["revenue"]
    idx = revenue.index[revenue["value_usd_m"].notna()][0]
    key = R.row_keys(record, "revenue")[idx]
    return idx, key, day_of(R.first_published(record)["revenue"].at[idx, "first_published"])


def test_a_value_revised_after_the_date_shows_as_first_reported(record, data_copy):
    idx, key, known = a_revenue_row(record)
    value = record.tables["revenue"].at[idx, "value_usd_m"]
    first, second = known + 30 * DAY, known + 60 * DAY
    sources = record.tables["revenue"].at[idx, "source_ids"]
    rows = [
        {"table": "revenue", "row_id": key, "column": "value_usd_m", "old_value": "1", "new_value": "2"},
        {"table": "revenue", "row_id": key, "column": "value_usd_m", "old_value": "2"},
    ]
    rows[0] |= {"revised_on": first.isoformat(), "source_ids": sources, "note": "first revision"}
    rows[1] |= {"revised_on": second.isoformat(), "source_ids": sources, "note": "second revision"}
    rows[1]["new_value"] = f"{value:.15g}"  # as the CSV writes it
    ds = load_dataset(with_revisions(data_copy, rows))
    assert ds.issues == [] and len(ds.tables["revisions"]) == 2  # validated like every table
    assert R.revision_issues(ds) == []

    def shown(asof):
        replayed = R.replay(ds, asof)
        return replayed.ds.tables["revenue"].at[idx, "value_usd_m"], replayed.revised, replayed.ds.tables["revisions"]

    assert shown(first - DAY)[:2] == (1, 1)
    assert shown(first)[:2] == (2, 1) and len(shown(first)[2]) == 1
    assert shown(second)[:2] == (value, 0) and len(shown(second)[2]) == 2
    assert idx not in R.replay(ds, known - DAY).ds.tables["revenue"].index  # not yet known at all
    assert R.replay(ds, known - DAY).revised == 0


def test_revisions_that_point_nowhere_are_named(record, data_copy):
    idx, key, known = a_revenue_row(record)
    source = record.tables["revenue"].at[idx, "source_ids"]
    base = {"old_value": "1", "revised_on": (known + 10 * DAY).isoformat(), "source_ids": source, "note": ""}
    rows = [
        {"table": "revenue", "row_id": "nvidia / FY1999 / total", "column": "value_usd_m", "new_value": "2", **base},
        {"table": "revenue", "row_id": key, "column": "no_such_column", "new_value": "2", **base},
        {"table": "revenue", "row_id": key, "column": "value_usd_m", "new_value": "-5", **base},
    ]
    ds = load_dataset(with_revisions(data_copy, rows))
    assert ds.issues == []
    found = [str(i) for i in R.revision_issues(ds)]
    assert len(found) == 3
    assert "no row of data/revenue.csv has the key 'nvidia / FY1999 / total'" in found[0]
    assert "data/revenue.csv has no column no_such_column" in found[1]
    assert "new_value differs from the value data/revenue.csv holds" in found[2]
    replayed = R.replay(ds, known)  # the row is known, the revisions not yet made
    assert replayed.revised == 1  # only the revision that points at a row and column
    assert replayed.ds.tables["revenue"].at[idx, "value_usd_m"] == 1


def test_the_validator_checks_the_revisions_table(record, data_copy):
    _idx, key, known = a_revenue_row(record)
    row = {"table": "revenue", "row_id": key, "column": "value_usd_m", "old_value": "1", "new_value": "2"}
    row |= {"revised_on": known.isoformat(), "source_ids": "no_such_source", "note": ""}
    ds = load_dataset(with_revisions(data_copy, [row]))
    assert [str(i) for i in ds.issues] == [
        "data/revisions.csv, line 2, column 'source_ids': 'no_such_source': unknown id: not in data/sources.csv"
    ]


# ---------------------------------------------------------------------------
# Scenario defaults known then.
# ---------------------------------------------------------------------------


def test_scenario_defaults_are_known_from_the_first_row_their_note_cites(record):
    known = {}
    for name in ("claims", "events"):
        dated = R.first_published(record)[name]["first_published"]
        known |= dict(zip(record.tables[name]["id"], dated, strict=True))
    assert R.scenario_unknown(after_everything(record), record) == []
    checked = 0
    for i in INPUTS:
        cited = [known[c] for c in R.CITED_ROW.findall(i.note) if c in known]
        if not R.CITED_ROW.findall(i.note):
            assert i.name not in R.scenario_unknown(dt.date(2000, 1, 1), record)  # rests on no source
            continue
        if not cited:
            continue
        first = day_of(min(cited))
        assert i.name in R.scenario_unknown(first - DAY, record)
        assert i.name not in R.scenario_unknown(first, record)
        checked += 1
    assert checked >= 3


# ---------------------------------------------------------------------------
# Anchors: the curated data as known on three dates.
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replays(dataset):
    """The curated data replayed on each of CURATED_DATES."""
    return {asof: R.replay(dataset, asof) for asof in CURATED_DATES}


class TestCuratedAnchors:
    pytestmark = pytest.mark.anchors

    def test_on_2025_07_15_the_geneva_truce_and_the_h20_resumption_but_not_busan(self, replays):
        titles = replays[dt.date(2025, 7, 15)].ds.tables["events"]["title"]
        assert titles.str.contains("Geneva").any()
        assert titles.str.contains("resume H20").any()
        assert not titles.str.contains("Busan").any()
        assert replays[dt.date(2025, 12, 1)].ds.tables["events"]["title"].str.contains("Busan").any()

    def test_on_2025_07_15_no_nvidia_q2_fy2026_results_and_no_june_magnet_exports(self, dataset, replays):
        def q2(ds):
            revenue = ds.tables["revenue"]
            return ((revenue["company"] == "nvidia") & (revenue["fiscal_period"] == "Q2 FY2026")).any()

        def june(ds):
            return (ds.tables["magnet_exports"]["period_start"] == "2025-06").any()

        assert q2(dataset) and june(dataset)
        assert not q2(replays[dt.date(2025, 7, 15)].ds) and not june(replays[dt.date(2025, 7, 15)].ds)
        assert q2(replays[dt.date(2025, 12, 1)].ds) and june(replays[dt.date(2025, 12, 1)].ds)

    @pytest.mark.parametrize("asof", CURATED_DATES, ids=str)
    def test_nothing_published_later_survives_and_references_stay_whole(self, dataset, replays, asof):
        assert_nothing_later(dataset, replays[asof])
        assert_references_whole(replays[asof])
        assert replays[asof].ds.coverage.curated_to == asof
        assert sum(replays[asof].own_date_rows.values()) > 0

    def test_on_2025_07_15_the_reciprocal_tariff_runs_to_the_geneva_end_date(self, dataset, replays):
        def last_state(ds):
            name = ds.tables["measures"].set_index("id")["name"]
            ids = name[name.str.contains("IEEPA reciprocal")].index
            states = ds.tables["measure_states"]
            return states[states["measure"].isin(ids)].sort_values("from").iloc[-1]

        then = last_state(replays[dt.date(2025, 7, 15)].ds)
        assert then["scheduled_until"] == "2025-08-12"  # the 90 days from Geneva, as known then
        assert last_state(dataset)["from"] > "2025-08-12"  # later states are in the full record

    def test_on_2026_03_01_the_mcs_2026_reserves_show_as_first_reported(self, dataset, replays):
        def reserves(ds, country):
            s = ds.tables["supply"]
            rows = s[(s["stage"] == "reserves") & (s["country"] == country) & (s["edition"] == "MCS 2026")]
            return rows["value"].iloc[0]

        then = replays[dt.date(2026, 3, 1)].ds
        assert (reserves(then, "BR"), reserves(then, "WORLD")) == (21_000_000, 85_000_000)
        assert (reserves(dataset, "BR"), reserves(dataset, "WORLD")) == (11_000_000, 75_000_000)
        assert replays[dt.date(2026, 3, 1)].revised >= 2

    def test_on_2025_07_15_the_scenario_says_which_defaults_were_not_yet_known(self, dataset):
        unknown = R.scenario_unknown(dt.date(2025, 7, 15), dataset)
        assert "uptake_pct" in unknown  # Q3 FY2026 H20 sales, reported in November 2025
        assert "market_usd_b" not in unknown  # Huang's $50B, May 2025
        assert R.scenario_unknown(dt.date(2025, 12, 1), dataset) == []

    def test_after_the_end_of_the_record_the_curated_data_is_unchanged(self, dataset):
        replayed = R.replay(dataset, after_everything(dataset))
        for name, table in dataset.tables.items():
            pd.testing.assert_frame_equal(replayed.ds.tables[name], table)
        assert replayed.revised == 0
