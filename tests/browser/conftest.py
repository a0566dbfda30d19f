"""A small community with one of every page type, for tours of the whole site.

The layout and accessibility tests visit each page type as a visitor, a member
and a staff member; `site_tour` builds the data once per test and names the
pages each of them can open.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Page

from cms.models import StandardPage, StoryIdea, StoryPage
from community import roles
from community.moderation.services import flag_create
from community.notifications.services import notification_send
from community.notifications.tasks import notification_fan_out
from ideas import services
from ideas.listening.services import rating_set
from search import indexing
from search.client import get_client
from tests.factories import CategoryFactory, UserFactory, make_idea, publish, staff_user

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@dataclass
class Tour:
    member: object
    staff: object
    idea: object
    # (name, path) per audience: "visitor", "member", "staff".
    pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _index_rebuild(attempts: int = 3) -> None:
    """Rebuild the search index; a cold Elasticsearch can take longer than the
    client's short timeout to create its first index (it loads the hunspell
    dictionary), so wait for it and try again."""
    for attempt in range(attempts):
        try:
            indexing.rebuild()
            return
        except Exception:
            if attempt == attempts - 1:
                raise
            get_client().options(request_timeout=60).cluster.health(
                wait_for_status="yellow", timeout="30s"
            )


@pytest.fixture
def site_tour(home, story_index, session_index, make_session) -> Tour:
    # As in the demo: both indexes in the main menu, guideline pages in the footer.
    Page.objects.filter(pk__in=[story_index.pk, session_index.pk]).update(show_in_menus=True)
    for title in ["Community guidelines", "Frequently asked questions", "About this community"]:
        publish(home, StandardPage(title=title, intro="How it works.", show_in_menus=False))
    staff = staff_user(roles.ADMINISTRATOR, display_name="Sam Patel")
    member = UserFactory(display_name="Alex Rivera", username="alex")
    laptops = CategoryFactory(name="Laptops", slug="laptops")
    shipped = make_idea(title="USB-C charging on both ends of the cable", category=laptops)
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(actor=staff, idea_id=shipped.pk, to_status=status, message="Go")
    idea = make_idea(
        author=member,
        title="Longer battery life in power saver mode on every laptop we sell",
        body="When I travel the battery runs out by lunch. A stricter power saver "
        "would help.\n\n- dim the screen sooner\n- slow the fans",
        category=laptops,
        tags=["battery", "power"],
    )
    other = UserFactory(display_name="Jordan Lee")
    services.vote_cast(voter=other, idea_id=idea.pk, value=1)
    first = services.comment_create(author=other, idea_id=idea.pk, body="Yes, please.")
    services.comment_create(author=member, idea_id=idea.pk, body="Thanks!", parent_id=first.pk)
    services.comment_create(
        author=staff, idea_id=idea.pk, body="We are testing this now.", official=True
    )
    rating_set(rater=member, idea_id=idea.pk, stage="answered", score=9, comment="Fast answer.")
    make_idea(title="Quieter fans on video calls", category=laptops)
    flagged = make_idea(title="Cheap chargers at my shop", category=laptops)
    flag_create(reporter=member, idea_id=flagged.pk, reason="spam", text="An advert.")
    event = notification_send(
        user_ids=[member.pk],
        idea=idea,
        actor=staff,
        kind="official",
        message=[["Sam Patel answered your idea.", {}]],
        url=idea.get_absolute_url(),
    )
    notification_fan_out.call(event_id=event.pk)  # as the worker would
    session = make_session(title="Battery life week", product_area=laptops)
    make_idea(title="Show battery health in the app", category=laptops, storm_session=session)
    story = publish(
        story_index,
        StoryPage(
            title="A charger you can finally leave at home",
            summary="You asked for USB-C on both ends. Here is what changed.",
            body=[
                ("paragraph", "<p>It started with a post in this community.</p>"),
                ("quote", {"quote": "We read every comment.", "attribution": "Jordan Lee"}),
                ("idea", {"idea": shipped, "note": "The idea that started it."}),
            ],
            story_ideas=[StoryIdea(idea=shipped)],
        ),
    )
    _index_rebuild()  # search results come from Elasticsearch, as in production
    public = [
        ("home", "/"),
        ("idea-list", "/ideas/"),
        ("idea", idea.get_absolute_url()),
        ("shipped", "/ideas/shipped/"),
        ("search", "/search/?q=battery"),
        ("member-profile", f"/members/{member.username}/"),
        ("story", story.url),
        ("storm-session", session.url),
    ]
    tour = Tour(member=member, staff=staff, idea=idea)
    tour.pages["visitor"] = public + [
        ("sign-in", "/accounts/login/"),
        ("sign-up", "/accounts/signup/"),
    ]
    tour.pages["member"] = public + [
        ("new-idea", "/ideas/new/"),
        ("notifications", "/notifications/"),
        ("profile-edit", "/account/profile/"),
        ("my-activity", "/account/activity/"),
        ("delete-account", "/account/delete/"),
        ("flag-form", f"/ideas/{flagged.pk}/flag/"),
    ]
    tour.pages["staff"] = [
        ("staff-idea", idea.get_absolute_url()),
        ("staff-inbox", "/staff/"),
        ("triage", f"/staff/ideas/{idea.pk}/"),
        ("overdue", "/staff/overdue/"),
        ("figures", "/staff/figures/"),
        ("moderation-queue", "/staff/moderation/"),
        ("moderation-member", f"/staff/moderation/members/{member.pk}/"),
        ("audit-log", "/staff/audit/"),
        ("staff-delete-account", "/account/delete/"),
    ]
    yield tour
    get_client().indices.delete(index=f"{indexing.alias_name()}_*", ignore_unavailable=True)


@pytest.fixture
def open_context(browser, live_server_url):
    """A browser context at a given viewport, signed in as `user` (or not)."""
    contexts = []

    def open_(*, width: int, height: int = 900, user=None):
        # Axe is injected as an inline script: bypass the site's CSP for it.
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server_url,
                    }
                ]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_
    for context in contexts:
        context.close()
