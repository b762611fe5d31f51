"""The vocabulary, read once from data/datapackage.json: the values a coded column may hold (its
``enum``) and the words the dashboard shows for them (its ``x_labels``).

Every module that needs a category, lever, relation, stage, state, side or country name takes it from
here, so adding a value is one edit of the descriptor (and the validator checks the labels cover it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DESCRIPTOR = Path(__file__).resolve().parent.parent / "data" / "datapackage.json"


@cache
def _fields(path: Path = DESCRIPTOR) -> dict[tuple[str, str], dict]:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    return {(r["name"], f["name"]): f for r in descriptor["resources"] for f in r["schema"]["fields"]}


def values(table: str, field: str) -> tuple[str, ...]:
    """The allowed values of a coded column, in the descriptor's order (the order the pages list them)."""
    return tuple(_fields()[(table, field)]["constraints"]["enum"])


def labels(table: str, field: str) -> dict[str, str]:
    """Value -> the words shown for it."""
    return dict(_fields()[(table, field)]["x_labels"])


def problems(path: Path = DESCRIPTOR) -> list[str]:
    """Coded columns whose labels miss one of their values (one line each)."""
    out = []
    for (table, field), f in _fields(path).items():
        enum = f.get("constraints", {}).get("enum")
        names = f.get("x_labels")
        if enum and names is not None:
            unlabelled = [v for v in enum if v not in names]
            if unlabelled:
                out.append(f"datapackage.json: {table}.{field}: no x_labels for {', '.join(unlabelled)}")
    return out
