"""Hidden content stays hidden everywhere it used to leak (issue #13, item 5).

The catch-up, the flag form, a duplicate's merge notice, Wagtail stories under
view restrictions (lists, feeds, the idea page, notifications) and old
notifications about an idea the reader can no longer see.
"""

import json

import pytest
from wagtail.models import PageViewRestriction

from cms.models import StoryIdea, StoryPage
from cms.services import story_followers_notify
from community import roles
from community.models import Notification
from community.moderation import services as moderation
from ideas import services
from ideas.models import Follow
from realtime.api import idea_events_after
from tests.community.moderation.helpers import comment_on, signed_in
from tests.factories import UserFactory, make_idea, publish, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return staff_user(roles.COMMUNITY_MANAGER, display_name="Maria Gomez")


def replay(idea) -> tuple[str, str]:
    """What a page replaying every stored event from the start ends with:
    everything the events carry (as text), and the pinned block they leave."""
    events = idea_events_after(idea_id=idea.pk, after=0)
    pinned = ""
    for event in events:
        if isinstance(event["data"].get("pinned_html"), str):
            pinned = event["data"]["pinned_html"]
    return json.dumps(events), pinned


# --- The catch-up and the pinned block -------------------------------------------------


def test_a_hidden_official_response_edited_by_a_moderator_stays_out_of_the_catch_up(
    client, moderator
):
    idea = make_idea()
    responder = staff_user()
    response = services.comment_create(
        author=responder, idea_id=idea.pk, body="Call Sam on 555 0100.", official=True
    )
    moderation.comment_hide(actor=moderator, comment_id=response.pk, reason="Personal details")
    moderation.comment_moderator_edit(
        actor=moderator, comment_id=response.pk, body="Call Sam on [removed].", reason="Details"
    )

    body = client.get(f"/ideas/{idea.pk}/events/", {"after": 0}).content.decode()
    everything, pinned = replay(idea)

    assert "555 0100" not in body and "[removed]" not in body
    assert "555 0100" not in everything and "[removed]" not in everything
    assert pinned == ""
    assert [e["kind"] for e in idea_events_after(idea_id=idea.pk, after=0)][0] == "comment"


def test_hiding_the_pinned_response_pins_the_earlier_one_for_open_pages(moderator):
    idea = make_idea()
    responder = staff_user()
    services.comment_create(
        author=responder, idea_id=idea.pk, body="We are looking at it.", official=True
    )
    later = services.comment_create(
        author=responder, idea_id=idea.pk, body="Shipping next week, promise!", official=True
    )

    moderation.comment_hide(actor=moderator, comment_id=later.pk, reason="Not true")

    last = idea_events_after(idea_id=idea.pk, after=0)[-1]
    assert last["kind"] == "comment_hidden"
    assert "We are looking at it." in last["data"]["pinned_html"]
    everything, pinned = replay(idea)
    assert "Shipping next week" not in everything
    assert "We are looking at it." in pinned

    # Restored, it is pinned again, live and in the catch-up.
    moderation.comment_restore(actor=moderator, comment_id=later.pk)
    _, pinned = replay(idea)
    assert "Shipping next week" in pinned


def test_an_edit_is_pushed_live_and_no_stored_event_keeps_the_old_text(moderator):
    idea = make_idea()
    responder = staff_user()
    first = services.comment_create(
        author=responder, idea_id=idea.pk, body="Email me at sam@example.org", official=True
    )
    later = services.comment_create(
        author=responder, idea_id=idea.pk, body="A newer answer.", official=True
    )
    moderation.comment_hide(actor=moderator, comment_id=later.pk, reason="Wrong")  # pins `first`

    moderation.comment_moderator_edit(
        actor=moderator, comment_id=first.pk, body="Email me at [removed]", reason="Address"
    )

    events = idea_events_after(idea_id=idea.pk, after=0)
    assert events[-1]["kind"] == "comment_edited"
    assert "Email me at [removed]" in events[-1]["html"]
    everything, pinned = replay(idea)
    assert "sam@example.org" not in everything
    assert "Email me at [removed]" in pinned


def test_a_plain_comment_edit_is_pushed_live():
    idea = make_idea()
    comment = comment_on(idea, body="Frist!")
    services.comment_update(editor=comment.author, comment_id=comment.pk, body="First!")

    events = idea_events_after(idea_id=idea.pk, after=0)
    assert [e["kind"] for e in events] == ["comment", "comment_edited"]
    assert "First!" in events[-1]["html"] and "Frist" not in json.dumps(events)


# --- The flag form ----------------------------------------------------------------------


def test_the_flag_form_never_quotes_a_hidden_comment(moderator):
    idea = make_idea()
    comment = comment_on(idea, body="Something rude about another member")
    moderation.comment_hide(actor=moderator, comment_id=comment.pk, reason="Rude")
    member = signed_in(UserFactory())

    for response in (
        member.get(f"/ideas/comments/{comment.pk}/flag/"),
        member.post(f"/ideas/comments/{comment.pk}/flag/", {"reason": "bogus"}),
    ):
        assert response.status_code in (400, 409)
        assert "Something rude" not in response.content.decode()
        assert "already hid this comment" in response.content.decode()


