"""Curator's check of the bundled data: ``python -m chipsmag.validate [DATA_DIR] [--feed FILE]``.

Exits 0 with a one-line summary when every table is valid, every id content/quoted.toml names is in
the data, ``releases.csv`` is well formed and has a row for the current data version, and the Atom
feed holds exactly what ``python -m chipsmag.feed`` would write now; 1 with the full list of issues
(file, line, column, value, rule) when any is not.

The release row is required of the bundled data and checked in any folder that has a releases.csv;
the feed (``feed.atom`` beside the data folder: ``static/feed.atom``) is required of the bundled data
and checked elsewhere where it exists or is named with ``--feed``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chipsmag import content, feed, grading, releases, replay, vocab
from chipsmag.loading import DEFAULT_DATA_DIR, Dataset, load_dataset


def release_and_feed_problems(ds: Dataset, data_dir: Path | str, feed_file: Path | str | None = None) -> list[str]:
    """The release row of the current version and the feed's sync, where they apply (module docstring)."""
    data_dir = Path(data_dir)
    bundled = data_dir.resolve() == DEFAULT_DATA_DIR.resolve()
    out = []
    if bundled or (data_dir / releases.RELEASES).exists():
        out += releases.problems(data_dir, ds.version)
    if bundled or feed_file is not None or feed.feed_path(data_dir).exists():
        out += feed.problems(ds, data_dir, feed_file)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the curated tables in data/.")
    parser.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="folder with datapackage.json")
    parser.add_argument("--secondary", action="store_true", help="list the rows backed by secondary sources only")
    parser.add_argument("--feed", type=Path, help="the Atom feed to check (default: feed.atom beside the data folder)")
    args = parser.parse_args(argv)
    try:
        ds = load_dataset(args.data_dir)
    except (OSError, ValueError) as exc:  # unreadable folder or descriptor
        print(f"cannot read the data package in {args.data_dir}: {exc}", file=sys.stderr)
        return 2
    if ds.issues:
        for issue in ds.issues:
            print(issue)
        tables = ", ".join(sorted(ds.broken))
        print(f"{len(ds.issues)} issue(s) in {len(ds.broken)} table(s): {tables}", file=sys.stderr)
        return 1
    quoted = content.check(ds.tables) + vocab.problems()
    quoted += [str(issue) for issue in replay.revision_issues(ds)]
    published = release_and_feed_problems(ds, args.data_dir, args.feed)
    for problem in quoted + published:
        print(problem)
    if quoted:
        print(f"{len(quoted)} problem(s) with the ids the pages quote (content/quoted.toml)", file=sys.stderr)
    if published:
        print(f"{len(published)} problem(s) with the releases or the feed", file=sys.stderr)
    if quoted or published:
        return 1
    weak = grading.secondary_only(ds)
    if len(weak):  # reported, not an error: a curator's list to upgrade (also on Sources & data)
        by_table = ", ".join(f"{t} {n}" for t, n in weak["table"].value_counts().sort_index().items())
        print(f"note: {len(weak)} fact rows are backed by secondary sources only ({by_table})", end="")
        if args.secondary:
            print(":")
            for row in weak.itertuples():
                print(f"  {row.table} {row.row}: {row.source_ids}")
        else:
            print("; --secondary lists them")
    rows = sum(len(df) for df in ds.tables.values())
    print(f"ok: {len(ds.tables)} tables, {rows} rows valid (data version {ds.version}, as of {ds.as_of})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
