"""Share beyond a link, in Chromium: a chart's embed snippet placed in a web page of its own, the
chart's PNG and SVG files and the view's PDF brief downloaded and read back."""

from __future__ import annotations

import functools
import http.server
import io
import re
import struct
import threading
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from support.browser import expect_no_exception, free_port, wait_ready
from support.svg import svg_texts

pytestmark = pytest.mark.browser


def open_menu(page: Page, key: str):
    """Open the "Share chart" menu of chart ``key`` (drawn when opened); its body."""
    box = page.locator(f".st-key-share_{key}")
    box.locator("summary").click()
    body = box.locator("[data-testid='stExpanderDetails']").filter(has_text="Embed this chart")
    expect(body).to_be_visible()
    return body


def download(page: Page, button) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return open(info.value.path(), "rb").read()


@pytest.fixture
def article(tmp_path):
    """A local web page (another origin than the dashboard) that will hold the snippet."""
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{port}"
    httpd.shutdown()


def test_the_embed_snippet_shows_the_chart_alone_in_another_page(page: Page, server: str, article):
    page.goto(f"{server}/supply?lever=magnets")
    wait_ready(page)
    snippet = open_menu(page, "sp_stages").locator("code").first.inner_text().strip()
    assert snippet.startswith("<iframe") and "chart=sp_stages" in snippet
    folder, origin = article
    (folder / "article.html").write_text(
        f"<!doctype html><html><body><h1>An article</h1><p>Before the chart.</p>{snippet}<p>After.</p></body></html>"
    )
    page.goto(f"{origin}/article.html")
    frame = page.frame_locator("iframe")
    expect(frame.locator("[data-testid='stVegaLiteChart']")).to_have_count(1, timeout=60_000)
    expect(
        frame.locator("[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas").first
    ).to_be_visible()
    expect(frame.locator("[data-testid='stException']")).to_have_count(0)
    expect(frame.locator("[data-testid='stSidebarNavLink']")).to_have_count(0)
    expect(frame.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")).to_have_count(0)
    words = frame.locator("[data-testid='stMain']")
    expect(words).to_contain_text("Sources: ")
    expect(words).to_contain_text("Filters: lever: magnets")
    expect(words).to_contain_text(re.compile(r"Data version [0-9a-f]+, latest source dated \d{4}-\d{2}-\d{2}"))
    back = frame.get_by_role("link", name=re.compile("Open the full view"))
    assert re.fullmatch(rf"{re.escape(server)}/supply\?lever=magnets&v=[0-9a-f]+", back.get_attribute("href"))
    box = page.locator("iframe").bounding_box()
    assert 600 <= box["width"] <= 800, box
    page.screenshot(path=str(folder / "article.png"))


def test_a_chart_downloads_as_png_and_svg_stamped_with_its_sources(page: Page, server: str):
    page.goto(f"{server}/timeline?lever=chips")
    wait_ready(page)
    menu = open_menu(page, "tl_chart")
    png = download(page, menu.get_by_role("button", name=re.compile("PNG")))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 1300 and height >= 400, (width, height)
    svg = download(page, menu.get_by_role("button", name=re.compile("SVG"))).decode("utf-8")
    ET.fromstring(svg)  # noqa: S314 (the dashboard's own file): well-formed
    words = " ".join(t["text"] for t in svg_texts(svg))
    assert "Sources: " in words and "Filters: lever: chips" in words
    assert re.search(r"Data version [0-9a-f]+", words) and f"{server}/timeline?lever=chips" in words
    expect_no_exception(page)


def test_the_pdf_brief_holds_the_view(page: Page, server: str):
    page.goto(f"{server}/revenue?show=scenario&preset=h200-25pct")
    wait_ready(page)
    metrics = page.locator("[data-testid='stMetricValue']")
    expect(metrics.first).to_be_visible()
    figures = [t.strip() for t in metrics.all_inner_texts()]
    page.get_by_role("button", name=re.compile("PDF brief of this view")).click()
    button = page.get_by_role("button", name=re.compile(r"Download the brief \(PDF"))
    expect(button).to_be_visible(timeout=60_000)
    reader = PdfReader(io.BytesIO(download(page, button)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    assert "Revenue at risk" in flat
    assert figures and all(f in flat for f in figures), figures
    link = f"{server}/revenue?show=scenario&preset=h200-25pct&v="
    uris = {a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", []) or []}
    assert any(u.startswith(link) for u in uris), sorted(uris)[:5]
    assert any(u.startswith("http") and "127.0.0.1" not in u for u in uris)  # the events' sources
    assert re.search(r"[Vv]ersion [0-9a-f]{8,}", flat)
    expect_no_exception(page)
