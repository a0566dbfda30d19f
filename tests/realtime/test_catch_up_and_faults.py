"""The HTTP catch-up is the truth; a Redis outage loses nothing that is stored."""

import sys
from pathlib import Path

import pytest

from community import roles
from community.models import Notification
from community.moderation import services as moderation
from ideas import services
from ideas.models import Idea
from tests.factories import UserFactory, make_idea, staff_user

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testenv  # noqa: E402

pytestmark = pytest.mark.django_db


def test_catch_up_returns_missed_events_in_order_with_current_counts(client):
    idea = make_idea()
    staff = staff_user()
    services.comment_create(author=UserFactory(), idea_id=idea.pk, body="first")
    services.comment_create(author=staff, idea_id=idea.pk, body="answer", official=True)
    services.idea_status_change(actor=staff, idea_id=idea.pk, to_status="planned", message="Yes")

    body = client.get(f"/ideas/{idea.pk}/events/", {"after": 1}).json()

    assert [(e["seq"], e["kind"]) for e in body["events"]] == [(2, "official"), (3, "status")]
    assert body["counts"]["score"] == 1
    assert client.get(f"/ideas/{idea.pk}/events/", {"after": "x"}).status_code == 400


def test_catch_up_of_a_hidden_idea_is_refused_to_customers(client):
    idea = make_idea()
    Idea.objects.filter(pk=idea.pk).update(visibility="hidden")

    assert client.get(f"/ideas/{idea.pk}/events/").status_code == 404
    client.force_login(staff_user())
    assert client.get(f"/ideas/{idea.pk}/events/").status_code == 200


def test_idea_page_renders_the_last_sequence_number(client):
    idea = make_idea()
    services.comment_create(author=UserFactory(), idea_id=idea.pk, body="one")

    page = client.get(idea.get_absolute_url()).content.decode()

    assert 'data-last-seq="1"' in page
    assert f'data-idea-stream="/ws/ideas/{idea.pk}/"' in page


def test_notifications_page_and_mark_as_read(client, run_tasks):
    member = UserFactory()
    idea = make_idea(author=member)
    services.idea_status_change(
        actor=staff_user(), idea_id=idea.pk, to_status="under_review", message="Looking at it"
    )
    run_tasks()  # the worker stores the notifications
    client.force_login(member)

    page = client.get("/notifications/").content.decode()
    assert "is now under review: Looking at it" in page
    assert client.get("/notifications/unread/").json() == {"unread": 1}

    note = Notification.objects.get()
    assert client.get(f"/notifications/{note.pk}/").status_code == 405  # reading is a POST
    assert client.get("/notifications/unread/").json() == {"unread": 1}
    opened = client.post(f"/notifications/{note.pk}/")
    # The author's first answer also asks them to rate it, so the link lands there.
    assert note.url.startswith(idea.get_absolute_url())
    assert opened.status_code == 302 and opened["Location"] == note.url
    assert client.get("/notifications/unread/").json() == {"unread": 0}


def test_reply_notifies_the_parent_comments_author_only(run_tasks):
    parent_author, replier = UserFactory(), UserFactory()
    idea = make_idea()
    parent = services.comment_create(author=parent_author, idea_id=idea.pk, body="Question?")

    services.comment_create(author=replier, idea_id=idea.pk, body="Answer", parent_id=parent.pk)
    services.comment_create(
        author=parent_author, idea_id=idea.pk, body="Thanks", parent_id=parent.pk
    )
    run_tasks()

    notes = Notification.objects.filter(kind="reply")
    assert [(n.user_id, n.actor_id) for n in notes] == [(parent_author.pk, replier.pk)]


@pytest.mark.django_db(transaction=True)
def test_redis_restart_keeps_pages_serving_and_loses_no_stored_notification(
    client, caplog, run_tasks
):
    follower = UserFactory()
    idea = make_idea(author=follower)
    staff = staff_user()
    testenv.stop_service("redis")
    try:
        listing = client.get("/ideas/")
        page = client.get(idea.get_absolute_url())
        services.comment_create(
            author=staff, idea_id=idea.pk, body="Answered while down", official=True
        )
    finally:
        testenv.start_service("redis")
    run_tasks()  # the fan-out queued with the answer runs once Redis is back

    assert listing.status_code == page.status_code == 200
    assert "Realtime broadcast to" in caplog.text
    assert Notification.objects.filter(user=follower, kind="official_response").count() == 1
    client.force_login(follower)
    events = client.get(f"/ideas/{idea.pk}/events/", {"after": 0}).json()["events"]
    assert [e["kind"] for e in events] == ["official"]


def test_removed_and_edited_comments_do_not_live_on_in_the_catch_up(client):
    idea = make_idea()
    staff = staff_user(roles.COMMUNITY_MANAGER)  # moderators remove others' comments
    removed = services.comment_create(author=UserFactory(), idea_id=idea.pk, body="my phone is 555")
    official = services.comment_create(
        author=staff, idea_id=idea.pk, body="Frist answer", official=True
    )
    moderation.comment_remove(actor=staff, comment_id=removed.pk, reason="A phone number")
    services.comment_update(editor=staff, comment_id=official.pk, body="First answer")

    events = client.get(f"/ideas/{idea.pk}/events/", {"after": 0}).json()["events"]
    replayed = str(events)

    assert "555" not in replayed and "Comment removed." in replayed
    assert "Frist" not in replayed and "First answer" in replayed
    kinds = [e["kind"] for e in events]
    assert kinds == ["comment", "official", "comment_removed", "comment_edited"]


def test_no_notifications_about_an_idea_its_followers_can_no_longer_see():
    author = UserFactory()
    idea = make_idea(author=author)
    services.idea_withdraw(author=author, idea_id=idea.pk)

    services.idea_status_change(
        actor=staff_user(), idea_id=idea.pk, to_status="archived", message="Withdrawn by author"
    )

    assert not Notification.objects.exists()
