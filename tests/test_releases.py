"""What changed between two data versions, the releases file, the notice of a link made on another
version, and the Atom feed of events (its validity, its sync with the data, its stable bytes)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from chipsmag import changes, feed, releases, validate
from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset, read_descriptor

from .conftest import RECORD_2025, ROOT

A = "{http://www.w3.org/2005/Atom}"
HAS_GIT = (ROOT / ".git").exists() and shutil.which("git") is not None


def run(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, check=False)


def call(capsys, main, *args: str) -> subprocess.CompletedProcess:
    """A command's main() in this process, its output captured as a finished process's."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def next_event_id(rows: list[dict]) -> str:
    return f"E{max(int(r['id'][1:]) for r in rows if r['id'][1:].isdigit()) + 1}"


@pytest.fixture
def edited(tmp_path):
    """Two copies of the frozen fixture; the new one has an event added, a claim removed and a
    revenue figure and an event title changed. Returns (old, new, what was edited)."""
    old, new = tmp_path / "old" / "data", tmp_path / "new" / "data"
    shutil.copytree(RECORD_2025, old)
    shutil.copytree(RECORD_2025, new)
    events = read_rows(new / "events.csv")
    added = dict(events[-1], id=next_event_id(events), title="A test event", date="2025-12-08")
    events[0] = dict(events[0], title=events[0]["title"] + " (retitled)")
    write_rows(new / "events.csv", [*events, added])
    claims = read_rows(new / "claims.csv")
    write_rows(new / "claims.csv", claims[1:])
    revenue = read_rows(new / "revenue.csv")
    old_value = revenue[0]["value_usd_m"]
    revenue[0] = dict(revenue[0], value_usd_m=str(int(old_value) + 1))
    write_rows(new / "revenue.csv", revenue)
    info = {
        "added": added["id"],
        "retitled": events[0]["id"],
        "removed": claims[0]["id"],
        "revenue": revenue[0],
        "old_value": old_value,
    }
    return old, new, info


# ---------------------------------------------------------------------------
# What changed.
# ---------------------------------------------------------------------------


def test_diff_reports_rows_added_removed_and_values_changed(edited):
    old, new, info = edited
    a, b = changes.read_dir(old), changes.read_dir(new)
    found = changes.diff(a.tables, b.tables, b.descriptor)
    events, claims, revenue = found.table("events"), found.table("claims"), found.table("revenue")
    assert [r.key for r in events.added] == [info["added"]]
    assert events.removed == ()
    assert [(c.key, [v.column for v in c.changes]) for c in events.changed] == [(info["retitled"], ["title"])]
    assert [r.key for r in claims.removed] == [info["removed"]] and claims.added == ()
    # revenue has no id: its rows are matched by the descriptor's primary key
    spec = next(r for r in b.descriptor["resources"] if r["name"] == "revenue")
    assert revenue.key == tuple(spec["schema"]["primaryKey"])
    row = info["revenue"]
    (change,) = revenue.changed
    assert change.key == f"{row['company']} / {row['fiscal_period']} / {row['metric']}"
    assert change.changes == (changes.ValueChange("value_usd_m", info["old_value"], row["value_usd_m"], True),)
    assert {t.name for t in found.tables if t.status == "unchanged"} == {
        t for t in a.tables if t not in ("events", "claims", "revenue")
    }
    assert changes.summary(found) == (1, 1)  # the new event; the revenue figure (a title is no figure)


def test_same_data_has_no_changes(edited):
    old, _, _ = edited
    a = changes.read_dir(old)
    found = changes.diff(a.tables, a.tables, a.descriptor)
    assert {t.status for t in found.tables} == {"unchanged"}
    assert changes.summary(found) == (0, 0)


def test_a_table_without_a_key_is_compared_by_whole_rows():
    old = pd.DataFrame({"a": ["1", "1", "2"], "b": ["x", "x", "y"]})
    new = pd.DataFrame({"a": ["1", "3"], "b": ["x", "z"]})
    found = changes.diff({"t": old}, {"t": new}, {"resources": []}).table("t")
    assert found.key == ()
    assert [r.values for r in found.added] == [{"a": "3", "b": "z"}]
    assert sorted(r.values["a"] for r in found.removed) == ["1", "2"]  # one of the two equal rows went
    assert found.changed == ()


