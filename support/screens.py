"""Screenshot baselines: every page at 1400 and 390 px wide, captured the same way each time and
compared with the committed PNGs in tests/baselines/ within a tolerance (tests/test_screens.py).

Update the baselines on purpose, after a change to how a page looks, with::

    .venv/bin/python -m support.screens --update              # every page at both widths
    .venv/bin/python -m support.screens --update timeline     # only the pages named (their keys)

It prints each baseline's path, size and weight; look at the new PNGs before committing them.
Without ``--update`` the command compares instead and prints each shot's differing pixels (what the
test checks, on one server, without pytest).

What keeps a capture deterministic:

- the app is served on the FROZEN fixture data (tests/fixtures/record_2025), never data/, with
  ``CHIPSMAG_TODAY`` fixed, so curators adding rows or the clock moving do not move a pixel;
- one browser tab per width, each shot a new load of its page in it (a new session of the app and
  a new document: no hover or focus carried over; the frontend's files and compiled scripts stay in
  the tab's process, a load about 0.6 s shorter than in a new tab), one viewport height
  (``HEIGHT``) for loading at either width, reduced motion, CSS animations disabled and the caret
  hidden;
- the shot waits for Streamlit's run to end (``wait_ready``), every chart to have drawn its marks,
  every table its canvas, every image and web font to have loaded, and then for two screenshots in
  a row to agree (measured: a second capture, or a fresh load, differs by 0 pixels over the
  threshold; 20 pixels of the first 1400 px frame move by 2 of 255 while a pill's border settles).

The page is captured whole: a style sheet unrolls Streamlit's scrolling main area and the viewport
is then stretched to the page's height once (Playwright's ``full_page`` stretches and restores it
for every screenshot, and the charts redrawing at each resize made consecutive screenshots
alternate). The PNG is clipped at ``MAX_HEIGHT`` for its width to stay under about 400 KB: at
1400 px the part of a page below 2,200 px is not compared; at 390 px every page is whole.

A comparison counts the pixels whose largest channel difference exceeds ``THRESHOLD`` and fails if
their share of the image exceeds ``TOLERANCE``, or if the sizes differ (a page grew or shrank); the
actual image and a diff (differing pixels in red over the faded baseline) then go to
tests/artifacts/. Baselines belong to one rendering stack (Debian's Chromium and fonts, as
scripts/test.sh installs them): after upgrading Chromium, update them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from app_pages import PAGES, PageSpec
from support import ROOT
from support.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    blank,
    expect_no_exception,
    streamlit_server,
    wait_ready,
)

BASELINES = ROOT / "tests" / "baselines"
UPDATE_COMMAND = ".venv/bin/python -m support.screens --update"
WIDTHS = (1400, 390)
HEIGHT = 1000  # the viewport every page loads in, at either width
MAX_HEIGHT = {1400: 2200, 390: 6000}  # clip, in px: a 1400 x 2200 shot of the densest page is ~370 KB
TODAY = "2026-11-29"
ENV = {"CHIPSMAG_DATA_DIR": str(ROOT / "tests" / "fixtures" / "record_2025"), "CHIPSMAG_TODAY": TODAY}
# A pixel differs when one of its channels moved by more than THRESHOLD of 255 (6 %): eight times the
# run-to-run jitter measured (2), and under what a 10 % darker colour moves (about 25; 32 missed it).
THRESHOLD = 16
# A shot fails when more than TOLERANCE of its pixels differ: 0.02 %, about 620 pixels of a
# 1400 x 2200 shot and 380 of a 390 x 4900 one. Measured run to run: 0 pixels. Measured edits made in
# the browser: a chart 1 px lower moves 0.2-1 % of the pixels, the page 1 px lower 2.7-3.7 %: both
# fail. One letter of a heading or one digit of a metric (240-310 pixels, 0.008-0.018 %) passes: the
# margin is kept for a run on another machine of the same kind (font hinting, a glyph's antialiasing),
# and text is what the AppTest and browser tests check word for word.
TOLERANCE = 0.0002
STABLE_TRIES = 4  # screenshots taken until two in a row agree

# Unroll Streamlit's scrolling main area so the document is as tall as the page.
UNROLL = """
html, body, #root, [data-testid='stApp'], [data-testid='stAppViewContainer'], [data-testid='stMain'] {
  height: auto !important; overflow: visible !important;
}
"""
# Every chart has drawn its marks, every table its canvas, every image has loaded, fonts are in.
DRAWN = """() => {
  // Elements inside a closed expander or popover are never drawn: only the visible ones count.
  const all = (sel, ok) => [...document.querySelectorAll(sel)].filter((e) => e.checkVisibility()).every(ok);
  return document.fonts.status === "loaded"
    && all("[data-testid='stVegaLiteChart']", (c) => c.querySelector(".marks") !== null)
    && all("[data-testid='stPlotlyChart']", (c) => c.querySelector(".main-svg") !== null)
    && all("[data-testid='stDataFrame']", (c) => c.querySelector("canvas") !== null)
    && all("img", (i) => i.complete);
}"""


@dataclass(frozen=True)
class Shot:
    page: PageSpec
    width: int

    @property
    def name(self) -> str:
        return f"{self.page.key}-{self.width}"

    @property
    def baseline(self) -> Path:
        return BASELINES / f"{self.name}.png"


SHOTS = tuple(Shot(p, w) for w in WIDTHS for p in PAGES)


@dataclass(frozen=True)
class Comparison:
    size: tuple[int, int]  # the actual image's
    expected_size: tuple[int, int]  # the baseline's
    differing: int  # pixels over THRESHOLD (in the common area when the sizes differ)
    diff: Image.Image  # the baseline faded, differing pixels in red

    @property
    def share(self) -> float:
        return self.differing / (self.size[0] * self.size[1])

    @property
    def ok(self) -> bool:
        return self.size == self.expected_size and self.share <= TOLERANCE


_TABS: dict[tuple[int, int], Page] = {}


def _tab(browser: Browser, width: int) -> Page:
    """One tab per width in a context of its own, kept for the browser's life (see the module's
    docstring); a tab closed after a failure is opened again in its context."""
    key = (id(browser), width)
    if key not in _TABS:
        context = browser.new_context(viewport={"width": width, "height": HEIGHT}, reduced_motion="reduce")
        _TABS[key] = context.new_page()
    elif _TABS[key].is_closed():
        _TABS[key] = _TABS[key].context.new_page()
    return _TABS[key]


def capture(browser: Browser, url: str, shot: Shot) -> bytes:
    """The PNG of ``shot``'s page from the server at ``url``, once it is drawn and still."""
    page = _tab(browser, shot.width)
    try:
        page.goto(f"{url}/{shot.page.path}")
        wait_ready(page)
        expect_no_exception(page)
        page.wait_for_function(DRAWN, timeout=30_000)
        return still_screenshot(page, shot)
    finally:
        blank(page, {"width": shot.width, "height": HEIGHT})  # the shot stretched the viewport


