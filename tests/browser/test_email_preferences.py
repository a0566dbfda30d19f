"""A member chooses how each kind of news reaches them by email, on a wide and a narrow screen."""

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from community.notifications.models import EmailPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SHOTS = "test-artifacts/screenshots"


def test_a_member_changes_email_preferences_from_the_profile_page(live_server_url, browser_as):
    home_page_ensure()
    member = UserFactory(display_name="Robin Park")
    page = browser_as(member)
    page.goto(live_server_url + "/account/profile/")
    page.get_by_role("link", name="email preferences").click()

    expect(page.get_by_role("heading", name="Email preferences")).to_be_visible()
    status = page.get_by_role("group", name="The status of an idea you wrote, voted on or follow")
    expect(status.get_by_label("Right away")).to_be_checked()
    merged = page.get_by_role("group", name="Your idea, or one you support, was merged")
    expect(merged.get_by_label("Weekly digest")).to_be_checked()
    page.screenshot(path=f"{SHOTS}/email-preferences-1280.png", full_page=True)

    status.get_by_label("Daily digest").check()
    page.get_by_role("group", name="Someone replied to your comment").get_by_label("Off").check()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
    expect(status.get_by_label("Daily digest")).to_be_checked()
    stored = dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency"))
    assert stored == {"status_change": "daily", "reply": "off"}

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("button", name="Save preferences")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.screenshot(path=f"{SHOTS}/email-preferences-390.png", full_page=True)