def test_a_repeated_key_falls_back_to_whole_rows_and_tables_come_and_go():
    old = pd.DataFrame({"id": ["a", "a"], "v": ["1", "2"]})
    new = pd.DataFrame({"id": ["a"], "v": ["1"]})
    found = changes.diff({"t": old, "gone": old}, {"t": new, "new": new}, {"resources": []})
    assert found.table("t").key == () and len(found.table("t").removed) == 1
    assert found.table("gone").status == "removed" and len(found.table("gone").removed) == 2
    assert found.table("new").status == "added" and [r.key for r in found.table("new").added] == ["a"]


def test_the_command_prints_the_changes_as_text_and_json(edited, capsys):
    old, new, info = edited
    text = run("chipsmag.changes", str(old), str(new))
    assert text.returncode == 0, text.stderr
    assert re.search(r"^events \(by id\): 1 added, 0 removed, 1 changed$", text.stdout, re.M)
    assert re.search(rf"^  added    {info['added']}  A test event$", text.stdout, re.M)
    assert re.search(rf"^  removed  {info['removed']}\b", text.stdout, re.M)
    assert f"value_usd_m: '{info['old_value']}' -> '{info['revenue']['value_usd_m']}'" in text.stdout
    assert text.stdout.rstrip().endswith("in all: 1 event(s) added, 1 figure(s) revised")
    machine = call(capsys, changes.main, str(old), str(new), "--json")
    out = json.loads(machine.stdout)
    assert out["summary"] == {"events_added": 1, "figures_revised": 1}
    claims = next(t for t in out["tables"] if t["name"] == "claims")
    assert [r["key"] for r in claims["removed"]] == [info["removed"]]
    assert out["old"]["version"] != out["new"]["version"]


def test_a_bad_argument_is_named(tmp_path, capsys):
    bad = call(capsys, changes.main, "no-such-revision-xyz", str(RECORD_2025))
    assert bad.returncode == 2
    assert "OLD: 'no-such-revision-xyz' is neither a data folder nor a revision of the git repository" in bad.stderr
    afile = tmp_path / "events.csv"
    afile.write_text("id\n")
    bad = call(capsys, changes.main, str(RECORD_2025), str(afile))
    assert bad.returncode == 2
    assert f"NEW: {afile}: not a directory" in bad.stderr
    with pytest.raises(changes.ChangesError, match="not a directory"):
        changes.read_dir(afile)
    with pytest.raises(changes.ChangesError, match="is neither a data folder nor a revision"):
        changes.read_version("--output=x")


@pytest.mark.skipif(not HAS_GIT, reason="needs the git repository")
def test_git_revisions_are_read_from_the_history(capsys):
    same = call(capsys, changes.main, "HEAD", "HEAD", "--json")
    assert same.returncode == 0, same.stderr
    out = json.loads(same.stdout)
    assert out["old"]["version"] == out["new"]["version"]
    assert {t["status"] for t in out["tables"]} == {"unchanged"}
    # every version the history holds is a 12-hex version; the data at HEAD is one of them
    history = changes.version_commits()
    assert history and all(re.fullmatch(r"[0-9a-f]{12}", v) for v in history)
    assert changes.read_revision("HEAD").version in history


@pytest.mark.skipif(not HAS_GIT, reason="needs the git repository")
def test_a_bad_revision_is_named():
    with pytest.raises(changes.ChangesError, match=r"'HEAD~100000' is neither a data folder nor a revision"):
        changes.read_revision("HEAD~100000")
    assert changes.changes_since("0" * 12, DEFAULT_DATA_DIR) is None  # a version the history never had


# ---------------------------------------------------------------------------
# The releases file and the notice.
# ---------------------------------------------------------------------------


def test_the_bundled_releases_are_well_formed():
    found = releases.read_releases(DEFAULT_DATA_DIR / releases.RELEASES)
    assert found and len({r.version for r in found}) == len(found)
    assert [r.released for r in found] == sorted((r.released for r in found), reverse=True)


