"""Pages work under the Content-Security-Policy: no script is refused, and the JS runs."""

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from community import roles
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser


def csp_refusals(page) -> list[str]:
    refusals = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refusals


def test_the_idea_page_votes_and_confirms_under_the_policy(live_server_url, browser_as):
    home_page_ensure()
    author = UserFactory()
    idea = make_idea(author=author, title="Quieter fans under light load")
    page = browser_as(author)
    refusals = csp_refusals(page)

    page.goto(live_server_url + idea.get_absolute_url())
    expect(page.locator("#live-status")).to_have_text("Live")  # live.js ran
    page.once("dialog", lambda dialog: dialog.dismiss())  # data-confirm asks first
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(idea.title)  # still there

    assert refusals == []


def test_the_wagtail_editor_works_under_the_policy(live_server_url, browser_as):
    home = home_page_ensure()
    page = browser_as(staff_user(roles.ADMINISTRATOR, is_superuser=True))
    refusals = csp_refusals(page)

    page.goto(live_server_url + "/admin/")
    expect(page.locator("body")).to_contain_text("Pages")
    page.goto(live_server_url + f"/admin/pages/{home.pk}/edit/")
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()

    assert refusals == []
