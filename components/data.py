"""Where the app loads the curated tables (a cached load per data version), derives what the data alone
decide (``per_version``) and caches each view's model (``per_view``)."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from chipsmag import changes, grading, releases, replay
from chipsmag.filters import with_plot_dates
from chipsmag.hovers import with_hovers, with_link_hovers
from chipsmag.loading import DEFAULT_DATA_DIR, Dataset, load_dataset
from chipsmag.memo import Memo
from chipsmag.text import md_escape, md_link

MAX_ISSUES_SHOWN = 25
# Columns the app adds to the published tables (plot dates, hover and tooltip texts); never in a download.
DERIVED_COLUMNS = ("plot_date", "when", "actor_list", "source_list", "strength")
T = TypeVar("T")


def today() -> dt.date:
    """The date the dashboard reads as today: the clock, or ``CHIPSMAG_TODAY`` (YYYY-MM-DD) where a
    test or a replay sets it."""
    raw = os.environ.get("CHIPSMAG_TODAY", "")
    try:
        return dt.date.fromisoformat(raw) if raw else dt.date.today()
    except ValueError:
        return dt.date.today()


def data_dir() -> Path:
    """``CHIPSMAG_DATA_DIR`` points the app at another copy of the data (tests use it)."""
    return Path(os.environ.get("CHIPSMAG_DATA_DIR", DEFAULT_DATA_DIR))


@st.cache_resource(max_entries=4, show_spinner="Loading the curated data…")
def _load(folder: str, signature: str) -> Dataset:
    """One validated copy per data version, shared by every session without copying.

    Read-only by contract: pages derive new frames (filters, sorts, copies) and never assign
    into these. pandas' copy-on-write keeps derived frames from writing back.
    """
    del signature  # part of the cache key only: a changed file means a new load
    ds = grading.with_strength(load_dataset(folder))
    _freeze_long_lived_objects()
    return ds


def _freeze_long_lived_objects() -> None:
    """Take what exists once the data is loaded out of the garbage collector's full passes.

    Streamlit runs a full collection after every script run (``runner.postScriptGC``). With
    pandas, Altair and pandera imported that pass walks about 180,000 long-lived objects:
    about 95 ms of every rerun on the benchmark machine, holding the lock that the server needs
    to send the page. Frozen objects are skipped by those passes (reference counting still frees
    them). Unfreezing first lets a data version that the cache has replaced be collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def dataset() -> Dataset:
    folder = data_dir()
    files = [(p.name, p.stat()) for p in sorted(folder.iterdir()) if p.is_file()]
    # The key as one string: Streamlit hashes a string at once, a tuple of tuples item by item (about
    # 1 ms of every run).
    return _load(str(folder), repr([(name, stat.st_mtime_ns, stat.st_size) for name, stat in files]))


_DERIVED = Memo(256)  # what ``per_version`` derived
_ABSENT = object()


def _per_version(name: str, version: str, args: tuple, fn: Callable, ds: Dataset) -> Any:
    key = (name, version, args)
    value = _DERIVED.get(key, _ABSENT)
    if value is _ABSENT:
        value = fn(ds, *args)  # outside the lock: two sessions may both derive it once, to the same value
        _DERIVED.put(key, value)
    return value


def per_version(fn: Callable[..., T]) -> Callable[..., T]:
    """Derive ``fn(ds, *args)`` once per data version and share the result read-only, like the tables.

    Only for what depends on the files alone (lookups, fixed figures and charts the filters do
    not touch): what depends on a visitor's filters is computed per run and never cached.
    """

    @functools.wraps(fn)
    def wrapper(ds: Dataset, *args: Hashable) -> T:
        return _per_version(f"{fn.__module__}.{fn.__qualname__}", ds.key, args, fn, ds)

    return wrapper


@st.cache_resource(max_entries=128, show_spinner=False)
def _per_view(name: str, version: str, view: str, _fn: Callable, _ds: Dataset, _args: tuple, _kwargs: dict) -> Any:
    del name, version, view  # cache key: which model, of which data version, for which view
    return _fn(_ds, *_args, **_kwargs)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def view_key(*parts: Hashable) -> str:
    """A view's cache key as one string: the repr of the filters and options (dates, strings, numbers
    and tuples of them, each repr whole). Streamlit hashes a string at once, where it walks a
    dataclass or a tuple item by item (about a millisecond of every run for the filters alone)."""
    return repr(parts)


def per_view(fn: Callable[..., T]) -> Callable[..., T]:
    """Build ``fn(ds, *args, **kwargs)`` once per data version and view, and share it read-only: the
    positional ``args`` (the filters and the page's options, hashable) are the key, with the keyword
    arguments that can be hashed (a file's path); the others (frames derived per data version) must
    depend on the data version alone.

    For a page's model: a reader going back to a view, or many readers of one shared link, get the
    model already built instead of a rebuild on every run."""

    @functools.wraps(fn)
    def wrapper(ds: Dataset, *args: Hashable, **kwargs: Any) -> T:
        keyed = tuple((k, v) for k, v in sorted(kwargs.items()) if _hashable(v))
        return _per_view(f"{fn.__module__}.{fn.__qualname__}", ds.key, view_key(args, keyed), fn, ds, args, kwargs)

    return wrapper