def still_screenshot(page: Page, shot: Shot) -> bytes:
    """Unroll the loaded page into a viewport as tall as its content, then screenshot until two agree."""
    page.add_style_tag(content=UNROLL)
    for _ in range(3):  # a taller viewport may lengthen the page (the sidebar fills the height)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        if height == page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": shot.width, "height": height})
    clip = {"x": 0, "y": 0, "width": shot.width, "height": min(height, MAX_HEIGHT[shot.width])}
    previous = None
    for _ in range(STABLE_TRIES):
        page.wait_for_function(DRAWN, timeout=30_000)
        png = page.screenshot(clip=clip, animations="disabled", caret="hide")
        if previous is not None and differing(decode(previous), decode(png)) == 0:
            return png
        previous = png
    raise AssertionError(f"{shot.name}: the page was still changing after {STABLE_TRIES} screenshots")


def decode(png: bytes | Path) -> Image.Image:
    with Image.open(io.BytesIO(png) if isinstance(png, bytes) else png) as image:
        return image.convert("RGB")


def _mask(actual: Image.Image, expected: Image.Image) -> Image.Image:
    """255 where the largest channel difference exceeds THRESHOLD, else 0 (images of one size)."""
    r, g, b = ImageChops.difference(actual, expected).split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v > THRESHOLD else 0)


