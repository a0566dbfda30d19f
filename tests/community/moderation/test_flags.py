"""Flags: members report ideas and comments once each; moderators dismiss them."""

import pytest

from community.audit import Action
from community.core.exceptions import InvalidInput, NotAllowed
from community.moderation import services as moderation
from community.moderation.models import Flag
from ideas.exceptions import CommentNotFound, IdeaNotFound
from tests.community.moderation.helpers import comment_on, entries
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


# --- Flags ----------------------------------------------------------------------------


def test_a_member_flags_an_idea_and_a_comment_once_each():
    idea = make_idea()
    comment = comment_on(idea)
    reporter = UserFactory()

    moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="spam", text="An advert")
    moderation.flag_create(
        reporter=reporter, idea_id=idea.pk, comment_id=comment.pk, reason="abuse"
    )

    with pytest.raises(InvalidInput, match="You already flagged this idea"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="other")
    with pytest.raises(InvalidInput, match="You already flagged this comment"):
        moderation.flag_create(
            reporter=reporter, idea_id=idea.pk, comment_id=comment.pk, reason="spam"
        )
    flags = list(Flag.objects.order_by("id").values_list("comment_id", "reason", "text"))
    assert flags == [(None, "spam", "An advert"), (comment.pk, "abuse", "")]


def test_bad_flags_are_refused_and_nothing_is_stored():
    idea = make_idea()
    other_idea_comment = comment_on(make_idea())
    reporter = UserFactory()

    with pytest.raises(InvalidInput, match="Choose why"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="")
    with pytest.raises(InvalidInput, match="Choose why"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="because")
    with pytest.raises(IdeaNotFound):
        moderation.flag_create(reporter=reporter, idea_id=999_999, reason="spam")
    with pytest.raises(CommentNotFound):
        moderation.flag_create(
            reporter=reporter, idea_id=idea.pk, comment_id=other_idea_comment.pk, reason="spam"
        )
    with pytest.raises(InvalidInput, match="at most 500"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="spam", text="x" * 501)
    with pytest.raises(NotAllowed, match="your own idea"):
        moderation.flag_create(reporter=idea.author, idea_id=idea.pk, reason="spam")
    with pytest.raises(NotAllowed, match="confirm your email"):
        moderation.flag_create(reporter=UserFactory(verified=False), idea_id=idea.pk, reason="spam")
    assert not Flag.objects.exists()


# --- Dismissing flags --------------------------------------------------------------------------


def test_dismissing_flags_closes_them_without_touching_the_item(moderator):
    idea = make_idea()
    comment = comment_on(idea)
    flag = moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="off_topic")
    comment_flag = moderation.flag_create(
        reporter=UserFactory(), idea_id=idea.pk, comment_id=comment.pk, reason="abuse"
    )

    ids = moderation.flags_dismiss(actor=moderator, idea_id=idea.pk, reason="It is on topic")

    assert ids == [flag.pk]
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by) == ("dismissed", moderator)
    assert Flag.objects.get(pk=comment_flag.pk).resolved_at is None
    idea.refresh_from_db()
    assert idea.visibility == "published"
    [entry] = entries(Action.FLAGS_DISMISS)
    assert entry.before == {"open_flags": [flag.pk]} and entry.reason == "It is on topic"
    with pytest.raises(InvalidInput, match="no open flags"):
        moderation.flags_dismiss(actor=moderator, idea_id=idea.pk, reason="Again")
    with pytest.raises(CommentNotFound):
        moderation.flags_dismiss(
            actor=moderator, idea_id=make_idea().pk, comment_id=comment.pk, reason="Wrong idea"
        )
