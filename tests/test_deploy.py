"""Hosting: the public-deployment config, errors hidden from viewers but logged, and the
Dockerfile's entry point and health check run as written on a copy of its build context."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from support.browser import (
    ARTIFACTS,
    expect_no_exception,
    free_port,
    streamlit_server,
    wait_ready,
)

from .conftest import ROOT

APP_CODE = ["app.py", *map(str, ROOT.glob("app_pages/*.py")), *map(str, ROOT.glob("components/*.py"))]


def test_config_is_fit_for_a_public_deployment():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == 1  # MB, the smallest Streamlit accepts
    # Uploads off: no page offers a file upload.
    for path in APP_CODE:
        assert "file_uploader" not in (ROOT / path).read_text(), path


@pytest.mark.browser
def test_an_error_shows_viewers_no_details_and_the_server_log_keeps_them(browser: Browser, tmp_path):
    """The app shows no traceback by design; this checks what the configuration does if one
    slipped through: a script that raises, served with the dashboard's config."""
    script = ROOT / "tests" / "fixtures" / "raises.py"
    with streamlit_server(log_dir=tmp_path, script=str(script.relative_to(ROOT))) as url:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
        body = page.locator("[data-testid='stMain']").inner_text()
        page.close()
        log = next(tmp_path.glob("server-*.log")).read_text()
    assert "secret-detail-7f3a" not in body and "Traceback" not in body and "raises.py" not in body
    assert "Uncaught app execution" in log and "secret-detail-7f3a" in log


def _dockerfile() -> dict[str, list[str]]:
    """The Dockerfile's instructions (continuation lines joined), by keyword, in order."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            out.setdefault(keyword.upper(), []).append(rest.strip())
    return out


def _build_context(dest: Path) -> Path:
    """Copy what a docker build would send: the repository minus what .dockerignore lists."""
    patterns = [
        p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip() and not p.startswith("#")
    ]

    def ignored(rel: str) -> bool:
        return any(
            fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(Path(rel).name, pat.removeprefix("**/")) for pat in patterns
        )

    for folder, dirs, files in os.walk(ROOT):
        base = Path(folder).relative_to(ROOT)
        dirs[:] = [d for d in dirs if not ignored((base / d).as_posix())]  # prune ignored folders
        for d in dirs:  # a link to a folder (data/ -> static/data/) is sent as the link, as docker does
            if (ROOT / base / d).is_symlink():
                (dest / base).mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(ROOT / base / d), dest / base / d)
        for name in files:
            rel = (base / name).as_posix()
            if not ignored(rel):
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, dest / rel)
    return dest


def test_dockerfile_follows_streamlits_pattern():
    d = _dockerfile()
    assert d["FROM"][0].startswith("python:3.11")
    assert d["COPY"][0] == "requirements.txt ." and "pip install --no-cache-dir -r requirements.txt" in d["RUN"]
    assert d["EXPOSE"] == ["8501"]
    assert "curl --fail http://localhost:8501/_stcore/health" in d["HEALTHCHECK"][0]
    assert d["USER"] and d["USER"][-1] != "root"
    entry = json.loads(d["ENTRYPOINT"][-1])
    assert entry[:3] == ["streamlit", "run", "app.py"]
    assert "--server.port=8501" in entry and "--server.address=0.0.0.0" in entry


@pytest.mark.browser
def test_the_docker_entrypoint_serves_the_dashboard_from_the_build_context(browser: Browser, tmp_path):
    """No Docker engine runs here, so this runs the ENTRYPOINT and the HEALTHCHECK command as the
    Dockerfile writes them (on a free port) in a copy of the build context: a file the app needs
    but .dockerignore leaves out would break the page."""
    context = _build_context(tmp_path / "context")
    assert not (context / "tests").exists() and (context / "data" / "datapackage.json").exists()
    d = _dockerfile()
    port = free_port()
    entry = [a.replace("8501", str(port)) for a in json.loads(d["ENTRYPOINT"][-1])]
    command = [sys.executable, "-m", *entry, "--server.fileWatcherType=none"]  # the image's `streamlit`
    health = d["HEALTHCHECK"][0].split("CMD", 1)[1].strip().replace("8501", str(port))
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=context, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while subprocess.run(["/bin/sh", "-c", health], capture_output=True).returncode != 0:
                assert proc.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, f"the health check never passed:\n{log_path.read_text()}"
                time.sleep(0.5)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as r:
                assert r.read() == b"ok"
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/supply")
            wait_ready(page)
            expect_no_exception(page)
            expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
            expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(5, timeout=30_000)
            expect(page.locator("[data-testid='stVegaLiteChart'] svg.marks").last).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "docker-context-supply.png"))
            page.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
