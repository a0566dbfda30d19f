"""Live updates reach screen readers: new comments, official responses and status
changes are said through a polite live region; votes never move the focus."""

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser


def test_comments_official_responses_and_status_changes_are_announced(live_server_url, browser_as):
    home_page_ensure()
    customer = UserFactory(display_name="Alex Rivera")
    idea = make_idea(author=customer, title="Let me schedule battery charge limits")
    url = live_server_url + idea.get_absolute_url()

    page = browser_as(customer)
    page.goto(url)
    expect(page.locator("#live-status")).to_have_text("Live")
    announcer = page.locator("#live-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    # The customer is writing a comment while things arrive: focus stays there.
    box = page.get_by_label("Add a comment")
    box.focus()
    box.press_sequentially("Half way through")

    neighbour = browser_as(UserFactory(display_name="Jordan Lee"))
    neighbour.goto(url)
    neighbour.get_by_label("Add a comment").fill("Yes, for overnight charging.")
    neighbour.get_by_role("button", name="Post comment").click()
    expect(announcer).to_have_text("New comment from Jordan Lee.")
    expect(box).to_be_focused()

    neighbour.get_by_role("button", name="Promote").click()
    expect(page.locator("[data-idea-score]").first).to_have_text("2")
    expect(box).to_be_focused()
    expect(box).to_have_value("Half way through")

    staff = browser_as(staff_user(display_name="Sam Patel"))
    staff.goto(url)
    staff.get_by_label("Official response").fill("We are prototyping it now.")
    staff.get_by_role("button", name="Post official response").click()
    expect(announcer).to_have_text("New official response from Sam Patel.")

    staff.get_by_label("New status").select_option(label="Under review")
    staff.get_by_label("Public explanation").fill("Prototype in the lab this month.")
    staff.get_by_role("button", name="Change status").click()
    expect(announcer).to_have_text("Status changed to Under review.")
    expect(box).to_be_focused()


def test_a_vote_keeps_focus_on_its_button_and_says_the_new_score(live_server_url, browser_as):
    home_page_ensure()
    idea = make_idea(title="A bigger trackpad")
    page = browser_as(UserFactory())
    page.goto(live_server_url + idea.get_absolute_url())
    promote = page.locator(f"#vote-{idea.pk}-up")
    promote.focus()
    page.keyboard.press("Enter")
    expect(promote).to_have_attribute("aria-pressed", "true")
    expect(promote).to_be_focused()
    expect(page.locator("#live-announcer")).to_have_text("You promote this idea. Score 2.")

    page.keyboard.press("Enter")  # again: withdraws the promote
    expect(promote).to_have_attribute("aria-pressed", "false")
    expect(promote).to_be_focused()
    expect(page.locator("#live-announcer")).to_have_text("You have not voted. Score 1.")