@per_version
def dated_events(ds: Dataset) -> pd.DataFrame:
    """The events with their plot dates and tooltip texts (their strength badge comes with the load:
    ``grading.with_strength``)."""
    t = ds.tables
    return with_hovers(with_plot_dates(t["events"]), actor_names(ds), source_names(ds))


@per_version
def hover_links(ds: Dataset) -> pd.DataFrame:
    """The links with their sources named, for tooltips."""
    return with_link_hovers(ds.tables["links"], source_names(ds))


def view_of(ds: Dataset, filters) -> Dataset:
    """The data a page reads: as curated, or as known on a date (``filters.asof``), and only the
    facts with an official or wire source (``filters.strong``)."""
    if filters.asof is not None:
        ds = replayed(ds, filters.asof).ds
    return _strong_only(ds) if filters.strong else ds


@per_version
def replayed(ds: Dataset, asof: dt.date) -> replay.Replayed:
    return replay.replay(ds, asof)


@st.cache_data(max_entries=64, show_spinner="Reading what changed since the link was made…")
def version_notice(current: str, made_on: str) -> str:
    """What a reader of a link made on data version ``made_on`` should know (chipsmag.releases):
    the date of that data and what changed since, or that the version is unknown."""
    folder = data_dir()
    try:
        known = releases.read_releases(folder / releases.RELEASES)
    except (OSError, releases.ReleasesError):
        known = []
    if not known and made_on != current:
        return f"This link names data version {made_on[:40]!r}; this dashboard shows data version {current}."
    return releases.notice_for(made_on, current, known, releases.changes_from_git(folder))


def release_list() -> list[releases.Release]:
    """The data releases recorded beside the data, newest first ([] when there is no file)."""
    try:
        return releases.read_releases(data_dir() / releases.RELEASES)
    except (OSError, releases.ReleasesError):
        return []


@st.cache_data(max_entries=32, show_spinner="Comparing the two releases…")
def release_changes(version: str, previous: str, current: str) -> changes.Changes | None:
    """What changed from release ``previous`` to release ``version``, read from the repository's
    history (the data on disk for the version these pages show); None where it cannot be read."""
    try:
        commits = changes.version_commits()
        if previous not in commits:
            return None
        old = changes.read_revision(commits[previous])
        if version == current:
            new = changes.read_dir(data_dir())
        elif version in commits:
            new = changes.read_revision(commits[version])
        else:
            return None
    except changes.ChangesError:
        return None
    return changes.diff(old.tables, new.tables, new.descriptor)


def scenario_unknown(asof: dt.date) -> list[str]:
    """The scenario inputs whose defaults rest on facts published after ``asof`` (the curated data)."""
    return _scenario_unknown(dataset(), asof)


@per_version
def _scenario_unknown(ds: Dataset, asof: dt.date) -> list[str]:
    return replay.scenario_unknown(asof, ds)


@per_version
def _strong_only(ds: Dataset) -> Dataset:
    return grading.strong_only(ds)


@per_version
def actor_names(ds: Dataset) -> dict[str, str]:
    actors = ds.tables.get("actors")  # a broken table is absent: names fall back to ids
    return {} if actors is None else dict(zip(actors["id"], actors["name"], strict=True))


@per_version
def source_names(ds: Dataset) -> dict[str, str]:
    """Source id -> 'Publisher (carrying Original publisher)'."""
    src = ds.tables.get("sources")
    if src is None:
        return {}
    carrying = " (carrying " + src["original_publisher"] + ")"
    labels = src["publisher"] + carrying.fillna("")
    return dict(zip(src["id"], labels, strict=True))


def require(ds: Dataset, *tables: str) -> bool:
    """Show a clear in-page error for each needed table that did not load; True if all did."""
    ok = True
    for name in tables:
        if name not in ds.broken:
            continue
        ok = False
        issues = ds.issues_for(name)
        path = ds.resource(name)["path"]
        lines = [f"- {md_escape(str(i))}" for i in issues[:MAX_ISSUES_SHOWN]]
        if len(issues) > MAX_ISSUES_SHOWN:
            lines.append(f"- … and {len(issues) - MAX_ISSUES_SHOWN} more")
        st.error(
            f"**This view cannot be shown: data/{md_escape(path)} has {len(issues)} problem(s).**\n\n"
            + "\n".join(lines)
            + "\n\nA curator can list them with `python -m chipsmag.validate`.",
            icon=":material/error:",
        )
    return ok


@per_version
def citations(ds: Dataset, titled: bool = False) -> dict[str, str]:
    """Source id -> its markdown citation: '[Publisher (carrying ...)](url) (kind)', or with
    ``titled`` '[Publisher: Title](url) (kind)' (to tell apart two documents of one publisher)."""
    src = ds.tables.get("sources")
    if src is None:
        return {}
    names = source_names(ds)
    columns = (src[c].tolist() for c in ("id", "url", "kind", "title"))
    return {
        sid: f"{md_link(f'{names[sid]}: {title}' if titled else names[sid], url)} "
        f"({md_escape(str(kind).replace('_', ' '))})"
        for sid, url, kind, title in zip(*columns, strict=True)
    }
