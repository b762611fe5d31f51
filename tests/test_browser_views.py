"""Views of the data in Chromium: source strength (the badge on a card, the shared filter that keeps
only facts with an official or wire source) and the record as known on a date, each in the link
and across a page switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from support.browser import expect_no_exception, wait_ready

pytestmark = pytest.mark.browser


def test_the_badge_shows_and_the_filter_travels(page: Page, server: str):
    page.goto(f"{server}/timeline?event=E28")
    wait_ready(page)
    card = page.locator(".st-key-event_card")
    expect(card).to_contain_text(re.compile(r"Source strength: [●◐○] "))
    before = page.get_by_text(re.compile(r"^[\d,]+ of [\d,]+ events$")).inner_text()
    page.locator(".st-key-strong label").first.click()  # the switch's label, as a reader clicks it
    page.wait_for_url(re.compile(r"strong=true"))
    wait_ready(page)
    expect_no_exception(page)
    expect(page.get_by_text(re.compile("only facts with an official or wire source"))).to_be_visible()
    count = page.get_by_text(re.compile(r"^[\d,]+ of [\d,]+ events$"))
    expect(count).not_to_have_text(before)  # fewer events: the secondary-only ones left
    assert int(count.inner_text().split()[0].replace(",", "")) < int(before.split()[0].replace(",", ""))
    page.locator("[data-testid='stSidebarNavLink']", has_text="Chips for magnets").first.click()
    page.wait_for_url(re.compile(r"/linkage.*strong=true"))
    wait_ready(page)
    expect(page.get_by_role("switch", name=re.compile("Only facts with an official"))).to_be_checked()


def test_the_record_as_known_on_a_date_survives_a_page_switch_and_goes_back_to_now(page: Page, server: str):
    page.goto(f"{server}/timeline?asof=2025-07-15")
    wait_ready(page)
    expect_no_exception(page)
    banner = page.locator("[data-testid='stAlert']", has_text="As known on 2025-07-15")
    expect(banner).to_be_visible()
    page.locator("[data-testid='stSidebarNavLink']", has_text="State of play").first.click()
    page.wait_for_url(re.compile(r"/measures.*asof=2025-07-15"))
    wait_ready(page)
    expect_no_exception(page)
    expect(banner).to_be_visible()
    page.get_by_role("button", name="Back to now").click()
    expect(banner).to_have_count(0)
    assert "asof=" not in page.url
