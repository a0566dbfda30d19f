"""A customer's whole first visit, in a real Chromium against the live ASGI app."""

import re
from urllib.parse import urlparse

import pytest

from cms.services import home_page_ensure
from ideas import services
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser


def test_sign_up_confirm_submit_promote_comment_and_hear_back(
    live_server_url, page, screenshot, mailoutbox
):
    home_page_ensure()
    CategoryFactory(name="Laptops", slug="laptops")
    other = make_idea(title="Backlit keyboards on every model", author=UserFactory())

    # Sign up and confirm the email address from the message we were sent.
    page.goto(live_server_url + "/")
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password:", exact=True).fill("a-long-pass-phrase-2026")
    page.get_by_label("Password (again):").fill("a-long-pass-phrase-2026")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(live_server_url + urlparse(link).path)
    page.get_by_role("button", name="Confirm").click()

    # Submit an idea.
    page.get_by_role("link", name="Share an idea").first.click()
    page.get_by_label("Title").fill("A battery health report in the companion app")
    page.get_by_label("Description").fill("Show **cycle count** and capacity over time.")
    page.get_by_label("Product area").select_option(label="Laptops")
    page.get_by_label("Tags").fill("battery, app")
    page.get_by_role("button", name="Publish idea").click()
    page.get_by_role("heading", name="A battery health report in the companion app").wait_for()
    assert page.locator(".idea__body strong").inner_text() == "cycle count"
    assert page.locator("#idea-status").inner_text() == "New"

    # Promote someone else's idea (htmx swaps the widget in place).
    page.goto(live_server_url + other.get_absolute_url())
    widget = page.locator(f"#vote-{other.pk}")
    widget.get_by_role("button", name="Promote").click()
    page.locator(f'#vote-{other.pk} .vote__button--up[aria-pressed="true"]').wait_for()
    assert widget.locator(".vote__score").inner_text().split()[-1] == "2"

    # Comment on it.
    page.get_by_label("Add a comment").fill("I type in the dark a lot, so yes please.")
    page.get_by_role("button", name="Post comment").click()
    assert page.get_by_text("I type in the dark a lot, so yes please.").is_visible()

    # Staff answer and move it along; the customer sees both on the idea page.
    responder = staff_user(display_name="Sam Patel")
    services.comment_create(
        author=responder,
        idea_id=other.pk,
        body="We are testing two backlight options.",
        official=True,
    )
    services.idea_status_change(
        actor=responder, idea_id=other.pk, to_status="under_review", message="In the lab now."
    )
    page.reload()
    pinned = page.locator("#official-response")
    assert "We are testing two backlight options." in pinned.inner_text()
    assert "Sam Patel, Staff responder" in pinned.inner_text()
    assert page.locator("#idea-status").inner_text() == "Under review"
    assert "In the lab now." in page.locator("#status-timeline").inner_text()
    screenshot("idea-detail-customer")
