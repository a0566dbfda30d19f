"""What every moderation view shares: who may ask, and finding what they ask about."""

from django.contrib.auth import get_user_model

from community import permissions
from community.core.exceptions import MemberNotFound
from community.core.http import requires
from ideas.exceptions import CommentNotFound, IdeaNotFound
from ideas.models import Comment, Idea

User = get_user_model()


moderator_required = requires(
    permissions.can_moderate, "Only community managers and administrators can moderate content."
)
suspender_required = requires(
    permissions.can_suspend, "Only community managers and administrators can act on members."
)
auditor_required = requires(
    permissions.can_read_audit_log, "Only administrators can read the audit log."
)


def get_idea(pk: int) -> Idea:
    idea = Idea.objects.select_related("author").filter(pk=pk).first()
    if idea is None:
        raise IdeaNotFound()
    return idea


def get_comment(pk: int) -> Comment:
    comment = Comment.objects.select_related("idea", "author").filter(pk=pk).first()
    if comment is None or comment.is_removed:
        raise CommentNotFound()
    return comment


def get_member(pk: int):
    member = User.objects.filter(pk=pk).first()
    if member is None:
        raise MemberNotFound()
    return member
