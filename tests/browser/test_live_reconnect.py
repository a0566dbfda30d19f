"""Redis restarts under a watching customer: the page reconnects and catches up."""

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.services import home_page_ensure
from ideas import services
from tests.factories import UserFactory, make_idea, staff_user

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testenv  # noqa: E402

pytestmark = pytest.mark.browser


def test_page_catches_up_on_what_it_missed_while_redis_was_down(live_server_url, browser_as):
    home_page_ensure()
    idea = make_idea(title="Let the keyboard backlight time out")
    responder = staff_user(display_name="Sam Patel")
    page = browser_as(UserFactory())
    page.goto(live_server_url + idea.get_absolute_url())
    expect(page.locator("#live-status")).to_have_text("Live")

    testenv.stop_service("redis")
    try:
        # The write succeeds; its push is lost with Redis, its event is stored.
        services.comment_create(
            author=responder, idea_id=idea.pk, body="Answered while Redis was down.", official=True
        )
        expect(page.locator("#live-status")).to_have_text("Reconnecting…", timeout=20_000)
    finally:
        testenv.start_service("redis")

    expect(page.locator("#live-status")).to_have_text("Live", timeout=40_000)
    expect(page.locator("#official-response")).to_contain_text("Answered while Redis was down.")
    expect(page.locator("[data-comment-count]")).to_have_text("1")
