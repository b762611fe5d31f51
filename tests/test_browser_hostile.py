"""Markup in the data and in the URL, in Debian's Chromium: shown as text everywhere (cards,
tables, hovers, captions, option lists, downloads) and never run. A dialog listener and a
page-wide flag catch any script that would run."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from chipsmag.loading import DEFAULT_DATA_DIR
from support.browser import ARTIFACTS, expect_no_exception, streamlit_server, wait_ready

pytestmark = pytest.mark.browser

TITLE = "<script>window.__xss='title';alert('title')</script>H20 licence"
DESCRIPTION = "<img src=x onerror=\"window.__xss='description';alert('description')\"> told Nvidia"
EVIDENCE = "<svg onload=alert('evidence')></svg>'We put that in the trade deal with the magnets.'"
QUOTE = "<iframe src=javascript:alert('quote')></iframe>walked away from $15 billion"
PUBLISHER = "<b onmouseover=alert('publisher')>Tom's Hardware</b>"
ACTOR = "Nvidia <img src=x onerror=alert('actor')>"


def _edit(path: Path, key: str, row_id: str, column: str, value: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    hit = [r for r in rows if r[key] == row_id]
    assert len(hit) == 1, (path, row_id)
    hit[0][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def markup_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("markup") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    _edit(data / "events.csv", "id", "E28", "title", TITLE)
    _edit(data / "events.csv", "id", "E28", "description", DESCRIPTION)
    _edit(data / "links.csv", "id", "L17", "evidence", EVIDENCE)
    _edit(data / "claims.csv", "id", "C05", "quote", QUOTE)
    _edit(data / "sources.csv", "id", "tomshardware_h20", "publisher", PUBLISHER)
    _edit(data / "actors.csv", "id", "nvidia", "name", ACTOR)
    with streamlit_server(env={"CHIPSMAG_DATA_DIR": str(data)}) as url:
        yield url


class Watch:
    """A page whose dialogs are recorded (and dismissed) and whose window flag is read."""

    def __init__(self, context: BrowserContext) -> None:
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str) -> Page:
        self.page.goto(url)
        wait_ready(self.page)
        expect_no_exception(self.page)
        return self.page

    def assert_nothing_ran(self) -> None:
        self.page.wait_for_timeout(300)  # an onerror fires after the image fails to load
        assert self.dialogs == [], self.dialogs
        assert self.page.evaluate("window.__xss === undefined")


@pytest.fixture
def watch(context: BrowserContext):
    w = Watch(context)
    yield w
    w.page.close()


HOVER_EVERY_MARK = """() => {
  const seen = [];
  const tooltip = () => document.querySelector('#vg-tooltip-element.visible');
  for (const mark of document.querySelectorAll("[data-testid='stVegaLiteChart'] path[aria-label]")) {
    const box = mark.getBoundingClientRect();
    if (!box.width) continue;
    const at = {bubbles: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2};
    mark.dispatchEvent(new PointerEvent('pointermove', at));
    mark.dispatchEvent(new MouseEvent('mousemove', at));
    if (tooltip()) seen.push(tooltip().innerText);
  }
  return seen;
}"""


def hover_texts(page: Page) -> str:
    """Move the pointer over every mark of every chart, in the page itself (one round trip, not one
    per mark); everything the tooltips said."""
    return "\n".join(page.evaluate(HOVER_EVERY_MARK))


def vega_tooltip_of(page: Page, label_part: str, attempts: int = 5) -> str:
    """The tooltip of the first Vega-Lite mark whose accessible label contains ``label_part``
    (Vega-Lite labels each mark with its fields, for screen readers)."""
    mark = page.locator(f"[data-testid='stVegaLiteChart'] path[aria-label*='{label_part}']").first
    mark.scroll_into_view_if_needed()
    tooltip = page.locator("#vg-tooltip-element.visible")
    for _ in range(attempts):
        page.mouse.move(0, 0)
        mark.hover(force=True)
        try:
            expect(tooltip).to_be_visible(timeout=2_000)
            return tooltip.inner_text()
        except AssertionError:
            continue
    return ""


def test_markup_in_a_card_a_hover_and_a_download_is_text(watch: Watch, markup_server: str):
    page = watch.open(f"{markup_server}/timeline?event=E28")
    card = page.locator(".st-key-event_card")
    expect(card.locator("h3")).to_have_text(TITLE)
    expect(card).to_contain_text(DESCRIPTION)
    expect(card).to_contain_text(ACTOR)
    expect(card).to_contain_text(PUBLISHER)
    tooltip = vega_tooltip_of(page, "Event E28,")
    assert TITLE in tooltip and ACTOR in tooltip and PUBLISHER in tooltip, tooltip[:500]
    expect(page.locator("#vg-tooltip-element img, #vg-tooltip-element script, #vg-tooltip-element b")).to_have_count(0)
    assert len(hover_texts(page)) > 1000  # every other marker too: none may run anything
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these events (CSV)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["E28"]["title"] == TITLE and rows["E28"]["description"] == DESCRIPTION
    assert "hover" not in next(iter(rows.values())), "derived columns stay out of downloads"
    page.screenshot(path=str(ARTIFACTS / "markup-timeline.png"), full_page=True)
    watch.assert_nothing_ran()


def test_markup_in_link_evidence_quotes_and_tables_is_text(watch: Watch, markup_server: str):
    page = watch.open(f"{markup_server}/linkage?link=L17&period=all")
    expect(page.locator(".st-key-link_card")).to_contain_text(EVIDENCE)
    assert EVIDENCE in vega_tooltip_of(page, "Link L17,")
    assert TITLE in vega_tooltip_of(page, "Event E28,")
    expect(page.locator("#vg-tooltip-element svg, #vg-tooltip-element script")).to_have_count(0)
    assert len(hover_texts(page)) > 1000  # every other mark too: none may run anything
    watch.assert_nothing_ran()

    page = watch.open(f"{markup_server}/?chain=2025")  # the quote stands under the 2025 chain
    expect(page.locator("[data-testid='stMain']")).to_contain_text(EVIDENCE)
    expect(page.locator("[data-testid='stVegaLiteChart'] .marks")).to_contain_text(TITLE)  # the chain's label
    assert TITLE in vega_tooltip_of(page, "Event E28,")
    expect(page.locator("#vg-tooltip-element img, #vg-tooltip-element script")).to_have_count(0)
    watch.assert_nothing_ran()

    page = watch.open(f"{markup_server}/revenue?show=Claims")
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    watch.assert_nothing_ran()

    page = watch.open(f"{markup_server}/sources")
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "markup-sources.png"), full_page=True)
    watch.assert_nothing_ran()


def test_markup_in_an_actor_name_is_a_plain_option(watch: Watch, markup_server: str):
    page = watch.open(f"{markup_server}/timeline")
    page.locator(".st-key-actor [role='combobox']").click()
    page.keyboard.type("Nvidia")  # the option list is virtual: filter it to the one
    expect(page.get_by_role("option", name=ACTOR, exact=True)).to_be_visible()
    page.get_by_role("option", name=ACTOR, exact=True).click()
    page.keyboard.press("Escape")
    wait_ready(page)
    expect(page.locator("[data-testid='stMain']")).to_contain_text(ACTOR)  # the 'filtered:' line
    watch.assert_nothing_ran()


def test_a_hostile_link_runs_nothing_and_is_named(watch: Watch, markup_server: str):
    query = (
        "actor=%3Cscript%3Ealert(1)%3C%2Fscript%3E&dates=2025-02-31&dates=NaN"
        "&category=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E&category=Tariff&category=Tariff"
        "&lanes=side&lanes=lever&foo=%22%3E%3Csvg%20onload%3Dalert(3)%3E&%3Cb%3Ek%3C%2Fb%3E=1&event=" + "A" * 5000
    )
    page = watch.open(f"{markup_server}/timeline?{query}")
    notice = page.locator("[data-testid='stAlert']", has_text="Parts of this link were not used")
    expect(notice).to_contain_text("Actors: '<script>alert(1)</script>' not recognised and dropped.")
    expect(notice).to_contain_text("Category: '<img src=x onerror=alert(2)>' not recognised and dropped.")
    expect(notice).to_contain_text("Date range: '2025-02-31', 'NaN' is not a date")
    expect(notice).to_contain_text("Lanes by: given 2 times; only one value is allowed.")
    expect(notice).to_contain_text("Unknown link parameter 'foo' was ignored.")
    expect(notice).to_contain_text("Unknown link parameter '<b>k</b>' was ignored.")
    expect(notice).to_contain_text("Event: 'AAAAAAAA")
    watch.assert_nothing_ran()
