"""Every page at 1400 and 390 px wide looks as its committed baseline, within a tolerance.

Capture and comparison live in support/screens.py; update the baselines on purpose with
``.venv/bin/python -m support.screens --update`` (see its docstring).
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser

from support import screens
from support.browser import streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    """One server for every capture, on the frozen fixture data with today fixed."""
    with streamlit_server(env=screens.ENV) as url:
        yield url


@pytest.mark.parametrize("shot", screens.SHOTS, ids=[s.name for s in screens.SHOTS])
def test_the_page_looks_as_its_baseline(browser: Browser, server: str, shot: screens.Shot):
    problem = screens.check(screens.capture(browser, server, shot), shot)
    if problem is not None:
        pytest.fail(problem, pytrace=False)


def png_of(image: Image.Image, path) -> bytes:
    image.save(path)
    return path.read_bytes()


def test_an_altered_baseline_fails_naming_the_page_width_share_and_images(tmp_path):
    """The comparison itself, on a committed baseline and a copy with one small box painted over."""
    shot = screens.SHOTS[0]
    actual = screens.decode(shot.baseline)
    altered = actual.copy()
    ImageDraw.Draw(altered).rectangle((600, 40, 659, 79), fill=(255, 0, 255))  # 60 x 40 px
    baseline = tmp_path / "altered.png"
    altered.save(baseline)
    problem = screens.check(png_of(actual, tmp_path / "actual.png"), shot, baseline, tmp_path / "artifacts")
    assert problem is not None
    assert f"{shot.page.key} at {shot.width} px differs from {baseline}" in problem
    assert f"2400 pixels, {2400 / (actual.width * actual.height):.4%} of the image" in problem
    actual_path, diff_path = (tmp_path / "artifacts" / f"screen-{shot.name}-{k}.png" for k in ("actual", "diff"))
    assert f"Actual: {actual_path}; diff (differing pixels in red): {diff_path}" in problem
    assert screens.decode(diff_path).getpixel((610, 50)) == (255, 0, 0)
    assert screens.decode(actual_path).size == actual.size
    # Under the tolerance (sub-threshold shading, or a few pixels) passes; a change of size fails.
    faint = actual.point(lambda v: max(v - screens.THRESHOLD, 0))
    assert screens.check(png_of(faint, tmp_path / "faint.png"), shot, shot.baseline, tmp_path) is None
    shorter = actual.crop((0, 0, actual.width, actual.height - 1))
    problem = screens.check(png_of(shorter, tmp_path / "short.png"), shot, shot.baseline, tmp_path)
    assert problem is not None and f"size {shorter.size} instead of {actual.size}" in problem


def test_a_missing_baseline_fails_with_the_command_that_creates_it(tmp_path):
    shot = screens.SHOTS[0]
    problem = screens.check(shot.baseline.read_bytes(), shot, tmp_path / "none.png", tmp_path)
    assert problem is not None
    assert f"`{screens.UPDATE_COMMAND} {shot.page.key}`" in problem
    assert (tmp_path / f"screen-{shot.name}-actual.png").exists()