def test_a_malformed_releases_file_names_every_line(tmp_path):
    path = tmp_path / "releases.csv"
    path.write_text(
        "version,released,summary,coverage_end\n"
        "aaaaaaaaaaaa,2026-03-01,Fine,2026-01-31\n"
        "XYZ,2026-02-30,,2026-13-01\n"
        "aaaaaaaaaaaa,2026-02-01,Twice,\n"
        "bbbbbbbbbbbb,2026-04-01,Out of order,\n",
        encoding="utf-8",
    )
    with pytest.raises(releases.ReleasesError) as caught:
        releases.read_releases(path)
    assert [str(i) for i in caught.value.issues] == [
        "data/releases.csv, line 3, column 'version': 'XYZ': not a data version (12 lowercase hex digits)",
        "data/releases.csv, line 3, column 'released': '2026-02-30': not a real date in the form YYYY-MM-DD",
        "data/releases.csv, line 3, column 'summary': required value is empty: give a one-line summary",
        "data/releases.csv, line 3, column 'coverage_end': '2026-13-01': not a real date in the form "
        "YYYY-MM-DD (or empty)",
        "data/releases.csv, line 4, column 'version': 'aaaaaaaaaaaa': a second row for this version (first on line 2)",
        "data/releases.csv, line 5, column 'released': '2026-04-01': releases are listed newest first: "
        "this one is newer than line 2",
    ]
    path.write_text("version,date,summary\n", encoding="utf-8")
    with pytest.raises(releases.ReleasesError, match="line 1: the header must be version,released,summary"):
        releases.read_releases(path)


def two_releases(old_version: str, new_version: str) -> list[releases.Release]:
    return [
        releases.Release(new_version, dt.date(2026, 11, 30), "Now", None),
        releases.Release(old_version, dt.date(2026, 2, 10), "Then", None),
    ]


def test_the_notice_for_a_link_made_on_older_data(edited):
    old, new, _ = edited
    a, b = changes.read_dir(old), changes.read_dir(new)
    known = two_releases(a.version, b.version)

    def between(x, y):
        assert (x, y) == (a.version, b.version)
        return changes.diff(a.tables, b.tables, b.descriptor)

    assert releases.notice_for(a.version, b.version, known, between) == (
        "This link was made on the data of 2026-02-10; since then 1 event was added and 1 figure revised. "
        "See what changed on Sources & data."
    )
    assert releases.notice_for(a.version, b.version, known, lambda x, y: None) == (
        "This link was made on the data of 2026-02-10; this dashboard now shows the data of 2026-11-30. "
        "What changed since cannot be read here; the releases are listed on Sources & data."
    )
    assert releases.notice_for(b.version, b.version, known, between) == ""
    newer = releases.notice_for(b.version, a.version, known, between)
    assert newer == (
        "This link was made on the data of 2026-11-30, newer than this dashboard's; it shows the data of 2026-02-10."
    )


def test_the_notice_for_an_unknown_version():
    known = two_releases("a" * 12, "b" * 12)
    never = lambda x, y: pytest.fail("no changes are read for an unknown version")  # noqa: E731
    assert releases.notice_for("abc123", "b" * 12, known, never) == (
        "This link names data version abc123, which this dashboard does not know; "
        f"it shows the current data (version {'b' * 12})."
    )
    hostile = releases.notice_for("<script>alert(1)</script>", "b" * 12, known, never)
    assert "<" not in hostile and hostile.startswith("This link names a data version, which")


@pytest.mark.skipif(not HAS_GIT, reason="needs the git repository")
def test_the_notice_reads_an_old_version_from_git():
    history = changes.version_commits()
    oldest = next(iter(history))  # the first data version committed
    current = load_dataset(DEFAULT_DATA_DIR).version
    known = [releases.Release(current, dt.date(2026, 11, 30), "Now", None)]
    if oldest != current:
        known.append(releases.Release(oldest, dt.date(2025, 1, 1), "Then", None))
    notice = releases.notice_for(oldest, current, known, releases.changes_from_git(DEFAULT_DATA_DIR))
    assert re.fullmatch(
        r"This link was made on the data of 2025-01-01; since then (no events were|1 event was|\d+ events were) "
        r"added and (no figures|1 figure|\d+ figures) revised\. See what changed on Sources & data\.",
        notice,
    ), notice


