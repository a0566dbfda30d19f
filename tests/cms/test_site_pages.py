import xml.etree.ElementTree as ET

import pytest

from cms.models import StandardPage
from ideas import services
from ideas.models import Idea
from tests.cms.test_stories import shipped_idea, story
from tests.factories import UserFactory, make_idea, publish, staff_user

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_home_page_shows_figures_trending_stories_and_open_sessions(
    client, home, story_index, make_session
):
    shipped = shipped_idea(title="Shipped idea for the home page")
    answered = make_idea(title="Answered idea on the home page")
    services.comment_create(author=staff_user(), idea_id=answered.pk, body="Yes", official=True)
    make_idea(title="Unanswered idea on the home page")
    story(story_index, shipped, title="A story for the home page")
    make_session(title="Open session for the home page")

    page = client.get("/")
    html = page.content.decode()

    # The shipped idea's public status messages answered it too.
    assert page.context["figures"] == {
        "submitted": 3, "answered": 2, "shipped": 1, "answered_share": 67,
    }  # fmt: skip
    assert "67%" in html
    assert "A story for the home page" in html
    assert "Open session for the home page" in html
    assert "Unanswered idea on the home page" in html


def test_standard_pages_carry_seo_fields_and_menus(client, home):
    guidelines = publish(
        home,
        StandardPage(
            title="Community guidelines",
            seo_title="How we talk here",
            search_description="Be kind, be specific.",
            intro="How we keep this a good place.",
            body=[("heading", "Be kind"), ("paragraph", "<p>Criticise ideas, not people.</p>")],
            show_in_menus=True,
        ),
    )
    publish(home, StandardPage(title="Hidden from menus", show_in_menus=False))

    html = client.get(guidelines.url).content.decode()
    home_html = client.get("/").content.decode()
    header = home_html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    footer = home_html.split('<footer class="site-footer">', 1)[1]

    assert "<title>How we talk here · Idealoop</title>" in html
    assert '<meta name="description" content="Be kind, be specific.">' in html
    assert "Criticise ideas, not people." in html
    assert f'<a href="{guidelines.url}"' in header
    assert "Hidden from menus" not in header
    assert "Community guidelines" in footer and "Hidden from menus" in footer


def test_idea_feeds_are_valid_and_leave_out_hidden_ideas(client):
    make_idea(title="A visible idea for the feed")
    hidden = make_idea(title="A hidden idea not for the feed")
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden")

    atom = ET.fromstring(client.get("/feeds/ideas/atom/").content)
    rss = ET.fromstring(client.get("/feeds/ideas/rss/").content)

    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == [
        "A visible idea for the feed"
    ]
    assert [i.findtext("title") for i in rss.iter("item")] == ["A visible idea for the feed"]


def test_story_feeds_are_valid(client, story_index):
    story(story_index, shipped_idea(), title="Story in the feed")

    atom = ET.fromstring(client.get("/feeds/stories/atom/").content)
    rss = ET.fromstring(client.get("/feeds/stories/rss/").content)

    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == ["Story in the feed"]
    assert rss.find("channel/item/link").text.endswith("/ideas-in-action/story-in-the-feed/")


def test_sitemap_lists_pages_and_published_ideas(client, story_index):
    idea = make_idea(title="An idea in the sitemap")
    withdrawn = make_idea(title="A withdrawn idea not in the sitemap", author=UserFactory())
    services.idea_withdraw(author=withdrawn.author, idea_id=withdrawn.pk)

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]

    assert any(loc.endswith(idea.get_absolute_url()) for loc in locations)
    assert not any(f"/ideas/{withdrawn.pk}-" in loc for loc in locations)
    assert any(loc.endswith("/ideas-in-action/") for loc in locations)
