"""The Wagtail pages in a real browser: home, a story and a Storm Session.

Screenshots land in test-artifacts/screenshots/ for a person to look at.
"""

import pytest
from playwright.sync_api import expect

from cms.demo import _cover_image
from cms.models import StoryIdea, StoryPage
from ideas import services
from tests.factories import CategoryFactory, make_idea, publish, staff_user

pytestmark = pytest.mark.browser


@pytest.fixture
def small_community(story_index, make_session):
    staff = staff_user(display_name="Sam Patel")
    laptops = CategoryFactory(name="Laptops", slug="laptops")
    shipped = make_idea(title="USB-C charging on both ends of the cable", category=laptops)
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(actor=staff, idea_id=shipped.pk, to_status=status, message="Go")
    for n, title in enumerate(["Longer battery life in power saver", "Quieter fans on calls"]):
        idea = make_idea(title=title, category=laptops)
        services.comment_create(author=staff, idea_id=idea.pk, body=f"Answer {n}", official=True)
    session = make_session(title="Battery life week", product_area=laptops)
    make_idea(title="Show battery health in the app", category=laptops, storm_session=session)
    story = publish(
        story_index,
        StoryPage(
            title="A charger you can finally leave at home",
            summary="You asked for USB-C on both ends. Here is what changed.",
            hero_image=_cover_image("Charger story", 1),
            body=[
                ("paragraph", "<p>It started with a post in this community.</p>"),
                ("quote", {"quote": "We read every comment.", "attribution": "Jordan Lee"}),
                ("idea", {"idea": shipped, "note": "The idea that started it."}),
            ],
            story_ideas=[StoryIdea(idea=shipped)],
        ),
    )
    return {"story": story, "session": session, "shipped": shipped}


def test_home_story_and_session_pages_look_right(
    small_community, live_server_url, page, screenshot
):
    page.goto(live_server_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your ideas shape what we build next."
    )
    figures = page.get_by_label("Community figures")
    expect(figures).to_contain_text("Ideas submitted")
    # Three of the four ideas answered: two responses, and the shipped idea's status messages.
    expect(figures).to_contain_text("75%")
    expect(page.get_by_role("link", name="A charger you can finally leave at home")).to_be_visible()
    expect(page.get_by_role("link", name="Battery life week")).to_be_visible()
    cover = page.locator(".story-card__image")
    assert cover.evaluate("img => img.complete && img.naturalWidth") > 0
    screenshot("home")

    page.get_by_role("link", name="A charger you can finally leave at home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A charger you can finally leave at home"
    )
    hero = page.locator(".story__hero")
    expect(hero).to_be_visible()
    assert hero.evaluate("img => img.complete && img.naturalWidth") > 0  # the rendition loads
    expect(page.get_by_text("We read every comment.")).to_be_visible()
    expect(page.locator(".story-idea")).to_contain_text("USB-C charging on both ends of the cable")
    screenshot("story")

    page.goto(live_server_url + small_community["session"].url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Battery life week")
    expect(page.get_by_role("link", name="Share an idea in this session")).to_be_visible()
    expect(page.get_by_text("Show battery health in the app")).to_be_visible()
    screenshot("storm-session")

    page.goto(live_server_url + small_community["shipped"].get_absolute_url())
    expect(
        page.get_by_role("link", name="Read the story: A charger you can finally leave at home")
    ).to_be_visible()