# --- A merged duplicate's survivor ------------------------------------------------------


def test_a_duplicate_does_not_name_its_hidden_survivor(
    client, moderator, django_capture_on_commit_callbacks
):
    survivor = make_idea(title="The survivor that was hidden later")
    duplicate = make_idea(title="A duplicate of the survivor idea")
    services.idea_merge(
        actor=staff_user(roles.PRODUCT_MANAGER),
        duplicate_id=duplicate.pk,
        into_id=survivor.pk,
        message="Same idea as this one.",
    )
    page = client.get(duplicate.get_absolute_url(), follow=True).content.decode()
    assert "The survivor that was hidden later" in page

    # Committed, as a moderator's request is: the cached copy of the page is dropped.
    with django_capture_on_commit_callbacks(execute=True):
        moderation.idea_hide(actor=moderator, idea_id=survivor.pk, reason="Spam")

    page = client.get(duplicate.get_absolute_url(), follow=True).content.decode()
    assert "The survivor that was hidden later" not in page
    assert survivor.get_absolute_url() not in page
    assert "merged into another idea, which is no longer shown" in page
    staff_page = signed_in(moderator).get(duplicate.get_absolute_url(), follow=True)
    assert "The survivor that was hidden later" in staff_page.content.decode()


# --- Stories under view restrictions ---------------------------------------------------


def shipped(**kwargs):
    idea = make_idea(**kwargs)
    staff = staff_user()
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(actor=staff, idea_id=idea.pk, to_status=status, message="Go")
    idea.refresh_from_db()
    return idea


def restricted_story(story_index, idea, *, kind, title):
    page = StoryPage(
        title=title,
        summary=f"Summary of {title}.",
        body=[("paragraph", "<p>Secret.</p>")],
        story_ideas=[StoryIdea(idea=idea)],
    )
    story_index.add_child(instance=page)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="hunter22"
    )
    page.save_revision().publish()  # notifies after commit: not in this test transaction
    page.refresh_from_db()
    return page, restriction


@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_restricted_stories_are_listed_nowhere_they_may_not_be_read(
    client, home, story_index, kind
):
    idea = shipped(title="Quieter fans under load please")
    page, _ = restricted_story(story_index, idea, kind=kind, title="Embargoed launch story")
    publish(
        story_index,
        StoryPage(title="An open story", summary="Open summary.", body=[], story_ideas=[]),
    )

    pages = {
        "home": client.get(home.url),
        "index": client.get(story_index.url),
        "rss": client.get("/feeds/stories/rss/"),
        "atom": client.get("/feeds/stories/atom/"),
        "idea": client.get(idea.get_absolute_url()),
    }
    for name, response in pages.items():
        text = response.content.decode()
        assert response.status_code == 200, name
        assert "Embargoed launch story" not in text, name
        assert "Summary of Embargoed launch story" not in text, name
    assert "An open story" in pages["index"].content.decode()

    # A login-only story is for members; a password one for nobody's list.
    member = signed_in(UserFactory())
    listed = "Embargoed launch story" in member.get(story_index.url).content.decode()
    linked = "Embargoed launch story" in member.get(idea.get_absolute_url()).content.decode()
    assert listed is linked is (kind == PageViewRestriction.LOGIN)


def test_story_notifications_respect_view_restrictions(story_index, run_tasks):
    idea = shipped(title="Quieter fans under load please")
    follower = UserFactory()
    Follow.objects.get_or_create(idea=idea, user=follower)
    run_tasks()
    Notification.objects.all().delete()

    secret, _ = restricted_story(
        story_index, idea, kind=PageViewRestriction.PASSWORD, title="Password story"
    )
    assert story_followers_notify(story_id=secret.pk) == 0
    run_tasks()
    assert not Notification.objects.filter(kind="story").exists()

    members_only, _ = restricted_story(
        story_index, idea, kind=PageViewRestriction.LOGIN, title="Members story"
    )
    assert story_followers_notify(story_id=members_only.pk) >= 1
    run_tasks()
    assert Notification.objects.filter(kind="story", user=follower).exists()


# --- Old notifications -----------------------------------------------------------------


def test_old_notifications_about_a_hidden_idea_show_a_neutral_text(moderator, run_tasks):
    follower = UserFactory()
    idea = make_idea(title="Secret product codename Falcon")
    Follow.objects.get_or_create(idea=idea, user=follower)
    services.idea_status_change(
        actor=staff_user(), idea_id=idea.pk, to_status="under_review", message="Looking"
    )
    run_tasks()
    page = signed_in(follower).get("/notifications/").content.decode()
    assert "Secret product codename Falcon" in page

    moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Leaked codename")

    page = signed_in(follower).get("/notifications/").content.decode()
    assert "Secret product codename Falcon" not in page
    assert "no longer available" in page
    # Its author still sees it (and the reason), as on the idea page.
    own = signed_in(idea.author).get("/notifications/").content.decode()
    assert "Secret product codename Falcon" in own
