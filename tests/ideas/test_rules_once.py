"""Each rule has one home, and every caller, page and test asks it (issue #11).

These pin behaviour that drifted while a rule was spelled in several places.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import roles
from community.core.exceptions import NotAllowed
from community.models import Notification, Suspension
from community.moderation import services as moderation
from community.notifications.models import NotificationEvent
from ideas import services
from ideas.forms import CommentForm
from ideas.models import Idea
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_comment_edit_link_goes_with_the_edit_window(settings):
    author = UserFactory()
    idea = make_idea()
    comment = services.comment_create(author=author, idea_id=idea.pk, body="Please add this.")
    edit_url = f"/ideas/comments/{comment.pk}/edit/"
    page = signed_in(author).get(idea.get_absolute_url()).content.decode()
    assert edit_url in page

    type(comment).objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES + 1)
    )

    page = signed_in(author).get(idea.get_absolute_url()).content.decode()
    assert edit_url not in page  # the link no longer offers what would answer 403
    assert signed_in(author).get(edit_url).status_code == 403


def test_a_suspended_member_can_no_longer_edit_their_comment():
    author = UserFactory()
    idea = make_idea()
    comment = services.comment_create(author=author, idea_id=idea.pk, body="First version.")
    moderation.member_suspend(
        actor=staff_user(roles.COMMUNITY_MANAGER), member_id=author.pk, reason="Spam."
    )
    author = type(author).objects.get(pk=author.pk)

    with pytest.raises(NotAllowed):
        services.comment_update(editor=author, comment_id=comment.pk, body="Second version.")
    comment.refresh_from_db()
    assert comment.body == "First version."
    assert Suspension.objects.filter(member=author).count() == 1
    page = signed_in(author).get(idea.get_absolute_url()).content.decode()
    assert f"/ideas/comments/{comment.pk}/edit/" not in page


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/\x07evil",
        "javascript:alert(1)",
    ],
)
def test_a_comment_form_refuses_to_send_anyone_off_site(target):
    form = CommentForm({"body": "Hello there", "next": target})
    assert form.is_valid()
    assert form.cleaned_data["next"] == ""


def test_a_comment_form_keeps_a_path_on_this_site():
    form = CommentForm({"body": "Hello there", "next": "/staff/ideas/3/?tab=1"})
    assert form.is_valid()
    assert form.cleaned_data["next"] == "/staff/ideas/3/?tab=1"


def test_customers_lists_leave_out_merged_duplicates_and_count_what_they_show():
    survivor = make_idea(title="Backlit keyboards on every model")
    duplicate = make_idea(title="Backlit keyboard for all laptops")
    services.idea_merge(
        actor=staff_user(roles.PRODUCT_MANAGER),
        duplicate_id=duplicate.pk,
        into_id=survivor.pk,
        message="Same request: merged so its supporters count together.",
    )
    customer = Client().get("/ideas/?sort=new")
    staff = signed_in(staff_user()).get("/ideas/?sort=new")

    assert survivor.title in customer.content.decode()
    assert duplicate.title not in customer.content.decode()
    assert customer.context["page_obj"].paginator.count == 1
    assert duplicate.title in staff.content.decode()  # staff still find everything
    assert staff.context["page_obj"].paginator.count == 2


def _status_change_queries(followers: int) -> int:
    idea = make_idea()
    for member in UserFactory.create_batch(followers):
        services.follow_set(user=member, idea_id=idea.pk, following=True)
    # Both counts from a cold cache (the status labels the live badge shows are cached).
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        services.idea_status_change(
            actor=staff_user(), idea_id=idea.pk, to_status="planned", message="Soon."
        )
    return len(queries.captured_queries)


def test_a_status_change_costs_the_request_the_same_for_2_or_40_followers():
    # The request stores one event and its task; the worker finds the followers.
    assert _status_change_queries(2) == _status_change_queries(40)
    assert NotificationEvent.objects.filter(kind="status_change").count() == 2
    assert not Notification.objects.exists()


def test_the_worker_fans_out_with_one_push_per_batch_after_commit(
    django_capture_on_commit_callbacks, run_tasks
):
    idea = make_idea()
    for member in UserFactory.create_batch(25):
        services.follow_set(user=member, idea_id=idea.pk, following=True)

    staff = staff_user()
    with django_capture_on_commit_callbacks() as request_callbacks:
        services.idea_status_change(
            actor=staff, idea_id=idea.pk, to_status="under_review", message="Looking."
        )
    with django_capture_on_commit_callbacks() as worker_callbacks:
        run_tasks()

    # realtime.api sends to many members' streams from one callback of its own.
    def many(c) -> bool:
        return "_after_commit_many" in c.__qualname__

    assert not [c for c in request_callbacks if many(c)]
    # One push per batch of notifications, not one per follower: the followers
    # who may now rate are told in a batch of their own (the rating ask).
    pushes = [c for c in worker_callbacks if many(c)]
    assert 1 <= len(pushes) <= 2
    assert Notification.objects.filter(idea=idea).count() == 26  # the author follows too


def test_hiding_a_comment_locks_the_idea_before_the_comment():
    idea = make_idea()
    comment = services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Buy pills")

    with CaptureQueriesContext(connection) as queries:
        moderation.comment_hide(
            actor=staff_user(roles.COMMUNITY_MANAGER), comment_id=comment.pk, reason="Spam."
        )

    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    tables = [
        "idea" if f'FROM "{Idea._meta.db_table}"' in sql else "comment"
        for sql in locks
        if f'FROM "{Idea._meta.db_table}"' in sql or f'FROM "{comment._meta.db_table}"' in sql
    ]
    assert tables[:2] == ["idea", "comment"]
