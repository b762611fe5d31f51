"""Shared fixtures: the real curated data, copies of it to corrupt, and the browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset

ROOT = Path(__file__).resolve().parent.parent
# A frozen, small copy of the record as curated to early December 2025 (the first fact sheet's 59
# events): code tests that need fixed counts and ids run on it, so curators adding rows to data/
# never break them. Only tests/test_anchors.py checks particular rows of the curated data.
RECORD_2025 = ROOT / "tests" / "fixtures" / "record_2025"


@pytest.fixture(scope="session")
def dataset():
    ds = load_dataset(DEFAULT_DATA_DIR)
    assert not ds.issues, "\n".join(map(str, ds.issues))
    return ds


@pytest.fixture(scope="session")
def record():
    """The frozen 2025 fixture, loaded and valid."""
    ds = load_dataset(RECORD_2025)
    assert not ds.issues, "\n".join(map(str, ds.issues))
    return ds


@pytest.fixture
def on_record(monkeypatch):
    """Point the app at the frozen 2025 fixture (for AppTest runs that pin counts or ids)."""
    monkeypatch.setenv("CHIPSMAG_DATA_DIR", str(RECORD_2025))
    return RECORD_2025


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the frozen 2025 fixture (its line numbers never move); returns a function
    that edits one table's bytes."""
    target = tmp_path / "data"
    shutil.copytree(RECORD_2025, target)

    def edit(table: str, change):
        path = target / f"{table}.csv"
        path.write_bytes(change(path.read_bytes()))
        return target

    edit.dir = target
    return edit


@pytest.fixture(scope="session")
def server():
    """A dashboard server on the curated data, shared by a worker's browser tests: its base URL."""
    from support.browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, shared by a worker's browser tests (each opens its own contexts)."""
    from playwright.sync_api import sync_playwright

    from support.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="session")
def context(browser):
    """One browser context per worker (1400 x 1000, downloads on) for the tests that need a page, not
    a fresh browser. The frontend's files and compiled scripts stay in the context's cache: a page is
    ready about 0.7 s sooner than in a new context. Tests about a reader with no cookies or cache
    open a new context."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def _tab(context):
    """The worker's one tab for the ``page`` fixture (see there)."""
    tabs = [context.new_page()]
    yield tabs
    tabs[0].close()


@pytest.fixture
def page(_tab, context):
    """The worker's tab, blank: each ``goto`` in it is a new document and a new session of the app.
    Loading the app in a tab that has loaded it before takes about 0.6 s less than in a new tab (the
    renderer process and its compiled scripts are kept). After the test the tab is taken back to a
    blank page at the usual size; a tab the test closed or crashed is replaced. A test that adds
    listeners or init scripts to its page opens its own (``context.new_page()``)."""
    from support.browser import blank

    if _tab[0].is_closed():
        _tab[0] = context.new_page()
    yield _tab[0]
    blank(_tab[0], VIEWPORT)
