"""Stable data URLs: every file of the data package served over HTTP, byte for byte as in data/,
and listed on the Sources & data page."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from app_pages.sources import model
from chipsmag.loading import DEFAULT_DATA_DIR, load_dataset
from support.apptest import open_page

from .conftest import ROOT


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def test_every_file_of_the_package_is_served_byte_for_byte(server):
    descriptor = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text())
    files = ["datapackage.json", *(r["path"] for r in descriptor["resources"])]
    listed = model.stable_urls(load_dataset(), DEFAULT_DATA_DIR, "http://host")
    assert listed["file"].tolist() == files
    url = server  # the worker's shared server on the curated data
    for name in files:
        status, body = fetch(f"{url}/{model.SERVED_PATH}/{name}")
        assert status == 200, name
        assert body == (ROOT / "data" / name).read_bytes(), name
    # Nothing outside the data folder, and a missing file is a plain 404.
    assert fetch(f"{url}/{model.SERVED_PATH}/no-such-table.csv")[0] == 404
    assert fetch(f"{url}/{model.SERVED_PATH}/../../app.py")[0] in (400, 404)


def test_the_sources_page_lists_the_stable_urls():
    at = open_page("sources")
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["file", "table", "url"])
    assert table["file"].iloc[0] == "datapackage.json"
    assert all(u.endswith(f"/{model.SERVED_PATH}/{f}") for f, u in zip(table["file"], table["url"], strict=True))


def test_another_data_folder_lists_no_stable_urls(data_copy):
    assert model.stable_urls(load_dataset(data_copy.dir), data_copy.dir, "http://host") is None


@pytest.mark.parametrize("name", ["datapackage.json", "events.csv"])
def test_data_is_the_served_folder(name):
    assert (ROOT / "data" / name).resolve() == (model.SERVED_DIR / name).resolve()
