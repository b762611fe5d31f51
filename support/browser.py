"""A real server and Debian's Chromium for the browser tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from support import ROOT

# The tests drive Debian's headless build of Chromium (package chromium-headless-shell: the same
# engine without the desktop browser's machinery; a browser test file ran in 85% of the time it
# took the full browser). The benchmark drives the full browser readers use (package chromium).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
BENCH_CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    env: dict | None = None,
    log_dir: Path | None = None,
    script: str = "app.py",
    on_start=None,
    extra: list[str] | tuple[str, ...] = (),
    cwd: Path = ROOT,
) -> Iterator[str]:
    """Start ``streamlit run <script>`` on a free port, wait for its health check, stop it after.

    ``on_start`` is called with the server process once it answers (the benchmark reads its memory);
    ``extra`` holds more command-line options for the server; ``cwd`` is the checkout it serves
    (``bench/ab.py`` compares two).

    The server's log is shown if it dies or does not come up.
    """
    port = free_port()
    log_path = (log_dir or ARTIFACTS) / f"server-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                *extra,
            ],
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not answer in 60 s:\n{log_path.read_text()}")
                time.sleep(0.2)
            if on_start is not None:
                on_start(proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


# A run that ends early for another (``st.switch_page`` when the arrival review rewrites a link,
# ``st.rerun``) reports "not running" for a moment before the next run starts: the page counts as
# ready only once the state has held this long.
READY_STABLE_MS = 120
READY = """(stableMs) => {
  const app = document.querySelector("[data-testid='stApp']");
  const ready = app !== null && app.dataset.testConnectionState === 'CONNECTED'
    && app.dataset.testScriptState === 'notRunning' && document.querySelector("[data-testid='stSkeleton']") === null;
  const now = performance.now();
  if (!ready) { window.__stReadySince = undefined; return false; }
  if (window.__stReadySince === undefined) window.__stReadySince = now;
  return now - window.__stReadySince >= stableMs;
}"""


def wait_ready(page: Page, timeout: float = 30_000) -> None:
    """Streamlit's own readiness signal: connected, script not running, no skeleton left, held for
    ``READY_STABLE_MS`` (see READY).

    One condition checked every 20 ms in the page (an ``expect`` polls at growing intervals, up to
    a second apart, which made each wait last a few hundred milliseconds past the page's ready)."""
    page.evaluate("window.__stReadySince = undefined")
    page.wait_for_function(READY, arg=READY_STABLE_MS, timeout=timeout, polling=20)


def blank(page: Page, viewport: dict) -> None:
    """Take a tab kept between uses back to a blank page at ``viewport``: the app's session ends, the
    routes go, and the mouse leaves the page (no hover carried into the next document). A tab that
    does not answer is closed; its owner opens a new one."""
    try:
        page.unroute_all(behavior="ignoreErrors")
        page.goto("about:blank")
        page.mouse.move(-1, -1)
        if page.viewport_size != viewport:
            page.set_viewport_size(viewport)
    except PlaywrightError:
        with contextlib.suppress(PlaywrightError):
            page.close()


def choose_option(page: Page, key: str, label: str, attempts: int = 3) -> None:
    """Pick ``label`` in the selectbox with widget key ``key`` (a react-aria combobox).

    A rerun that lands while the list is open closes it, so opening is retried."""
    box = page.locator(f".st-key-{key} [role='combobox']")
    for attempt in range(attempts):
        box.click()
        try:
            page.get_by_role("option", name=label, exact=True).click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise
            wait_ready(page)


def expect_no_exception(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
