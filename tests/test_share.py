"""Share beyond a link (AppTest): every chart's menu and embed page, the citation of the view, the
brief's content. Files read back (PNG, SVG, PDF) and the embed in a page: test_browser_share.py."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app_pages import PAGES as REGISTRY
from chipsmag.citation import long_date
from components.data import today
from support.apptest import CHARTS, open_page, open_share_menus, share_link, texts, vega_specs

VIEWS = {  # a view of each page with charts, with filters and page options, by ids
    "overview": {"lever": "magnets"},
    "measures": {"side": "China", "on": "2025-10-01"},
    "timeline": {"lever": "chips", "lanes": "side"},
    "revenue": {"show": "scenario", "preset": "h200-25pct"},
    "supply": {"usgs": "reserves"},
    "linkage": {"period": "2025"},
}


def snippets(at) -> dict[str, str]:
    """Chart key -> its embed snippet (the HTML code block of each "Share chart" menu)."""
    out = {}
    for code in at.get("code"):
        text = code.proto.code_text
        if text.startswith("<iframe"):
            src = html.unescape(re.search(r'src="([^"]+)"', text).group(1))
            out[parse_qs(urlsplit(src).query)["chart"][0]] = text
    return out


@pytest.fixture(scope="module", params=list(VIEWS))
def view(request):
    page = request.param
    return page, VIEWS[page], open_share_menus(open_page(page, **VIEWS[page]))


def test_every_chart_has_a_share_menu_with_an_embed_snippet_of_this_view(view):
    _page, _query, at = view
    assert not at.exception
    found = snippets(at)
    assert len(found) == len(vega_specs(at)) >= 1
    link = share_link(at)
    for key, text in found.items():
        src = html.unescape(re.search(r'src="([^"]+)"', text).group(1))
        assert src.startswith(link), (src, link)  # the view's own filters and options
        assert parse_qs(urlsplit(src).query)["embed"] == ["true"]
        width = int(re.search(r'width="(\d+)"', text).group(1))
        assert 600 <= width <= 800
        assert 'title="' in text and 'loading="lazy"' in text, key


def test_each_embed_page_is_that_chart_alone_with_its_sources_version_and_link(view):
    page, query, at = view
    full = dict(zip(snippets(at), vega_specs(at), strict=True))
    link = share_link(at, with_version=True)
    for key, spec in full.items():
        embedded = open_page(page, **query, chart=key, embed="true")
        assert not embedded.exception, [e.value for e in embedded.exception]
        assert vega_specs(embedded) == [spec], key  # the same chart, the same data
        assert not embedded.sidebar.get("multiselect") and not embedded.sidebar.get("date_input")
        assert not embedded.expander and not embedded.title  # no menus, no page furniture
        words = texts(embedded)
        assert "Sources: " in words
        assert re.search(r"Data version [0-9a-f]+, latest source dated \d{4}-\d{2}-\d{2}", words), words
        assert [b.proto.url for b in embedded.get("link_button")] == [link]


def test_an_embed_link_for_a_chart_the_view_does_not_have_says_so():
    at = open_page("timeline", chart="<b>nope</b>", embed="true")
    assert not at.exception
    assert 'This view has no chart "<b>nope</b>"' in at.error[0].value
    assert not vega_specs(at)
    (back,) = [b.proto.url for b in at.get("link_button")]
    assert re.fullmatch(r"http://localhost:8501/timeline\?v=[0-9a-f]+", back)


def test_the_share_box_cites_the_view_in_apa_and_bibtex():
    at = open_page("timeline", lever="chips")
    link = share_link(at, with_version=True)
    codes = [c.proto.code_text for c in at.get("code")]
    apa = next(c for c in codes if c.startswith("Chips for magnets. ("))
    bibtex = next(c for c in codes if c.startswith("@misc{"))
    version = re.search(r"Data version (\w+)", texts(at)).group(1)
    accessed = today()  # the day the reader copies it
    assert f"version {version}" in apa and apa.endswith(f"from {link}") and "Timeline" in apa
    assert f"Retrieved {long_date(accessed)}, from" in apa
    assert f"\\url{{{link}}}" in bibtex and f"urldate = {{{accessed.isoformat()}}}" in bibtex and version in bibtex
    assert bibtex.count("{") == bibtex.count("}")


def test_the_brief_holds_the_pages_charts_and_figures(monkeypatch):
    from components import share

    captured = {}
    real = share.brief.pdf

    def keep(content, progress=None):
        captured["brief"] = content
        return real(content, progress)

    monkeypatch.setattr(share.brief, "pdf", keep)  # the real PDF is built; its input is kept to read
    at = open_page("revenue", show="scenario")
    at = at.button(key="brief_make").click().run()
    assert not at.exception and not at.error
    assert at.get("download_button")[-1].proto.label.startswith("Download the brief (PDF, ")
    b = captured["brief"]
    assert b.page_title == "Revenue at risk" and b.link == share_link(at, with_version=True)
    assert [c.title for c in b.charts] == [share.title_of(s) for s in vega_specs(at)]
    assert [h.label for h in b.headlines] == [m.label for m in at.metric]
    assert all(c.source.startswith("Sources: ") for c in b.charts)
    assert b.events and all(e.sources for e in b.events)
    assert "2026" in b.coverage


@pytest.mark.parametrize("spec", [p for p in REGISTRY if CHARTS[p.key]], ids=lambda p: p.key)
def test_every_charted_page_has_a_view_here(spec):
    assert spec.key in VIEWS  # a page with charts must be covered by the embed tests above


def test_snippet_escapes_the_title():
    from components.share import snippet

    text = snippet({"title": 'A "quoted" <b>title</b> & more'}, "k", "http://h/p?a=1")
    assert 'title="A &quot;quoted&quot; &lt;b>title&lt;/b> &amp; more"' in text
    assert 'src="http://h/p?a=1&amp;chart=k&amp;embed=true"' in text