def test_add_records_updates_and_replaces_the_current_version(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(RECORD_2025, data)
    first = call(capsys, releases.main, str(data), "--add", "First", "--date", "2026-01-05")
    assert first.returncode == 0, first.stderr
    (row,) = releases.read_releases(data / "releases.csv")
    assert (row.version, row.released, row.summary) == (load_dataset(data).version, dt.date(2026, 1, 5), "First")
    assert row.coverage_end == load_dataset(data).coverage.curated_to
    assert releases.add(data, "First, reworded")[1] == "updated"
    assert [r.summary for r in releases.read_releases(data / "releases.csv")] == ["First, reworded"]
    (data / "actors.csv").write_bytes((data / "actors.csv").read_bytes() + b"test_actor,Test actor,company,US\n")
    assert releases.add(data, "Second", dt.date(2026, 2, 1))[1] == "added"
    assert releases.add(data, "Second, whole", dt.date(2026, 2, 1), replace_newest=True)[1] == "updated"
    (data / "actors.csv").write_bytes((data / "actors.csv").read_bytes() + b"test_two,Test two,company,US\n")
    assert releases.add(data, "Third", dt.date(2026, 2, 2), replace_newest=True)[1] == "replaced"
    assert [r.summary for r in releases.read_releases(data / "releases.csv")] == ["Third", "First, reworded"]
    (data / "actors.csv").write_bytes((data / "actors.csv").read_bytes() + b"test_3,Test 3,company,US\n")
    with pytest.raises(ValueError, match="before the newest release"):
        releases.add(data, "Older", dt.date(2025, 1, 1))
    with pytest.raises(ValueError, match="one non-empty line"):
        releases.add(data, "two\nlines")


# ---------------------------------------------------------------------------
# The validator: the release row and the feed's sync.
# ---------------------------------------------------------------------------


def test_the_validator_wants_a_release_row_and_a_feed_in_sync(tmp_path, capsys):
    data = tmp_path / "static" / "data"
    shutil.copytree(RECORD_2025, data)
    (data / "releases.csv").write_text("version,released,summary,coverage_end\n", encoding="utf-8")
    version = load_dataset(data).version
    result = call(capsys, validate.main, str(data))  # the command as a process: tests/test_validation.py
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"data/releases.csv has no row for the current data version {version}: add one "
        f"(python -m chipsmag.releases --add 'summary' {data})"
    ]
    assert call(capsys, releases.main, str(data), "--add", "Test release").returncode == 0
    assert call(capsys, feed.main, str(data)).returncode == 0
    assert (tmp_path / "static" / "feed.atom").exists()
    result = call(capsys, validate.main, str(data))
    assert result.returncode == 0, result.stdout + result.stderr
    # a new title: the feed is out of date and the data version has no release row
    events = read_rows(data / "events.csv")
    events[0] = dict(events[0], title="Retitled")
    write_rows(data / "events.csv", events)
    version = load_dataset(data).version
    result = call(capsys, validate.main, str(data))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"data/releases.csv has no row for the current data version {version}: add one "
        f"(python -m chipsmag.releases --add 'summary' {data})",
        f"{tmp_path / 'static' / 'feed.atom'} is out of date: run python -m chipsmag.feed {data}",
    ]
    assert "2 problem(s) with the releases or the feed" in result.stderr


def test_the_validator_lists_a_malformed_releases_file_by_line(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(RECORD_2025, data)
    (data / "releases.csv").write_text(
        f"version,released,summary,coverage_end\n{load_dataset(data).version},2026-02-31,Bad date,\n", encoding="utf-8"
    )
    result = call(capsys, validate.main, str(data))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/releases.csv, line 2, column 'released': '2026-02-31': not a real date in the form YYYY-MM-DD"
    ]


# ---------------------------------------------------------------------------
# The feed.
# ---------------------------------------------------------------------------


def parse(data: bytes) -> ET.Element:
    root = ET.fromstring(data)  # noqa: S314 (the feed this dashboard just wrote)
    assert root.tag == f"{A}feed"
    return root


