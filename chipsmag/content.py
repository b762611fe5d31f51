"""The ids the pages quote, read from content/quoted.toml: one place a curator edits.

``quoted(section, name)`` gives one id (or a tuple of ids); ``check(ds)`` lists every entry whose
table or id is not in the data, in the validator's words (file, entry, what is wrong).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONTENT_FILE = Path(__file__).resolve().parent.parent / "content" / "quoted.toml"


@dataclass(frozen=True)
class Quoted:
    section: str
    name: str
    table: str
    ids: tuple[str, ...]


class ContentError(ValueError):
    """content/quoted.toml cannot be read, or names an entry that is not there."""


@cache
def entries(path: Path = CONTENT_FILE) -> dict[tuple[str, str], Quoted]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{path.name}: cannot be read: {exc}") from exc
    out = {}
    for section, items in raw.items():
        for name, item in items.items():
            ids = item.get("ids") or ([item["id"]] if "id" in item else [])
            if not isinstance(item.get("table"), str) or not ids:
                raise ContentError(f"{path.name}: [{section}] {name} needs a table and an id (or ids)")
            out[(section, name)] = Quoted(section, name, item["table"], tuple(str(i) for i in ids))
    return out


def quoted(section: str, name: str, path: Path = CONTENT_FILE) -> Quoted:
    try:
        return entries(path)[(section, name)]
    except KeyError as exc:
        raise ContentError(f"{path.name}: no entry [{section}] {name}") from exc


def check(tables: dict, path: Path = CONTENT_FILE) -> list[str]:
    """Problems with the quoted ids against loaded tables ({name: frame}), one line each."""
    try:
        items = entries(path).values()
    except ContentError as exc:
        return [str(exc)]
    problems = []
    for q in items:
        frame = tables.get(q.table)
        if frame is None:
            problems.append(f"{path.name}: [{q.section}] {q.name}: table {q.table!r} is not loaded")
            continue
        missing = [i for i in q.ids if i not in set(frame["id"])]
        if missing:
            problems.append(f"{path.name}: [{q.section}] {q.name}: {', '.join(missing)} not in {q.table}")
    return problems


def missing(tables: dict, q: Quoted) -> list[str]:
    """The ids of ``q`` that its table does not hold (all of them if the table did not load)."""
    frame = tables.get(q.table)
    return list(q.ids) if frame is None else [i for i in q.ids if i not in set(frame["id"])]
