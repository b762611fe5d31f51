"""Curator's check of the bundled data: ``python -m chipsmag.validate [DATA_DIR]``.

Exits 0 with a one-line summary when every table is valid and every id content/quoted.toml names
is in the data, and 1 with the full list of
issues (file, line, column, value, rule) when any is not.
"""

from __future__ import annotations

import argparse
import sys

from chipsmag import content, vocab
from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the curated tables in data/.")
    parser.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR), help="folder with datapackage.json")
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
    if quoted:
        for problem in quoted:
            print(problem)
        print(f"{len(quoted)} problem(s) with the ids the pages quote (content/quoted.toml)", file=sys.stderr)
        return 1
    rows = sum(len(df) for df in ds.tables.values())
    print(f"ok: {len(ds.tables)} tables, {rows} rows valid (data version {ds.version}, as of {ds.as_of})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
