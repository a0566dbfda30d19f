"""Every page type on a phone, a tablet and a laptop: no sideways scroll, a menu
button on narrow screens, touch targets of at least 44 px.

Screenshots at 390 and 1280 px land in test-artifacts/screenshots/ for a person
to look at (`layout-<audience>-<page>-<width>.png`).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

NARROW = [320, 390]
SHOT_WIDTHS = {390, 1280}

# Interactive elements a finger has to hit, in the page's own chrome and forms.
TARGETS = (
    ".site-header a, .site-header button, .site-header summary, "
    ".btn, .vote__button, .tab, .pagination a, .staff-nav a"
)
TARGET_MIN_PX = 44

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width && box.right > width + 0.5 && getComputedStyle(el).position !== "fixed"
        && !el.closest("[data-scrolls]");
    })
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + "." + String(el.className).trim().split(/\\s+/)
      .join(".") + " right=" + Math.round(el.getBoundingClientRect().right));
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide };
}"""

SMALL_TARGETS = """([selector, min]) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({ el, box: el.getBoundingClientRect() }))
  .filter(({ box }) => box.width && (box.height < min - 0.5 || box.width < min - 0.5))
  .slice(0, 5)
  .map(({ el, box }) => (el.textContent.trim() || el.getAttribute("aria-label") || el.tagName)
    .slice(0, 30) + " " + Math.round(box.width) + "x" + Math.round(box.height))"""


def _tour(page, base, pages, *, audience, widths):
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages:
            response = page.goto(base + path)
            assert response.status == 200, f"{name} {path}: {response.status}"
            page.wait_for_load_state("load")
            result = page.evaluate(OVERFLOW)
            if result["scrollWidth"] > result["innerWidth"]:
                problems.append(f"{width}px {name}: scrollWidth {result['scrollWidth']} {result}")
            if width < 1024:
                small = page.evaluate(SMALL_TARGETS, [TARGETS, TARGET_MIN_PX])
                if small:
                    problems.append(f"{width}px {name}: targets under 44 px: {small}")
            if width in SHOT_WIDTHS:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(SCREENSHOTS / f"layout-{audience}-{name}-{width}.png"),
                    full_page=True,
                )
    return problems


@pytest.mark.parametrize("audience", ["visitor", "member", "staff"])
def test_no_sideways_scroll_and_big_enough_targets(
    audience, site_tour, live_server_url, open_context
):
    user = {"visitor": None, "member": site_tour.member, "staff": site_tour.staff}[audience]
    page = open_context(width=390, user=user)
    problems = _tour(
        page,
        live_server_url,
        site_tour.pages[audience],
        audience=audience,
        widths=[*NARROW, 1280],
    )
    assert not problems, "\n".join(problems)


def test_menu_button_opens_the_navigation_on_a_phone(site_tour, live_server_url, open_context):
    page = open_context(width=390, user=site_tour.member)
    page.goto(live_server_url + "/")
    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Shipped")).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Shipped")).to_be_visible()
    expect(page.locator("#site-menu").get_by_role("link", name="Share an idea")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "layout-menu-open-390.png"))

    # Escape closes it and gives focus back to the button.
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(nav.get_by_role("link", name="Shipped")).to_be_hidden()

    page.get_by_role("button", name="Menu").click()
    nav.get_by_role("link", name="Shipped").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shipped")


def test_without_javascript_the_menu_is_simply_shown(site_tour, live_server_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server_url + "/")
        expect(page.locator(".menu-toggle")).to_be_hidden()
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Shipped")).to_be_visible()
        result = page.evaluate(OVERFLOW)
        assert result["scrollWidth"] <= result["innerWidth"], result
    finally:
        context.close()


def test_desktop_shows_the_navigation_without_a_menu_button(
    site_tour, live_server_url, open_context
):
    page = open_context(width=1280)
    page.goto(live_server_url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    for name in ["Ideas", "Shipped", "Storm Sessions"]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_staff_inbox_on_a_tablet(site_tour, live_server_url, open_context):
    page = open_context(width=768, height=1024, user=site_tour.staff)
    page.goto(live_server_url + "/staff/")
    result = page.evaluate(OVERFLOW)
    assert result["scrollWidth"] <= result["innerWidth"], result
    row = page.locator("[data-triage-row]").first
    expect(row).to_be_visible()
    expect(row.get_by_role("link").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "layout-staff-inbox-768.png"), full_page=True)
