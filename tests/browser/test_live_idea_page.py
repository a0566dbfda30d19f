"""Two people, two browsers: staff answer and the customer sees it without reloading."""

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser


def test_customer_sees_official_response_and_status_change_live(
    live_server_url, browser_as, tmp_path, worker
):
    home_page_ensure()
    customer = UserFactory(display_name="Alex Rivera")
    idea = make_idea(author=customer, title="Let me schedule battery charge limits")
    responder = staff_user(display_name="Sam Patel")
    url = live_server_url + idea.get_absolute_url()

    customer_page = browser_as(customer)
    customer_page.goto(url)
    expect(customer_page.locator("#live-status")).to_have_text("Live")
    expect(customer_page.locator("#official-response")).to_have_count(0)

    staff_page = browser_as(responder)
    staff_page.goto(url)
    staff_page.get_by_label("Official response").fill("Good idea: we are prototyping it now.")
    staff_page.get_by_role("button", name="Post official response").click()
    staff_page.get_by_label("New status").select_option(label="Under review")
    staff_page.get_by_label("Public explanation").fill("Prototype in the lab this month.")
    staff_page.get_by_role("button", name="Change status").click()
    expect(staff_page.locator("#idea-status")).to_have_text("Under review")

    # The customer's page changed in place: nobody reloaded it.
    pinned = customer_page.locator("#official-response")
    expect(pinned).to_contain_text("Good idea: we are prototyping it now.")
    expect(pinned).to_contain_text("Sam Patel, Staff responder")
    expect(customer_page.locator("#idea-status")).to_have_text("Under review")
    expect(customer_page.locator("#status-timeline")).to_contain_text(
        "Prototype in the lab this month."
    )
    expect(customer_page.locator("[data-comment-count]")).to_have_text("1")
    # The bell is pushed by the worker once it has stored the notifications.
    expect(customer_page.locator("[data-unread-count]")).to_have_text("2", timeout=30_000)
    customer_page.screenshot(
        path="test-artifacts/screenshots/idea-live-customer.png", full_page=True
    )


def test_a_hidden_or_edited_official_response_changes_on_open_pages(live_server_url, browser_as):
    from community import roles
    from ideas import services

    home_page_ensure()
    idea = make_idea(title="Let me pick the keyboard backlight timeout")
    responder = staff_user(display_name="Sam Patel")
    first = services.comment_create(
        author=responder, idea_id=idea.pk, body="We are looking at timeouts.", official=True
    )
    later = services.comment_create(
        author=responder, idea_id=idea.pk, body="Shipping it tomorrow, promise.", official=True
    )
    customer_page = browser_as(UserFactory())
    customer_page.goto(live_server_url + idea.get_absolute_url())
    expect(customer_page.locator("#live-status")).to_have_text("Live")
    pinned = customer_page.locator("#official-response")
    expect(pinned).to_contain_text("Shipping it tomorrow")
    manager = browser_as(staff_user(roles.COMMUNITY_MANAGER))

    def moderate(path: str, button: str, **fields) -> None:
        manager.goto(live_server_url + path)
        for label, value in fields.items():
            manager.get_by_label(label).fill(value)
        manager.get_by_role("button", name=button).click()

    # Hidden: the earlier answer is pinned again on the open page, without a reload.
    moderate(f"/staff/moderation/comments/{later.pk}/hide/", "Hide comment", Reason="Not true")
    expect(pinned).to_contain_text("We are looking at timeouts.")
    expect(customer_page.locator(f"#comment-{later.pk}")).to_contain_text("Hidden by a moderator")

    # Edited: the pinned block and the thread show the new text.
    moderate(
        f"/staff/moderation/comments/{first.pk}/edit/", "Save edit",
        Comment="We are looking at [removed].", Reason="Personal details",
    )  # fmt: skip
    expect(pinned).to_contain_text("We are looking at [removed].")
    expect(customer_page.locator(f"#comment-{first.pk}")).to_contain_text("[removed]")

    # The last readable answer hidden: nothing is pinned.
    moderate(f"/staff/moderation/comments/{first.pk}/hide/", "Hide comment", Reason="Wrong too")
    expect(customer_page.locator("#official-response")).to_have_count(0)
