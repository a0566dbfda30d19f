"""A product manager's triage session in a real browser."""

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from community import roles
from ideas import services
from ideas.models import Idea
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser


def test_open_inbox_assign_respond_and_change_status(live_server_url, browser_as):
    home_page_ensure()
    laptops = CategoryFactory(name="Laptops")
    batteries = CategoryFactory(name="Batteries")
    quiet = make_idea(title="Quieter fans under light load", category=laptops)
    wanted = make_idea(title="Let me cap battery charge at 80%", category=laptops)
    for member in UserFactory.create_batch(3):
        services.vote_cast(voter=member, idea_id=wanted.pk, value=1)
    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Jordan Lee")

    page = browser_as(manager)
    page.goto(live_server_url + "/staff/")
    rows = page.locator("[data-triage-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(wanted.title)  # more supporters first
    page.screenshot(path="test-artifacts/screenshots/staff-inbox.png", full_page=True)

    # Keyboard: j moves to the first idea, Enter opens it.
    page.locator("body").press("j")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted.title)

    page.get_by_label("Owner").select_option(label="Jordan Lee")
    page.get_by_label("Product area").select_option(label="Batteries")
    page.get_by_role("button", name="Save assignment").click()
    expect(page.locator(".message--success")).to_contain_text("Assignment saved")

    page.get_by_role("textbox", name="Official response").fill(
        "An 80% cap is coming to the power settings; it needs a firmware update we are testing."
    )
    page.get_by_role("button", name="Post official response").click()
    expect(page.locator(".message--success")).to_contain_text("official response is posted")

    page.get_by_label("New status").select_option(label="Planned")
    page.get_by_label("Public explanation").fill("Planned for the spring firmware release.")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".message--success")).to_contain_text("Status changed to planned")
    page.screenshot(path="test-artifacts/screenshots/staff-idea-triage.png", full_page=True)

    wanted.refresh_from_db()
    assert (wanted.owner, wanted.category, wanted.status) == (manager, batteries, "planned")
    assert wanted.first_staff_response_at is not None

    # Answered, it leaves the inbox; the next idea waits there.
    page.get_by_role("link", name="Triage inbox").first.click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text(quiet.title)


def test_bulk_assign_from_the_inbox(live_server_url, browser_as):
    home_page_ensure()
    first, second, third = make_idea(), make_idea(), make_idea()
    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Jordan Lee")

    page = browser_as(manager)
    page.goto(live_server_url + "/staff/")
    page.get_by_label(f"Select “{first.title}”").check()
    page.get_by_label(f"Select “{third.title}”").check()
    page.locator("#bulk_owner").select_option(label="Jordan Lee")
    page.get_by_role("button", name="Apply to selected").click()

    expect(page.locator(".message--success")).to_contain_text("Updated 2 ideas")
    owned = set(Idea.objects.filter(owner=manager).values_list("pk", flat=True))
    assert owned == {first.pk, third.pk}
    assert second.pk not in owned


def test_the_inbox_tells_staff_when_a_new_idea_arrives(live_server_url, browser_as):
    home_page_ensure()
    area = CategoryFactory(name="Docks")
    make_idea(title="Two displays over one USB-C dock", category=area)
    responder = staff_user(roles.STAFF_RESPONDER, display_name="Sam Ortiz")

    page = browser_as(responder)
    page.goto(live_server_url + "/staff/")
    notice = page.get_by_role("status").filter(has_text="new idea")
    expect(page.locator("[data-triage-row]")).to_have_count(1)
    expect(notice).to_be_hidden()
    # The socket connects after the page loads; the notice says when it is live.
    page.wait_for_selector("[data-staff-stream][data-state=live]", state="attached")

    customer = browser_as(UserFactory())
    customer.goto(live_server_url + "/ideas/new/")
    customer.get_by_label("Title").fill("A dock that charges the laptop at full speed")
    customer.get_by_label("Description").fill("My dock charges at 60 W; the laptop wants 90 W.")
    customer.get_by_label("Product area").select_option(label="Docks")
    customer.get_by_role("button", name="Publish idea").click()

    expect(notice).to_be_visible()
    expect(notice).to_contain_text("A dock that charges the laptop at full speed")
    notice.get_by_role("link", name="Refresh the inbox").click()
    expect(page.locator("[data-triage-row]")).to_have_count(2)
