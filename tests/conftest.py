"""Shared fixtures: the real curated data, copies of it to corrupt, and the browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def dataset():
    ds = load_dataset(DEFAULT_DATA_DIR)
    assert not ds.issues, "\n".join(map(str, ds.issues))
    return ds


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/; returns a function that edits one table's bytes."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)

    def edit(table: str, change):
        path = target / f"{table}.csv"
        path.write_bytes(change(path.read_bytes()))
        return target

    edit.dir = target
    return edit


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for the browser tests of one module."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
