from datetime import timedelta

import pytest
from django.utils import timezone

from community import roles
from community.core.exceptions import InvalidInput, NotAllowed
from ideas import selectors, services
from ideas.exceptions import CommentNotFound
from ideas.models import Follow
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def test_replies_are_one_level_deep():
    idea = make_idea()
    top = services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Yes please")
    reply = services.comment_create(
        author=UserFactory(), idea_id=idea.pk, body="Agreed", parent_id=top.pk
    )

    reply_to_reply = services.comment_create(
        author=UserFactory(), idea_id=idea.pk, body="Me too", parent_id=reply.pk
    )

    assert reply_to_reply.parent_id == top.pk
    idea.refresh_from_db()
    assert idea.comment_count == 3


def test_commenting_follows_the_idea_and_marks_activity():
    idea = make_idea()
    commenter = UserFactory()

    services.comment_create(author=commenter, idea_id=idea.pk, body="Good one")

    idea_after = type(idea).objects.get(pk=idea.pk)
    assert Follow.objects.filter(idea=idea, user=commenter).exists()
    assert idea_after.last_activity_at > idea.last_activity_at


def test_reply_to_a_comment_of_another_idea_is_refused():
    other = services.comment_create(author=UserFactory(), idea_id=make_idea().pk, body="Hi")
    idea = make_idea()

    with pytest.raises(InvalidInput, match="no longer exists"):
        services.comment_create(author=UserFactory(), idea_id=idea.pk, body="x", parent_id=other.pk)


def test_only_staff_post_official_responses_and_the_latest_is_pinned():
    idea = make_idea()
    with pytest.raises(NotAllowed, match="Only staff"):
        services.comment_create(author=UserFactory(), idea_id=idea.pk, body="x", official=True)

    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Jordan Lee")
    services.comment_create(author=manager, idea_id=idea.pk, body="First look", official=True)
    latest = services.comment_create(
        author=manager, idea_id=idea.pk, body="We are planning it", official=True
    )

    detail = selectors.idea_detail(pk=idea.pk, viewer=UserFactory())
    assert detail.official_response == latest
    assert latest.author_role == "Product manager"
    idea.refresh_from_db()
    assert idea.first_staff_response_at is not None


def test_soft_delete_leaves_a_placeholder_and_fixes_the_count():
    idea = make_idea()
    comment = services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Oops")

    services.comment_delete(actor=comment.author, comment_id=comment.pk)

    detail = selectors.idea_detail(pk=idea.pk, viewer=UserFactory())
    assert detail.thread[0].is_removed
    assert detail.idea.comment_count == 0
    with pytest.raises(CommentNotFound):  # already removed: nothing to remove
        services.comment_delete(actor=comment.author, comment_id=comment.pk)
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_members_cannot_remove_or_edit_others_comments():
    comment = services.comment_create(author=UserFactory(), idea_id=make_idea().pk, body="Mine")
    stranger = UserFactory()

    with pytest.raises(NotAllowed):
        services.comment_delete(actor=stranger, comment_id=comment.pk)
    with pytest.raises(NotAllowed):
        services.comment_update(editor=stranger, comment_id=comment.pk, body="Changed")
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_removed


def test_comment_edit_window(settings):
    comment = services.comment_create(author=UserFactory(), idea_id=make_idea().pk, body="Tpyo")

    services.comment_update(editor=comment.author, comment_id=comment.pk, body="Typo")
    later = timezone.now() + timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES + 1)
    with pytest.raises(NotAllowed, match="short while"):
        services.comment_update(editor=comment.author, comment_id=comment.pk, body="x", now=later)

    comment.refresh_from_db()
    assert comment.body == "Typo" and comment.edited_at is not None


def test_the_same_comment_sent_twice_is_posted_once():
    idea = make_idea()
    author = UserFactory()

    first = services.comment_create(author=author, idea_id=idea.pk, body="Me too!")
    second = services.comment_create(author=author, idea_id=idea.pk, body="Me too!")

    assert first.pk == second.pk
    idea.refresh_from_db()
    assert idea.comment_count == 1
