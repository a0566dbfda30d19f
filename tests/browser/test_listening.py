"""Listening in a real browser: the rating prompt after an answer, the report at two widths."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.services import home_page_ensure
from community import roles
from ideas import services
from ideas.listening.models import ListeningRating
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.browser
SHOTS = "test-artifacts/screenshots"


def test_the_author_is_asked_after_an_answer_and_rates(live_server_url, browser_as):
    home_page_ensure()
    idea = make_idea(title="Let me cap battery charge at 80%")
    responder = staff_user(roles.STAFF_RESPONDER, display_name="Sam Patel")
    services.comment_create(
        author=responder,
        idea_id=idea.pk,
        body="An 80% cap is coming to the power settings with the spring firmware.",
        official=True,
    )

    page = browser_as(idea.author)
    page.goto(live_server_url + idea.get_absolute_url())
    prompt = page.get_by_role("region", name="How well did we listen to you on this idea?")
    expect(prompt).to_be_visible()
    prompt.get_by_role("radio", name="8", exact=True).check()
    prompt.get_by_label("Anything you would like to add?").fill("A clear answer, quickly.")
    page.screenshot(path=f"{SHOTS}/listening-rating-prompt.png", full_page=True)
    prompt.get_by_role("button", name="Send my rating").click()

    expect(page.locator(".message--success")).to_contain_text("your rating is saved")
    expect(prompt).to_contain_text("You rated us 8 out of 10")
    rating = ListeningRating.objects.get()
    assert (rating.score, rating.comment, rating.rater) == (
        8,
        "A clear answer, quickly.",
        idea.author,
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_report_reads_well_at_phone_and_desktop_widths(live_server_url, browser, width):
    home_page_ensure()
    pm = staff_user(roles.PRODUCT_MANAGER)
    area = CategoryFactory(name="Laptops")
    now = timezone.now()
    for month in range(6):
        posted = now - timedelta(days=30 * month + 3)
        for n in range(3):
            idea = make_idea(category=area, title=f"Idea {month}-{n} about laptops", now=posted)
            if n < 2:
                services.comment_create(
                    author=pm, idea_id=idea.pk, official=True, near_copy_acknowledged=True,
                    now=posted + timedelta(hours=5 + 30 * n),
                    body=f"Answer {month}-{n}: we looked at this closely, here is where it stands.",
                )  # fmt: skip
            for score in (9, 10, 7, 4):
                ListeningRating.objects.create(
                    idea=idea, rater=UserFactory(), stage="answered", score=score,
                    created_at=posted + timedelta(days=1), rated_at=posted + timedelta(days=1),
                )  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server_url + "/listening/")

    expect(page.get_by_role("heading", level=1)).to_have_text("How well we listen")
    expect(page.locator(".chart svg")).to_have_count(5)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"{SHOTS}/listening-report-{width}.png", full_page=True)
    page.goto(live_server_url + "/roadmap/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"{SHOTS}/roadmap-{width}.png", full_page=True)
    context.close()
