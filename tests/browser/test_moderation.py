"""A member flags an idea, a community manager hides it from the queue, and its author
sees why: three people, three browsers, the way they would click."""

import time

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from community import roles
from community.models import Notification
from ideas import services
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser

SHOTS = "test-artifacts/screenshots"


def test_flag_then_hide_from_the_queue_then_the_author_sees_the_reason(
    live_server_url, browser_as, worker
):
    home_page_ensure()
    author = UserFactory(display_name="Pat Seller")
    idea = make_idea(
        author=author,
        title="Cheap replacement chargers at my shop",
        body="Visit my shop for chargers at half price.",
    )
    url = live_server_url + idea.get_absolute_url()

    # A member flags it.
    member = browser_as(UserFactory(display_name="Alex Rivera"))
    member.goto(url)
    member.locator(".idea__actions").get_by_role("link", name="Flag").click()
    expect(member.get_by_role("heading", name="Flag this idea")).to_be_visible()
    member.get_by_label("Spam or advertising").check()
    member.get_by_label("Anything a moderator should know?").fill("An advert for a shop.")
    member.screenshot(path=f"{SHOTS}/moderation-flag-form.png", full_page=True)
    member.get_by_role("button", name="Send flag").click()
    expect(member.get_by_text("Thank you. A moderator will look at it.")).to_be_visible()

    # A community manager finds it in the queue and hides it with a reason.
    manager = browser_as(staff_user(roles.COMMUNITY_MANAGER, display_name="Maria Gomez"))
    manager.goto(live_server_url + "/staff/moderation/")
    item = manager.get_by_role("listitem").filter(has_text=idea.title)
    expect(item).to_contain_text("1 flag")
    expect(item).to_contain_text("Spam or advertising")
    expect(item).to_contain_text("An advert for a shop.")
    manager.screenshot(path=f"{SHOTS}/moderation-queue.png", full_page=True)
    item.get_by_text("Hide…").click()
    item.get_by_label("Reason shown to the author").fill(
        "Advertising your own shop is against the guidelines."
    )
    manager.screenshot(path=f"{SHOTS}/moderation-queue-hide-open.png", full_page=True)
    item.get_by_role("button", name="Hide idea").click()
    expect(manager.get_by_text("The idea is hidden. Its author was told why.")).to_be_visible()
    expect(manager.get_by_role("heading", name="Nothing to review")).to_be_visible()

    # The author still sees the idea, with the moderator's reason; others do not.
    own = browser_as(author)
    own.goto(url)
    banner = own.locator(".moderation-banner")
    expect(banner).to_contain_text("A moderator hid this idea.")
    expect(banner).to_contain_text("Advertising your own shop is against the guidelines.")
    own.screenshot(path=f"{SHOTS}/moderation-author-sees-reason.png", full_page=True)
    member.goto(url)
    expect(member.get_by_role("heading", name="Page not found")).to_be_visible()

    # The bell told the author too, once the worker stored the notice.
    deadline = time.monotonic() + 30
    while not Notification.objects.filter(user=author, kind="moderation").exists():
        assert time.monotonic() < deadline, "the worker never stored the notice"
        time.sleep(0.1)
    own.goto(live_server_url + "/notifications/")
    expect(own.get_by_text("A moderator hid your idea")).to_be_visible()


def test_moderating_from_the_idea_page_then_the_member_page_and_the_audit_log(
    live_server_url, browser_as
):
    home_page_ensure()
    author = UserFactory(display_name="Pat Seller")
    commenter = UserFactory(display_name="Rude Rudy")
    idea = make_idea(
        author=author,
        title="Call me on 555 0100 about docking stations",
        body="My number is 555 0100; I want a dock with two HDMI ports.",
    )
    services.comment_create(author=commenter, idea_id=idea.pk, body="What a stupid idea.")
    url = live_server_url + idea.get_absolute_url()
    manager = browser_as(staff_user(roles.COMMUNITY_MANAGER, display_name="Maria Gomez"))
    other = browser_as(UserFactory())
    other.goto(url)
    expect(other.locator("#live-status")).to_have_text("Live")

    # Hide the rude comment from its own "Hide" link.
    manager.goto(url)
    manager.locator(".comment").get_by_role("link", name="Hide").click()
    manager.get_by_label("Reason").fill("Please criticise ideas, not people.")
    manager.screenshot(path=f"{SHOTS}/moderation-action-form.png", full_page=True)
    manager.get_by_role("button", name="Hide comment").click()
    expect(manager.locator(".comment .moderation-note")).to_contain_text("criticise ideas")
    # A page already open replaces the comment live, without a reload.
    expect(other.locator(".comment")).to_have_text("Hidden by a moderator.")
    expect(other.locator("[data-comment-count]")).to_have_text("0")

    # Take the phone number out, keeping the old text for staff, and lock the thread.
    manager.locator(".mod-panel").get_by_role("link", name="Edit idea").click()
    manager.get_by_label("Title").fill("A dock with two HDMI ports")
    manager.get_by_label("Description").fill("I want a dock with two HDMI ports.")
    manager.get_by_label("Reason").fill("Removed a phone number.")
    manager.get_by_role("button", name="Save edit").click()
    manager.locator(".mod-panel").get_by_role("link", name="Lock discussion").click()
    manager.get_by_label("Reason").fill("Keeping the discussion on topic.")
    manager.get_by_role("button", name="Lock discussion").click()
    expect(manager.locator(".locked-note")).to_be_visible()
    panel = manager.locator(".mod-panel")
    expect(panel).to_contain_text("Revision history")
    panel.get_by_text("Earlier text").first.click()
    expect(panel).to_contain_text("My number is 555 0100")
    manager.screenshot(path=f"{SHOTS}/moderation-idea-page-staff.png", full_page=True)

    # The commenter sees why; everyone else a placeholder.
    own = browser_as(commenter)
    own.goto(url)
    expect(own.locator(".comment .moderation-note")).to_contain_text("criticise ideas")
    own.screenshot(path=f"{SHOTS}/moderation-comment-author.png", full_page=True)
    other.reload()
    expect(other.locator(".comment")).to_have_text("Hidden by a moderator.")
    expect(other.locator(".locked-note")).to_contain_text("locked this discussion")

    # Suspend the commenter for three days from their moderation page.
    manager.goto(live_server_url + f"/staff/moderation/members/{commenter.pk}/")
    suspend = manager.get_by_role("region", name="Suspend")
    suspend.get_by_role("spinbutton", name="Days").fill("3")
    suspend.get_by_label("Reason").fill("Personal attacks after a warning.")
    manager.get_by_role("button", name="Suspend member").click()
    expect(manager.get_by_text("Rude Rudy is suspended.")).to_be_visible()
    expect(manager.get_by_text("Reason: Personal attacks after a warning.")).to_be_visible()
    manager.screenshot(path=f"{SHOTS}/moderation-member-page.png", full_page=True)

    # Administrators read every action in the audit log.
    admin = browser_as(staff_user(roles.ADMINISTRATOR, display_name="Chris Admin"))
    admin.goto(live_server_url + "/staff/audit/")
    rows = admin.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Suspended a member")
    expect(admin.locator("tbody")).to_contain_text("Removed a phone number.")
    admin.screenshot(path=f"{SHOTS}/moderation-audit-log.png", full_page=True)
