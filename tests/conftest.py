"""Shared fixtures: the real curated data, and copies of it to corrupt."""

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
