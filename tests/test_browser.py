"""What only a browser shows: pages load, the URL carries the view, links survive page switches."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app_pages import PAGES as REGISTRY
from chipsmag.loading import load_dataset
from support.apptest import CHARTS, HEADINGS
from support.browser import (
    choose_option,
    expect_no_exception,
    streamlit_server,
    wait_ready,
)
from support.screens import DRAWN

pytestmark = pytest.mark.browser


def share_link(page: Page) -> str:
    """The link in the sidebar's share box (drawn when opened)."""
    box = page.locator(".st-key-share")
    code = box.locator("[data-testid='stCode'] code").first  # the link; the citations follow it
    if not code.is_visible():
        box.locator("summary").click()
    text = code.inner_text().strip()
    return re.sub(r"[?&]v=[0-9a-f]+$", "", text)  # the view; the data version it names: test_versions


@contextlib.contextmanager
def fresh_browser_at(browser: Browser, link: str):
    """A new browser context (no cookies, no session) opened at ``link``, ready and exception-free."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(link)
        wait_ready(page)
        expect_no_exception(page)
        yield page
    finally:
        context.close()


def filtered_line(page: Page):
    return page.locator("[data-testid='stCaptionContainer']", has_text="filtered:").first


def sidebar_nav(page: Page, title: str):
    return page.locator("[data-testid='stSidebarNavLink']", has_text=title).first


@pytest.mark.parametrize("spec", REGISTRY, ids=[p.key for p in REGISTRY])
def test_page_loads_with_its_charts_and_no_exception(page: Page, server: str, spec):
    page.goto(f"{server}/{spec.path}")
    wait_ready(page)
    expect_no_exception(page)
    expect(page.locator("h1").first).to_have_text(HEADINGS[spec.key])
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(0)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(CHARTS[spec.key])
    expect(page.locator("[data-testid='stSidebarNavLink']")).to_have_count(len(REGISTRY))


# What keeps a chart from being read without hovering, as Vega draws it in the page (its SVG: legends
# are ``g.role-legend`` groups, one ``g.role-scope`` an entry): an entry's symbol over its label, a
# mark of the plot over a legend, a legend entry or a label cut at the chart's or the plot's edge, an axis label
# twice in a row, a title cut short with '…'.
MISREAD = """() => {
  const out = [];
  const box = (e) => e.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const shown = (t) => t.getAttribute("opacity") !== "0";
  document.querySelectorAll("[data-testid='stVegaLiteChart'] svg.marks").forEach((svg, n) => {
    svg.querySelectorAll("g.role-legend").forEach((legend) => {
      const title = legend.querySelector("g.role-legend-title text")?.textContent ?? "";
      legend.querySelectorAll("g.role-scope").forEach((entry) => {
        const sym = entry.querySelector("g.role-legend-symbol path");
        const label = entry.querySelector("g.role-legend-label text");
        if (sym && label && box(sym).right > box(label).left + 1) {
          out.push(`chart ${n}: legend symbol over '${label.textContent}'`);
        }
      });
      const lb = box(legend);
      svg.querySelectorAll("g.role-mark > path, g.role-mark > rect, g.role-mark > text").forEach((m) => {
        if (m.closest("g.role-legend, g.role-axis, g.role-title")) return;
        const mb = box(m);
        if (mb.width > 0 && mb.height > 0 && hit(mb, lb)) {
          out.push(`chart ${n}: a ${m.closest("g.role-mark").className.baseVal} mark over the legend '${title}'`);
        }
      });
    });
    svg.querySelectorAll("g.role-axis").forEach((axis) => {
      const labels = [...axis.querySelectorAll("g.role-axis-label text")].filter(shown).map((t) => t.textContent);
      const twice = labels.find((label, i) => i > 0 && label === labels[i - 1]);
      if (twice !== undefined) out.push(`chart ${n}: axis label '${twice}' twice in a row`);
    });
    const sb = box(svg);
    const plot = svg.querySelector("path.background");  // the plot's area, to which a mark may be clipped
    svg.querySelectorAll("g.role-legend-label text, g.role-mark > text, g.role-title text").forEach((t) => {
      const b = box(t);
      if (!shown(t) || b.width === 0) return;
      if (t.closest("[clip-path]")) {  // drawn whole inside the plot or not at all, never a fragment
        const f = plot ? box(plot) : sb;
        const whole = b.left >= f.left - 1 && b.right <= f.right + 1, gone = b.right <= f.left || b.left >= f.right;
        if (!whole && !gone) out.push(`chart ${n}: '${t.textContent}' cut by the plot's edge`);
        return;
      }
      const outX = b.right > sb.right + 4 || b.left < sb.left - 4;
      const outY = b.top < sb.top - 5 || b.bottom > sb.bottom + 5;
      if (outX || outY) out.push(`chart ${n}: '${t.textContent}' cut at the chart's edge`);
    });
    svg.querySelectorAll("g.role-title text").forEach((t) => {
      if (t.textContent.includes("\u2026")) out.push(`chart ${n}: title cut short: '${t.textContent}'`);
    });
  });
  return out;
}"""
# Every page as it opens, the Revenue page's other sections, the linkage charts at their longest and
# over one year, and the magnet exports over a few months (the record as known on an earlier date).
MISREAD_VIEWS = [p.path for p in REGISTRY] + ["revenue?show=Claims", "revenue?show=Scenario", "linkage?period=all"]
MISREAD_VIEWS += ["linkage?period=2025", "supply?asof=2025-06-01"]


@pytest.mark.parametrize("view", MISREAD_VIEWS)
def test_every_chart_reads_without_hovering(page: Page, server: str, view: str):
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"{server}/{view}")
        wait_ready(page)
        expect_no_exception(page)
        page.wait_for_function(DRAWN, timeout=30_000)
        assert page.evaluate(MISREAD) == [], f"/{view} at {width} px"


def test_share_link_round_trip_in_a_fresh_browser(page: Page, browser: Browser, server: str):
    page.goto(f"{server}/timeline")
    wait_ready(page)
    page.locator(".st-key-lever button", has_text="Magnets").click()
    page.wait_for_url(re.compile(r"lever=Magnets"))
    wait_ready(page)
    page.locator(".st-key-lanes label", has_text="side").click()
    page.wait_for_url(re.compile(r"lanes=side"))
    wait_ready(page)
    link = share_link(page)
    assert link.endswith("/timeline?lever=magnets&lanes=side"), link
    expected_line = filtered_line(page).inner_text()

    with fresh_browser_at(browser, link) as other:
        expect(filtered_line(other)).to_have_text(expected_line)
        expect(other.locator(".st-key-lanes input[type='radio']").nth(1)).to_be_checked()
        expect(other.locator("[data-testid='stVegaLiteChart'] .marks").first).to_be_visible()
        assert "lever=Magnets" in other.url and "lanes=side" in other.url


def test_a_shared_link_keeps_its_filters_across_page_switches(page: Page, server: str):
    page.goto(f"{server}/linkage?lever=Magnets&actor=China%20MOFCOM")
    wait_ready(page)
    expect(filtered_line(page)).to_contain_text("actors: China MOFCOM · lever: magnets")
    for title in ("Supply", "Timeline", "Overview"):
        sidebar_nav(page, title).click()
        page.wait_for_url(re.compile(r"lever=Magnets"))
        wait_ready(page)
        expect_no_exception(page)
        expect(filtered_line(page)).to_contain_text("actors: China MOFCOM · lever: magnets")
        assert "actor=China%20MOFCOM" in page.url or "actor=China+MOFCOM" in page.url


def test_the_first_visitor_of_a_fresh_server_gets_the_full_view(page: Page, tmp_path):
    """A hosted app sleeps and restarts: its first session must honour a deep link too."""
    with streamlit_server(log_dir=tmp_path) as url:
        page.goto(f"{url}/supply?lever=Magnets&dates=2025-01-01&dates=2025-12-08")
        wait_ready(page)
        expect(page.locator("h1").first).to_have_text("Supply")
        expect(page.locator("[data-testid='stSidebar'] .st-key-lever")).to_be_visible()
        expect(filtered_line(page)).to_contain_text("2025-01-01 to 2025-12-08 · lever: magnets")
        sidebar_nav(page, "Timeline").click()
        page.wait_for_url(re.compile(r"/timeline\?.*lever=Magnets"))
        wait_ready(page)
        expect(filtered_line(page)).to_contain_text("2025-01-01 to 2025-12-08 · lever: magnets")


def test_unusable_link_values_are_named_on_the_page(page: Page, server: str):
    page.goto(f"{server}/timeline?actor=Nobody&lanes=diagonal&utm=x")
    wait_ready(page)
    expect_no_exception(page)
    notice = page.locator("[data-testid='stAlert']", has_text="Parts of this link were not used")
    expect(notice).to_contain_text("Actors: 'Nobody' not recognised and dropped.")
    expect(notice).to_contain_text("Unknown link parameter 'utm' was ignored.")
    assert "utm=" not in page.url and "actor=" not in page.url


def test_clicking_an_event_on_the_chart_opens_its_card(page: Page, server: str):
    page.goto(f"{server}/timeline?lever=Magnets")
    wait_ready(page)
    # Vega-Lite names each mark by its fields (for screen readers): one per event.
    points = page.locator("[data-testid='stVegaLiteChart'] path[aria-label^='Event E']")
    events = load_dataset().tables["events"]
    expect(points).to_have_count(int((events["lever"] == "magnets").sum()))
    page.locator("[data-testid='stVegaLiteChart'] path[aria-label^='Event E27,']").click(force=True)
    page.wait_for_url(re.compile(r"event=E27"))
    wait_ready(page)
    card = page.locator(".st-key-event_card")
    expect(card.locator("h3")).to_have_text("China imposes rare-earth controls and a 34% tariff")
    expect(card).to_contain_text("Sources:")
    # The table of the events is drawn when opened, and the link keeps it open.
    table = page.locator("[data-testid='stDataFrame']")
    expect(table).to_have_count(0)
    page.get_by_text("Table of these events", exact=True).click()
    page.wait_for_url(re.compile(r"rows=true"))
    wait_ready(page)
    expect(table.locator("canvas").first).to_be_visible()
    assert "rows=true" in share_link(page) and "event=E27" in page.url


def test_clicking_a_link_on_the_chart_opens_its_evidence(page: Page, server: str):
    page.goto(f"{server}/linkage?relation=quid%20pro%20quo&basis=stated&period=2025")
    wait_ready(page)
    arrowheads = page.locator("[data-testid='stVegaLiteChart'] path[aria-label^='Link L']")
    t = load_dataset().tables
    links, year = t["links"], t["events"].set_index("id")["date"].str[:4]
    in_2025 = (links["from_event"].map(year) == "2025") & (links["to_event"].map(year) == "2025")
    stated_qpq = int(((links["relation"] == "quid pro quo") & (links["basis"] == "stated") & in_2025).sum())
    expect(arrowheads).to_have_count(stated_qpq)  # one arrowhead per link drawn in the year
    page.locator("[data-testid='stVegaLiteChart'] path[aria-label^='Link L17,']").last.click(force=True)
    page.wait_for_url(re.compile(r"link=L17"))
    wait_ready(page)
    card = page.locator(".st-key-link_card")
    expect(card).to_contain_text("Quid pro quo (stated)")
    expect(card).to_contain_text("Sources:")


def scenario_state(page: Page) -> dict[str, str]:
    values = {
        key: page.locator(f".st-key-{key} input[type='range']").first.input_value()
        for key in ("s_market", "s_share", "s_licence", "s_fee", "s_uptake", "s_subst")
    }
    values["net"] = page.locator("[data-testid='stMetric']", has_text="Expected net revenue").inner_text()
    values["at_risk"] = page.locator("[data-testid='stMetric']", has_text="Revenue at risk").inner_text()
    return values


def test_a_link_by_ids_in_any_case_opens_the_same_view_as_one_by_labels(browser: Browser, server: str):
    shared = []
    for query in ("lever=MAGNETS&actor=cn_mofcom", "lever=Magnets&actor=China%20MOFCOM"):
        with fresh_browser_at(browser, f"{server}/timeline?{query}") as page:
            expect(filtered_line(page)).to_contain_text("actors: China MOFCOM · lever: magnets")
            assert "not used" not in page.locator("[data-testid='stMain']").inner_text()
            shared.append(share_link(page))
    assert shared[0] == shared[1], shared
    assert shared[0].endswith("/timeline?actor=cn_mofcom&lever=magnets"), shared[0]


def test_a_moved_scenario_is_a_link(page: Page, browser: Browser, server: str):
    page.goto(f"{server}/revenue?show=Scenario")
    wait_ready(page)
    choose_option(page, "preset", "December 2025 H200 at 25%")
    page.wait_for_url(re.compile(r"preset=December"))
    wait_ready(page)
    expect(page.locator(".st-key-s_fee input[type='range']")).to_have_value("25")
    thumb = page.locator(".st-key-s_uptake input[type='range']")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")
    page.wait_for_url(re.compile(r"s_uptake=1\.2"))
    wait_ready(page)
    moved = scenario_state(page)
    assert moved["s_uptake"] == "1.2" and moved["s_fee"] == "25"
    link = share_link(page)
    assert "preset=h200-25pct" in link and "s_uptake=1.2" in link

    with fresh_browser_at(browser, link) as other:
        assert scenario_state(other) == moved


def test_the_state_of_play_date_and_measure_travel_in_the_link_and_survive_a_page_switch(
    page: Page, browser: Browser, server: str
):
    measures = load_dataset().tables["measures"]
    chosen, name = measures["id"].iloc[0], measures["name"].iloc[0]
    page.goto(f"{server}/measures?on=2026-03-01&measure={chosen}")
    wait_ready(page)
    expect_no_exception(page)
    card = page.locator(".st-key-measure_card h3")
    expect(card).to_have_text(name)
    expect(page.locator("h3", has_text="On 1 Mar 2026")).to_be_visible()
    link = share_link(page)
    assert "on=2026-03-01" in link and f"measure={chosen}" in link, link
    sidebar_nav(page, "Timeline").click()
    page.wait_for_url(re.compile(r"/timeline"))
    wait_ready(page)
    sidebar_nav(page, "State of play").click()
    page.wait_for_url(re.compile(r"/measures"))
    wait_ready(page)
    expect_no_exception(page)
    expect(card).to_have_text(name)
    expect(page.locator("h3", has_text="On 1 Mar 2026")).to_be_visible()
    assert "on=2026-03-01" in page.url, page.url
    with fresh_browser_at(browser, link) as other:
        expect(other.locator(".st-key-measure_card h3")).to_have_text(name)
        expect(other.locator("h3", has_text="On 1 Mar 2026")).to_be_visible()


def test_clicking_a_move_focuses_it_and_the_focus_travels_in_the_link(page: Page, browser: Browser, server: str):
    page.goto(f"{server}/linkage?period=2025")
    wait_ready(page)
    page.locator("[data-testid='stVegaLiteChart'] path[aria-label^='Event E42,']").first.click(force=True)
    page.wait_for_url(re.compile(r"focus=E42"))
    wait_ready(page)
    expect_no_exception(page)
    link = share_link(page)
    assert "focus=E42" in link and "period=2025" in link, link
    with fresh_browser_at(browser, link) as other:
        expect(other.get_by_role("combobox", name="Focus on a move")).to_have_value(re.compile(r"^E42 "))


def test_dragging_across_the_overview_strip_zooms_the_timeline_and_the_link_keeps_it(
    page: Page, browser: Browser, server: str
):
    page.goto(f"{server}/timeline")
    wait_ready(page)
    strip = page.locator("[data-testid='stVegaLiteChart']").first
    ticks = strip.locator("g.mark-rule, g.mark-tick, g[aria-roledescription='tick mark container']").first
    expect(strip.locator("svg.marks")).to_be_visible()
    box = strip.locator("svg.marks").bounding_box()
    tick_box = ticks.bounding_box() if ticks.count() else None
    y = tick_box["y"] + tick_box["height"] / 2 if tick_box else box["y"] + 45  # the ticks' row
    page.mouse.move(box["x"] + box["width"] * 0.70, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.80, y, steps=8)
    page.mouse.up()
    page.wait_for_url(re.compile(r"zoom=\d{4}-\d{2}-\d{2}&zoom=\d{4}-\d{2}-\d{2}"))
    wait_ready(page)
    expect_no_exception(page)
    expect(page.locator(".st-key-tl_unzoom")).to_be_visible()
    link = share_link(page)
    assert "zoom=" in link, link
    with fresh_browser_at(browser, link) as other:
        expect(other.locator(".st-key-tl_unzoom")).to_be_visible()
        assert "zoom=" in other.url
