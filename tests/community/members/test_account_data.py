"""A member's own activity, their data export and deleting their account."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from voting.models import Vote

from community import roles
from community.api.services import token_create
from community.core.exceptions import InvalidInput
from community.members.services import member_account_delete
from community.models import Notification, User
from community.moderation.models import Flag
from community.moderation.services import flag_create
from community.notifications.services import email_preferences_set, notification_send
from community.notifications.tasks import notification_fan_out
from ideas import services
from ideas.listening.services import rating_set
from ideas.models import Comment, Follow, Idea
from realtime.models import StreamEvent
from search import indexing
from search.client import get_client
from search.models import PendingIndexUpdate
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    """Alex shared an idea, voted on two others, commented, flagged and was told."""
    old = timezone.now() - timedelta(days=30)  # established: the hourly limits are wide
    alex = UserFactory(username="alex", display_name="Alex Rivera", date_joined=old)
    others = UserFactory.create_batch(3, date_joined=old)
    mine = make_idea(author=alex, title="Longer battery life in power saver")
    liked = make_idea(author=others[0], title="Quieter fans on calls")
    disliked = make_idea(author=others[1], title="Remove the headphone jack")
    for member in others:
        services.vote_cast(voter=member, idea_id=mine.pk, value=1)
    services.vote_cast(voter=others[2], idea_id=liked.pk, value=1)
    services.vote_cast(voter=alex, idea_id=liked.pk, value=1)
    services.vote_cast(voter=alex, idea_id=disliked.pk, value=-1)
    comment = services.comment_create(author=alex, idea_id=liked.pk, body="Yes, Alex wants it.")
    services.comment_create(author=others[0], idea_id=mine.pk, body="Good one.")
    flag_create(reporter=alex, idea_id=disliked.pk, reason="spam", text="Looks like an advert.")
    event = notification_send(
        user_ids=[alex.pk],
        idea=mine,
        actor=others[0],
        kind="reply",
        message=[["Someone answered.", {}]],
        url=mine.get_absolute_url(),
    )
    notification_fan_out.call(event_id=event.pk)  # as the worker would
    return {
        "alex": alex,
        "mine": mine,
        "liked": liked,
        "disliked": disliked,
        "comment": comment,
        "others": others,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counters_match_rows():
    idea_type = ContentType.objects.get_for_model(Idea)
    for idea in Idea.objects.all():
        votes = Vote.objects.filter(content_type=idea_type, object_id=str(idea.pk))
        promotes = votes.filter(vote=1).count()
        demotes = votes.filter(vote=-1).count()
        assert (idea.promotes, idea.demotes, idea.score) == (
            promotes,
            demotes,
            promotes - demotes,
        ), idea.title
        visible = Comment.objects.filter(idea=idea, deleted_at__isnull=True, hidden_at__isnull=True)
        assert idea.comment_count == visible.count(), idea.title
    assert services.idea_counters_repair(fix=False) == []


def test_my_activity_lists_shared_voted_followed_and_comments(community):
    client = signed_in(community["alex"])
    response = client.get("/account/activity/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Longer battery life in power saver", "Quieter fans on calls"]:
        assert title in html
    assert "You promote it" in html and "You demote it" in html
    assert "Yes, Alex wants it." in html
    assert 'class="badge badge--new"' in html  # each idea shows its status

    liked = community["liked"]
    response = client.post(f"/account/activity/unfollow/{liked.pk}/")
    assert response.status_code == 302 and response["Location"] == "/account/activity/"
    assert not Follow.objects.filter(user=community["alex"], idea=liked).exists()


def test_activity_and_data_need_a_signed_in_member(client):
    for path in ["/account/activity/", "/account/data.json", "/account/delete/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_my_data_has_everything_tied_to_the_account(community):
    alex = community["alex"]
    response = signed_in(alex).get("/account/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="idealoop-data-alex.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == alex.email
    assert data["account"]["public_name"] == "Alex Rivera"
    assert data["email_addresses"] == [{"email": alex.email, "verified": True, "primary": True}]
    assert [i["title"] for i in data["ideas"]] == ["Longer battery life in power saver"]
    assert [c["body"] for c in data["comments"]] == ["Yes, Alex wants it."]
    assert {(v["idea_id"], v["vote"]) for v in data["votes"]} == {
        (community["mine"].pk, 1),  # the author's own promote
        (community["liked"].pk, 1),
        (community["disliked"].pk, -1),
    }
    assert {f["idea_id"] for f in data["follows"]} == {
        community["mine"].pk,
        community["liked"].pk,
        community["disliked"].pk,
    }
    assert [n["text"] for n in data["notifications"]] == ["Someone answered."]
    assert [(f["reason"], f["text"]) for f in data["flags"]] == [("spam", "Looks like an advert.")]
    # Nobody else's words.
    assert "Good one." not in response.content.decode()


def test_delete_keeping_content_shows_former_member_and_repairs_counters(community):
    alex = community["alex"]
    client = signed_in(alex)
    other_session = signed_in(alex)  # a second device
    token_create(user=alex, name="My script", scope="read")
    assert client.get("/account/delete/").status_code == 200

    response = client.post("/account/delete/", {"content": "keep", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"

    alex.refresh_from_db()
    assert alex.public_name == "Former member"
    assert (alex.email, alex.bio, alex.is_active, alex.has_usable_password()) == (
        "",
        "",
        False,
        False,
    )
    assert not alex.emailaddress_set.exists()
    idea_type = ContentType.objects.get_for_model(Idea)
    assert not Vote.objects.filter(user=alex, content_type=idea_type).exists()
    assert not Follow.objects.filter(user=alex).exists()
    assert not Notification.objects.filter(user=alex).exists()
    assert not Flag.objects.filter(reporter=alex).exists()
    counters_match_rows()
    liked = Idea.objects.get(pk=community["liked"].pk)
    assert (liked.promotes, liked.score) == (2, 2)  # its author and one other member
    disliked = Idea.objects.get(pk=community["disliked"].pk)
    assert (disliked.demotes, disliked.score) == (0, 1)

    # The content stays, under the new name; the old name is nowhere in the pages.
    page = Client().get(community["liked"].get_absolute_url()).content.decode()
    assert "Yes, Alex wants it." in page and "Former member" in page
    assert "Alex Rivera" not in page
    mine = Client().get(community["mine"].get_absolute_url()).content.decode()
    assert "Former member" in mine and "Alex Rivera" not in mine
    # Stored live events (the catch-up) no longer carry the old name.
    assert not StreamEvent.objects.filter(html__contains="Alex Rivera").exists()
    assert Client().get("/members/alex/").status_code == 404

    # API tokens are revoked.
    assert not alex.personal_api_tokens.filter(revoked_at__isnull=True).exists()
    assert alex.personal_api_tokens.count() == 1
    # Every session is over: this one was ended, the other device's is refused.
    assert not Session.objects.filter(session_key=other_session.session.session_key).exists()
    assert other_session.get("/account/activity/").status_code == 302
    assert not Client().login(username="alex", password="pass-word-123")


def test_delete_removing_content_takes_ideas_and_comments_down(community):
    alex = community["alex"]
    response = signed_in(alex).post("/account/delete/", {"content": "remove", "confirm": "on"})
    assert response.status_code == 302
    mine = Idea.objects.get(pk=community["mine"].pk)
    assert mine.visibility == "withdrawn" and mine.body == ""
    comment = Comment.objects.get(pk=community["comment"].pk)
    assert comment.deleted_at is not None and comment.body == ""
    counters_match_rows()
    assert Client().get(mine.get_absolute_url()).status_code == 404
    page = Client().get(community["liked"].get_absolute_url()).content.decode()
    assert "Yes, Alex wants it." not in page
    assert not StreamEvent.objects.filter(html__contains="Alex wants it").exists()


def test_deletion_needs_confirmation_and_a_staff_account_is_warned(community):
    alex = community["alex"]
    response = signed_in(alex).post("/account/delete/", {"content": "keep"})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    alex.refresh_from_db()
    assert alex.is_active

    staff = staff_user(roles.STAFF_RESPONDER, display_name="Sam Patel")
    services.comment_create(
        author=staff, idea_id=community["mine"].pk, body="We are on it.", official=True
    )
    client = signed_in(staff)
    page = client.get("/account/delete/").content.decode()
    assert "This is a staff account." in page
    response = client.post("/account/delete/", {"content": "remove", "confirm": "on"})
    assert response.status_code == 400
    assert "Confirm that your staff role ends" in response.content.decode()
    response = client.post(
        "/account/delete/", {"content": "remove", "confirm": "on", "staff_confirmed": "on"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active and not staff.groups.exists()
    # The company's answer stays, under the former member's name.
    official = Comment.objects.get(author=staff, is_official=True)
    assert official.deleted_at is None and official.body == "We are on it."


def test_a_deleted_account_cannot_be_deleted_twice(community):
    alex = community["alex"]
    member_account_delete(member=alex, remove_content=False)
    with pytest.raises(InvalidInput):
        member_account_delete(member=User.objects.get(pk=alex.pk), remove_content=False)


def test_the_member_name_leaves_the_search_documents(community):
    indexing.rebuild()
    try:
        client = get_client()
        alias = indexing.alias_name()
        mine = community["mine"]
        assert client.get(index=alias, id=mine.pk)["_source"]["author_name"] == "Alex Rivera"

        member_account_delete(member=community["alex"], remove_content=False)
        # Re-indexing is queued in the same transaction (search.api.ideas_changed)…
        assert PendingIndexUpdate.objects.filter(idea_id=mine.pk).exists()
        # …and once the queue is synced, the documents carry the new name.
        indexing.sync_pending()
        assert client.get(index=alias, id=mine.pk)["_source"]["author_name"] == "Former member"
        client.indices.refresh(index=alias)
        hits = client.search(index=alias, query={"match": {"author_name": "Rivera"}})
        assert hits["hits"]["total"]["value"] == 0
    finally:
        get_client().indices.delete(index=f"{indexing.alias_name()}_*", ignore_unavailable=True)


def test_my_activity_and_my_data_show_my_listening_ratings(community):
    alex, mine = community["alex"], community["mine"]
    services.comment_create(
        author=staff_user(roles.PRODUCT_MANAGER), idea_id=mine.pk, body="Looking at it.",
        official=True,
    )  # fmt: skip
    rating_set(rater=alex, idea_id=mine.pk, stage="answered", score=8, comment="Quick and kind.")
    client = signed_in(alex)

    html = client.get("/account/activity/").content.decode()
    ratings = html[html.index('id="ratings-heading"') :]
    assert "8 out of 10" in ratings and "Quick and kind." in ratings
    assert f'href="{mine.get_absolute_url()}#listening"' in ratings  # where to change it

    data = json.loads(client.get("/account/data.json").content)
    assert [
        (r["idea_id"], r["stage"], r["score"], r["comment"]) for r in data["listening_ratings"]
    ] == [(mine.pk, "answered", 8, "Quick and kind.")]


def test_my_data_has_my_email_choices():
    member = UserFactory()
    email_preferences_set(user=member, choices={"status_change": "weekly", "reply": "off"})

    data = json.loads(signed_in(member).get("/account/data.json").content)

    assert data["email_preferences"] == {"status_change": "weekly", "reply": "off"}