def check_feed(root: ET.Element, events: pd.DataFrame) -> list[ET.Element]:
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{tag}") is not None, tag
    entries = root.findall(f"{A}entry")
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert (entry.findtext(f"{A}{tag}") or "").strip(), (tag, entry.findtext(f"{A}id"))
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(feed.entry_id(i) for i in events["id"])  # one entry per event
    updated = [e.findtext(f"{A}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", u) for u in updated)
    assert root.findtext(f"{A}updated") == updated[0]
    return entries


def test_the_feed_is_valid_atom_with_one_entry_per_event(record):
    entries = check_feed(parse(feed.build(record)), record.tables["events"])
    by_id = {e.findtext(f"{A}id"): e for e in entries}
    sources = record.tables["sources"].set_index("id")
    for event in record.tables["events"].itertuples():
        entry = by_id[feed.entry_id(event.id)]
        assert entry.findtext(f"{A}title") == event.title
        assert entry.findtext(f"{A}content") == event.description
        cited = [s for s in event.source_ids.split(";") if pd.notna(sources.at[s, "url"])]
        related = [link.get("href") for link in entry.findall(f"{A}link[@rel='related']")]
        assert related == [sources.at[s, "url"] for s in cited]
        summary = entry.findtext(f"{A}summary")
        assert all(sources.at[s, "publisher"] in summary for s in event.source_ids.split(";"))
        assert entry.find(f"{A}link[@rel='alternate']").get("href").endswith(f"timeline?event={event.id}")
    month = record.tables["events"].query("date.str.len() == 7").iloc[0]
    assert by_id[feed.entry_id(month.id)].findtext(f"{A}updated") == f"{month.date}-01T00:00:00Z"
    assert "(month)" in by_id[feed.entry_id(month.id)].findtext(f"{A}summary")


def test_entry_ids_are_stable_tag_uris(edited):
    _, new, info = edited
    assert feed.entry_id("E42") == "tag:chips-for-magnets,2025:event/E42"
    before = {e.findtext(f"{A}id") for e in parse(feed.build(load_dataset(RECORD_2025))).iter(f"{A}entry")}
    after = {e.findtext(f"{A}id") for e in parse(feed.build(load_dataset(new))).iter(f"{A}entry")}
    assert after - before == {feed.entry_id(info["added"])} and before <= after


def test_markup_and_control_characters_in_the_data_stay_text(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(RECORD_2025, data)
    events = read_rows(data / "events.csv")
    events[0] = dict(events[0], title='<script>alert("x")</script> & \x01done', description="]]> <b>bold</b>")
    write_rows(data / "events.csv", events)
    ds = load_dataset(data)
    root = parse(feed.build(ds))
    entry = root.find(f"{A}entry[{A}id='{feed.entry_id(events[0]['id'])}']")
    assert entry.findtext(f"{A}title") == '<script>alert("x")</script> & done'
    assert entry.findtext(f"{A}content") == "]]> <b>bold</b>"
    assert not root.findall(f".//{A}script")


def test_the_feed_is_the_same_bytes_when_written_again(tmp_path, capsys):
    data = tmp_path / "static" / "data"
    shutil.copytree(RECORD_2025, data)
    target = tmp_path / "static" / "feed.atom"
    first = run("chipsmag.feed", str(data))
    assert first.returncode == 0, first.stderr
    written = target.read_bytes()
    assert call(capsys, feed.main, str(data)).returncode == 0
    assert target.read_bytes() == written == feed.build(load_dataset(data))
    assert feed.problems(load_dataset(data), data) == []


def test_the_committed_feed_holds_every_event_of_the_bundled_data(dataset):
    committed = feed.feed_path(DEFAULT_DATA_DIR)
    assert committed == ROOT / "static" / "feed.atom"
    check_feed(parse(committed.read_bytes()), dataset.tables["events"])
    assert committed.read_bytes() == feed.build(dataset), "static/feed.atom is out of date: run python -m chipsmag.feed"
    assert read_descriptor(DEFAULT_DATA_DIR)  # releases.csv stays out of the descriptor and its version
    assert all(r["path"] != releases.RELEASES for r in read_descriptor(DEFAULT_DATA_DIR)["resources"])
