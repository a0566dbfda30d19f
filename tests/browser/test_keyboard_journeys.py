"""Keyboard only: sign in, share an idea, promote and comment; staff triage an idea
and post an official response. No mouse, no .click(); every stop shows focus.

`tab_to` presses Tab until the wanted element has focus, as a person would, and
checks the focused element draws a visible focus indicator (:focus-visible).
"""

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from community import roles
from ideas import services
from ideas.models import Idea
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser

MAX_TABS = 60

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || !el.matches(":focus-visible")) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return outline || style.boxShadow !== "none";
}"""


def tab_to(page, locator, *, backwards: bool = False):
    """Tab until `locator` has focus (and shows it); fail after MAX_TABS presses."""
    target = locator.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("el => document.activeElement === el", target):
            assert page.evaluate(FOCUS_SHOWN), "focus is not visible on the focused element"
            return
        # Every stop on the way shows its focus too.
        assert page.evaluate(FOCUS_SHOWN), page.evaluate(
            "() => document.activeElement.outerHTML.slice(0, 200)"
        )
    raise AssertionError(f"{locator} never got focus after {MAX_TABS} presses of Tab")


def test_member_signs_in_shares_promotes_and_comments_by_keyboard(live_server_url, page):
    home_page_ensure()
    CategoryFactory(name="Laptops", slug="laptops")
    member = UserFactory(email="alex@example.com", display_name="Alex Rivera")
    other = make_idea(title="Backlit keyboards on every model")

    page.goto(live_server_url + "/")
    tab_to(page, page.get_by_role("link", name="Sign in"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(member.email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type("pass-word-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Share an idea.
    tab_to(page, page.locator(".site-header").get_by_role("link", name="Share an idea"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Title"))
    page.keyboard.type("A battery health report in the companion app")
    tab_to(page, page.get_by_label("Description"))
    page.keyboard.type("Show the cycle count and capacity over time.")
    tab_to(page, page.get_by_label("Product area"))
    page.keyboard.press("ArrowDown")  # the first product area, Laptops
    tab_to(page, page.get_by_role("button", name="Publish idea"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A battery health report in the companion app"
    )
    assert Idea.objects.filter(author=member, category__slug="laptops").count() == 1

    # Promote another idea, then comment on it.
    page.goto(live_server_url + other.get_absolute_url())
    promote = page.locator(f"#vote-{other.pk}-up")
    tab_to(page, promote)
    page.keyboard.press("Enter")
    expect(promote).to_have_attribute("aria-pressed", "true")
    expect(promote).to_be_focused()
    tab_to(page, page.get_by_label("Add a comment"))
    page.keyboard.type("I type in the dark a lot, so yes please.")
    tab_to(page, page.get_by_role("button", name="Post comment"))
    page.keyboard.press("Enter")
    expect(page.locator("#thread")).to_contain_text("I type in the dark a lot, so yes please.")


def test_staff_triage_and_answer_by_keyboard(live_server_url, browser_as):
    home_page_ensure()
    idea = make_idea(title="Let me cap battery charge at 80%")
    for voter in UserFactory.create_batch(2):
        services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Jordan Lee")
    page = browser_as(manager)

    page.goto(live_server_url + "/staff/")
    page.locator("body").press("j")
    row = page.locator("[data-triage-row]").first
    expect(row).to_be_focused()
    assert page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"
    ), "the current inbox row shows no focus"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(idea.title)

    # Official response.
    tab_to(page, page.get_by_role("textbox", name="Official response"))
    page.keyboard.type("An 80% cap is coming with the spring firmware.")
    tab_to(page, page.get_by_role("button", name="Post official response"))
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text("official response is posted")

    # Change the status with a public explanation.
    status = page.get_by_label("New status")
    tab_to(page, status)
    status.select_option(label="Planned")  # what the arrow keys do on a focused <select>
    expect(status).to_be_focused()
    tab_to(page, page.get_by_label("Public explanation"))
    page.keyboard.type("Planned for the spring firmware release.")
    tab_to(page, page.get_by_role("button", name="Change status"))
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text("Status changed to planned")
    idea.refresh_from_db()
    assert idea.status == "planned"
    assert idea.first_staff_response_at is not None
