"""Hosting for real: nginx (Debian's package) in front of two dashboard processes, started by
deploy/serve.py as the recipe in deploy/README.md does. A shared link opens through the proxy; the
process holding the reader's session is stopped; the test records what the reader then sees."""

from __future__ import annotations

import contextlib
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from deploy.serve import NGINX, SETUP_HINT, TEMPLATE, DeployError, get, render_config, serve, worker_user
from support.browser import ARTIFACTS, expect_no_exception, free_port, wait_ready

# Labels as the sidebar shows them (the Lever pills and the Category list).
LINK = "/timeline?lever=Chips&category=Export%20control"
FILTERED = ("lever: chips", "Export control")

# Every change of the app's connection state and of the status widget's text, with its time in ms
# from when the observer was set: what the reader saw while the backend went away.
OBSERVE = """() => {
  window.__seen = [];
  const app = document.querySelector("[data-testid='stApp']");
  const t0 = performance.now();
  let last = "";
  new MutationObserver(() => {
    const status = document.querySelector("[data-testid='stStatusWidget']");
    const text = status ? status.innerText.trim() : "";
    const now = `state=${app.getAttribute("data-test-connection-state")} status=${text}`;
    if (now !== last) { window.__seen.push([Math.round(performance.now() - t0), now]); last = now; }
  }).observe(document.body, {attributes: true, childList: true, subtree: true, characterData: true});
}"""


def require_nginx() -> None:
    if not Path(NGINX).is_file():
        pytest.fail(f"nginx is missing (looked for {NGINX}): {SETUP_HINT}")


