"""A person switches the site to German, then to Arabic, with the footer's switcher.

Screenshots of the home page, the idea list and an idea page at 1280 and 390 px
in German and in Arabic (right to left) land in test-artifacts/screenshots/
(`language-<lang>-<page>-<width>.png`) for a person to look at.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def shoot(page, base, pages, lang):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages:
            page.goto(base + path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            assert page.evaluate(SIDEWAYS) <= 0, f"{lang} {name} scrolls sideways at {width} px"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(SCREENSHOTS / f"language-{lang}-{name}-{width}.png"), full_page=True
            )


def test_switching_to_german_and_to_arabic(live_server_url, german_site, page):
    idea_path = german_site["idea"].get_absolute_url()
    pages = [("home", "/"), ("idea-list", "/ideas/"), ("idea", idea_path)]
    page.goto(live_server_url + idea_path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Discussion")).to_be_visible()

    # Without JavaScript's help: a plain form, posted with its CSRF token.
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(re.compile(re.escape(idea_path) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Diskussion")).to_be_visible()
    expect(page.get_by_role("link", name="Idee teilen")).to_be_visible()
    # The scripts' strings come from the JavaScript catalogue in German too.
    assert page.evaluate("() => gettext('New comment.')") == "Neuer Kommentar."
    crumb = page.locator(".breadcrumbs__sep").first
    assert crumb.evaluate("e => getComputedStyle(e, '::after').content") == '"›"'  # left to right
    shoot(page, live_server_url, pages, "de")

    # On a phone the switcher works the same; it sits in the footer.
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server_url + "/ideas/")
    page.get_by_label("Sprache").select_option("ar")
    page.get_by_role("button", name="Sprache wechseln").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server_url + "/")
    # Right to left: the brand starts the header on the right, the account buttons end it.
    brand = page.locator(".brand").bounding_box()
    share = page.locator(".site-header__account .btn--primary").bounding_box()
    assert brand["x"] > 640 > share["x"], (brand, share)
    # Arrows point the way the text reads: "See all ideas" leads leftwards.
    forward = page.locator(".arrow--forward").first
    assert forward.evaluate("e => getComputedStyle(e, '::after').content") == '"←"'
    shoot(page, live_server_url, pages, "ar")