def differing(actual: Image.Image, expected: Image.Image) -> int:
    return _mask(actual, expected).histogram()[255]


def compare(actual: Image.Image, expected: Image.Image) -> Comparison:
    """Count the differing pixels (in the common area when the sizes differ) and draw them."""
    common = (0, 0, min(actual.width, expected.width), min(actual.height, expected.height))
    a, e = actual.crop(common), expected.crop(common)
    mask = _mask(a, e)
    faded = Image.blend(e.convert("L").convert("RGB"), Image.new("RGB", e.size, "white"), 0.7)
    diff = Image.composite(Image.new("RGB", e.size, (255, 0, 0)), faded, mask)
    return Comparison(actual.size, expected.size, mask.histogram()[255], diff)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def check(png: bytes, shot: Shot, baseline: Path | None = None, artifacts: Path = ARTIFACTS) -> str | None:
    """None if ``png`` matches the baseline (``shot``'s by default) within the tolerance; else what
    is wrong, with the actual image (and a diff) written to ``artifacts``."""
    baseline = baseline or shot.baseline
    actual_path = artifacts / f"screen-{shot.name}-actual.png"
    diff_path = artifacts / f"screen-{shot.name}-diff.png"
    for old in (actual_path, diff_path):
        old.unlink(missing_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    if not baseline.exists():
        actual_path.write_bytes(png)
        return (
            f"{shot.page.key} at {shot.width} px: no baseline {_shown(baseline)}; look at the actual image "
            f"{_shown(actual_path)} and create the baseline with `{UPDATE_COMMAND} {shot.page.key}`"
        )
    result = compare(decode(png), decode(baseline))
    if result.ok:
        return None
    actual_path.write_bytes(png)
    result.diff.save(diff_path)
    size = "" if result.size == result.expected_size else f"size {result.size} instead of {result.expected_size}; "
    return (
        f"{shot.page.key} at {shot.width} px differs from {_shown(baseline)}: {size}{result.differing} pixels, "
        f"{result.share:.4%} of the image, differ by more than {THRESHOLD}/255 (tolerance {TOLERANCE:.4%}). "
        f"Actual: {_shown(actual_path)}; diff (differing pixels in red): {_shown(diff_path)}. "
        f"If the change is intended: `{UPDATE_COMMAND} {shot.page.key}`"
    )


@contextlib.contextmanager
def launched() -> Iterator[Browser]:
    """Debian's Chromium, headless, as the tests' ``browser`` fixture starts it."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support.screens", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="write the baselines instead of comparing")
    parser.add_argument("pages", nargs="*", metavar="PAGE", help="page keys (default: every page)")
    args = parser.parse_args(argv)
    if unknown := set(args.pages) - {p.key for p in PAGES}:
        parser.error(f"unknown page(s) {sorted(unknown)}; the pages are {[p.key for p in PAGES]}")
    shots = [s for s in SHOTS if not args.pages or s.page.key in args.pages]
    failed = 0
    with streamlit_server(env=ENV) as url, launched() as browser:
        for shot in shots:
            started = time.monotonic()
            try:
                png = capture(browser, url, shot)
            except (AssertionError, PlaywrightError) as error:  # an exception on the page, a timeout
                failed += 1
                print(f"FAIL {shot.name}: not captured (see the server log in tests/artifacts/): {error}", flush=True)
                continue
            took = f"{time.monotonic() - started:.1f} s"
            if args.update:
                BASELINES.mkdir(parents=True, exist_ok=True)
                shot.baseline.write_bytes(png)
                (width, height), path = decode(png).size, _shown(shot.baseline)
                print(f"{path}  {width}x{height}  {len(png) / 1000:.0f} KB  ({took})", flush=True)
            elif (problem := check(png, shot)) is not None:
                failed += 1
                print(f"FAIL {problem}  ({took})", flush=True)
            else:
                result = compare(decode(png), decode(shot.baseline))
                print(f"ok   {shot.name}: {result.differing} pixels differ ({result.share:.4%})  ({took})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
