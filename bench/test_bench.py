"""The benchmark's synthetic data is valid data, at the size asked for; the load client speaks the protocol."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app_pages import PAGES
from bench import ab, rerun
from bench.load import protocol_level
from chipsmag.loading import load_dataset
from support.browser import streamlit_server
from support.generate import generate


def test_generated_data_passes_the_validator(tmp_path):
    dataset = load_dataset()  # the curated data the generator copies
    ds = load_dataset(generate(3, tmp_path / "data"))
    assert ds.issues == []
    assert len(ds.tables["events"]) == 3 * len(dataset.tables["events"])
    assert len(ds.tables["links"]) == 3 * len(dataset.tables["links"])
    copies = ds.tables["links"].set_index("id")
    first = dataset.tables["links"].iloc[0]  # each copy of a link joins the same copies of its events
    copy = copies.loc[f"{first['id']}_0002"]
    assert (copy["from_event"], copy["to_event"]) == (f"{first['from_event']}_0002", f"{first['to_event']}_0002")
    assert ds.tables["sources"].equals(dataset.tables["sources"])


@pytest.mark.browser
def test_the_protocol_client_walks_every_page_like_a_browser(tmp_path):
    """bench/load.py's websocket client gets every page's script to finish, with no exception."""
    with streamlit_server(log_dir=tmp_path) as url:
        ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        # In a thread of its own: a worker that has started the shared Chromium runs Playwright's loop here.
        with ThreadPoolExecutor(1) as pool:
            result = pool.submit(asyncio.run, protocol_level(ws_url, sessions=2, reruns=len(PAGES))).result()
        assert result["errors"] == [] and result["reruns"] == 2 * len(PAGES)
        assert 0 < result["p50_ms"] <= result["p95_ms"]


def test_the_side_by_side_command_names_a_checkout_without_an_app(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        ab.main([".", str(tmp_path)])
    assert exit_.value.code == 2
    assert f"{tmp_path}: no app.py there" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        ab.main([".", "--runs", "0"])
    assert "--runs must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("bound", [True, False])
def test_the_reference_page_binds_its_multiselect_to_the_url_only_when_asked(bound, monkeypatch):
    """``--bound-reference`` measures the reference with its multiselect bound, as the dashboard's filters are."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("REFERENCE_BOUND", "1" if bound else "0")
    at = AppTest.from_file(str(Path(ab.ROOT) / "bench" / "reference_app.py"), default_timeout=30)
    at.query_params["series"] = "b"
    at.run()
    assert not at.exception
    assert at.multiselect(key="series").value == (["b"] if bound else [])


def test_the_rerun_trace_counts_messages_and_commits_from_the_request():
    """``bench.rerun`` reads a change's figures from its frames (negative bytes: sent) and commits: the
    request is the first frame sent, a message received before it is not the rerun's, and a commit
    at the request's time counts after it."""
    frames = [[12.0, 80], [30.0, -600], [41.0, 900], [45.0, -20], [60.0, 4], [61.0, 3000], [75.0, 2]]
    commits = [5.0, 12.0, 29.0, 30.0, 50.0, 70.0, 90.0]
    assert list(rerun.summary(frames, commits, done=120.0).items()) == [
        ("sent", 30.0),
        ("messages", 4),
        ("first_reply", 41.0),
        ("second_reply", 60.0),
        ("last_reply", 75.0),
        ("commits_before_request", 3),
        ("commits_after_request", 4),
        ("done", 120.0),
    ]
    one = rerun.summary([[30.0, -600], [41.0, 900]], [], done=50.0)
    assert (one["messages"], one["second_reply"], one["last_reply"]) == (1, 41.0, 41.0)
    for unanswered in ([[30.0, -600]], [[12.0, 80]], []):
        with pytest.raises(ValueError, match="no rerun"):
            rerun.summary(unanswered, [], done=50.0)


def test_the_rerun_trace_names_a_checkout_without_an_app(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        rerun.main([str(tmp_path)])
    assert exit_.value.code == 2
    assert f"{tmp_path}: no app.py there" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        rerun.main(["--runs", "0"])
    assert "--runs must be at least 1" in capsys.readouterr().err