def test_the_template_renders_every_field(tmp_path):
    text = render_config(
        TEMPLATE.read_text(), listen="127.0.0.1:9000", backends=["127.0.0.1:9001", "127.0.0.1:9002"], run_dir=tmp_path
    )
    assert "{{" not in text
    assert "server 127.0.0.1:9001 max_fails=1 fail_timeout=10s;" in text
    assert "server 127.0.0.1:9002 max_fails=1 fail_timeout=10s;" in text
    assert "listen 127.0.0.1:9000;" in text and f"pid {tmp_path}/nginx.pid;" in text
    assert "hash $affinity_key consistent;" in text and "ip_hash" not in text.replace("(ip_hash)", "")
    with pytest.raises(ValueError, match="at least one backend"):
        render_config(TEMPLATE.read_text(), listen="127.0.0.1:9000", backends=[], run_dir=tmp_path)
    with pytest.raises(ValueError, match=r"\['PORT'\]"):
        render_config("listen {{PORT}};", listen="x", backends=["127.0.0.1:9001"], run_dir=tmp_path)


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    require_nginx()
    (tmp_path / "temp").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(
        render_config(
            TEMPLATE.read_text(),
            listen=f"127.0.0.1:{free_port()}",
            backends=[f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"],
            run_dir=tmp_path,
            user=worker_user(),
        )
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr


def test_serve_names_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("deploy.serve.NGINX", str(tmp_path / "no-nginx"))
    missing = r"nginx is not installed .*scripts/setup.sh --dev"
    with pytest.raises(DeployError, match=missing), serve(free_port(), [free_port(), free_port()], tmp_path):
        pass


def filters_shown(page: Page) -> None:
    """The link's filters are on the page: the Chips pill pressed, the category chosen, the caption."""
    expect(page.locator(".st-key-lever button[aria-pressed='true']")).to_have_text(["Chips"])
    expect(page.locator(".st-key-category")).to_contain_text("Export control")
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="filtered:").first
    for part in FILTERED:
        expect(caption).to_contain_text(part)
    expect(page.locator("[data-testid='stAlert']", has_text="Parts of this link were not used")).to_have_count(0)


@pytest.mark.browser
def test_a_shared_link_survives_the_loss_of_the_backend_holding_its_session(browser, tmp_path):
    require_nginx()
    with serve(free_port(), [free_port(), free_port()], tmp_path / "run") as d:
        port = int(d.url.rsplit(":", 1)[1])
        # Health through the proxy; a visitor without the affinity cookie gets one.
        status, headers, body = get("127.0.0.1", port, "/_stcore/health")
        assert (status, body) == (200, b"ok")
        assigned = d.backend_from_header(headers["x-dashboard-backend"])
        cookie = re.search(r"dashboard_affinity=(\w+);", headers["set-cookie"])
        assert cookie, headers
        # Sticky by cookie, not by address: every request here comes from 127.0.0.1, yet new visitors
        # are spread over both backends, and a visitor with the cookie always reaches the same one.
        spread = {
            d.backend_from_header(get("127.0.0.1", port, "/_stcore/health")[1]["x-dashboard-backend"]).addr
            for _ in range(20)
        }
        assert spread == set(d.backends)
        with_cookie = {"Cookie": f"dashboard_affinity={cookie[1]}"}
        for _ in range(10):
            _, again, _ = get("127.0.0.1", port, "/_stcore/health", headers=with_cookie)
            assert d.backend_from_header(again["x-dashboard-backend"]) is assigned
            assert "dashboard_affinity=" not in again.get("set-cookie", "")

        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            answered: list[tuple[str, str]] = []  # (path, the backend that answered), in order
            page.on(
                "response",
                lambda r: answered.append((r.url.split(d.url, 1)[-1], r.headers.get("x-dashboard-backend", ""))),
            )
            sockets: list[str] = []
            page.on("websocket", lambda ws: sockets.append(ws.url))

            # 1. The shared link opens through the proxy: the WebSocket goes through and the view shows.
            first = page.goto(d.url + LINK)
            wait_ready(page)
            expect_no_exception(page)
            filters_shown(page)
            stream = d.url.replace("http", "ws", 1) + "/_stcore/stream"
            assert sockets and set(sockets) == {stream}, sockets
            opened = len(sockets)
            # Every response came from one backend (the affinity cookie): the one holding the session.
            holder = d.backend_from_header(first.headers["x-dashboard-backend"])
            assert {d.backend_from_header(h).addr for _, h in answered if h} == {holder.addr}, answered
            other = next(b for b in d.backends.values() if b is not holder)

            # 2. Stop that process and record what the reader sees. The reconnect takes under a
            # second, so the browser's health checks are held until the screenshot is taken (then
            # they go on to the proxy): the notice then stays a little longer than it would.
            page.evaluate(OBSERVE)
            answered.clear()
            held = []
            page.route("**/_stcore/health", lambda route: held.append(route))
            holder.stop()
            page.wait_for_function("window.__seen.some(([, s]) => !s.startsWith('state=CONNECTED '))", timeout=10_000)
            expect(page.locator("[data-testid='stStatusWidget']")).to_contain_text("connecting", ignore_case=True)
            page.screenshot(path=str(ARTIFACTS / "proxy-reconnecting.png"))
            page.unroute("**/_stcore/health")
            for route in held:
                with contextlib.suppress(PlaywrightError):  # a check the page gave up on is retried
                    route.continue_()
            wait_ready(page)
            expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0)  # the notice went away
            seen = page.evaluate("window.__seen")
            print("what the reader saw after the backend stopped (ms, state):", *seen, sep="\n  ")
            states = [s for _, s in seen]
            assert any(not s.startswith("state=CONNECTED ") for s in states), seen
            assert any(re.search(r"status=connecting", s, re.IGNORECASE) for s in states), seen
            assert states[-1] == "state=CONNECTED status=", seen

            # 3. Back, on the other backend, through a new WebSocket, with the same view and link.
            assert len(sockets) > opened and set(sockets) == {stream}, sockets  # reconnected through the proxy
            assert d.health() == {holder.addr: False, other.addr: True}
            # The browser's own health and config checks while it reconnected: answered by the other.
            for _ in range(100):  # the responses reach the test as events, possibly after the page is ready
                checks = [h for path, h in answered if path.startswith("/_stcore/")]
                if checks:
                    break
                page.wait_for_timeout(100)
            assert checks and all(d.backend_from_header(h) is other for h in checks), answered
            assert page.url == d.url + LINK
            expect_no_exception(page)
            filters_shown(page)
            page.screenshot(path=str(ARTIFACTS / "proxy-reconnected.png"))
            # The session that held the view is gone with its process; nginx logged its WebSocket.
            log = d.access_log.read_text()
            assert re.search(rf'"GET /_stcore/stream HTTP/1.1" 101 backend={re.escape(holder.addr)} ', log), log

            # 4. The new session works: a filter change reruns on the other backend, the link's
            # filters kept; a reload opens the same view from the URL alone.
            page.locator(".st-key-lever button", has_text="Magnets").click()
            page.wait_for_url(re.compile(r"lever=Magnets"))
            wait_ready(page)
            expect_no_exception(page)
            expect(page.locator(".st-key-lever button[aria-pressed='true']")).to_have_text(["Chips", "Magnets"])
            expect(page.locator(".st-key-category")).to_contain_text("Export control")
            assert "category=Export%20control" in page.url or "category=Export+control" in page.url
            reloaded = page.reload()  # (static files may come from the browser's cache: not asked)
            wait_ready(page)
            expect_no_exception(page)
            assert d.backend_from_header(reloaded.headers["x-dashboard-backend"]) is other
            expect(page.locator(".st-key-lever button[aria-pressed='true']")).to_have_text(["Chips", "Magnets"])
            expect(page.locator(".st-key-category")).to_contain_text("Export control")
        except Exception:
            print(d.logs())
            raise
        finally:
            context.close()
