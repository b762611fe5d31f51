"""Synthetic data at N times the curated size: ``python -m support.generate --scale 100 --out DIR``.

Every table is copied; events and links are repeated N times with new ids (E27, E27_0001, ...),
each copy of a link joining the same copies of its events, so the result passes the validator.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pandas as pd

from chipsmag.loading import DEFAULT_DATA_DIR


def _copies(frame: pd.DataFrame, scale: int, id_columns: list[str]) -> pd.DataFrame:
    parts = []
    for k in range(scale):
        part = frame.copy()
        if k:
            for column in id_columns:
                part[column] = part[column] + f"_{k:04d}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def generate(scale: int, out: Path, source: Path = DEFAULT_DATA_DIR) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copy(path, out / path.name)
    read = {"dtype": str, "keep_default_na": False}
    events = pd.read_csv(source / "events.csv", **read)
    links = pd.read_csv(source / "links.csv", **read)
    _copies(events, scale, ["id"]).to_csv(out / "events.csv", index=False)
    _copies(links, scale, ["id", "from_event", "to_event"]).to_csv(out / "links.csv", index=False)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.scale, args.out)
    print(f"wrote {args.scale}x data to {args.out}")


if __name__ == "__main__":
    main()
