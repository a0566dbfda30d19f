"""What a viewer may do on an idea page, computed once from the permission rules.

Templates read these flags and never re-derive a rule, so a link is shown
exactly when the action behind it would be allowed (an Edit link disappears
with the edit window, because both ask `can_edit_comment`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from community import permissions
from community.notifications import texts
from ideas import permissions as idea_permissions
from ideas.models import Comment, Idea


@dataclass(frozen=True)
class CommentActions:
    can_edit: bool
    can_remove: bool
    can_flag: bool
    can_reply: bool
    can_moderate: bool
    can_moderator_remove: bool


def comment_actions(viewer, comment: Comment, *, idea: Idea, now: datetime) -> CommentActions:
    visible = not comment.is_removed and not comment.is_hidden
    return CommentActions(
        can_edit=idea_permissions.can_edit_comment(viewer, comment, now),
        can_remove=idea_permissions.can_delete_comment(viewer, comment),
        can_flag=visible and idea_permissions.can_flag(viewer, comment.author_id),
        can_reply=visible
        and comment.parent_id is None
        and idea_permissions.can_reply(viewer, idea),
        can_moderate=not comment.is_removed and permissions.can_moderate(viewer),
        can_moderator_remove=idea_permissions.can_moderator_remove_comment(viewer, comment),
    )


def with_comment_actions(thread: list[Comment], *, viewer, idea: Idea, now: datetime) -> None:
    """Give each comment and reply in the thread its `actions` for this viewer."""
    for comment in thread:
        comment.actions = comment_actions(viewer, comment, idea=idea, now=now)
        for reply in comment.replies.all():
            reply.actions = comment_actions(viewer, reply, idea=idea, now=now)


# What a stored notification may still say about its idea: it keeps the title
# from when it was sent, so once the idea is out of the reader's sight (hidden,
# withdrawn) it says this instead; the same rule as the idea page.
NOTIFICATION_UNAVAILABLE = _("An idea you were told about is no longer available.")


def notification_text(viewer, notification) -> str:
    """The notification's words for `viewer`, in the active language (site and API)."""
    if notification.idea_id is None or idea_permissions.can_view_idea(viewer, notification.idea):
        return texts.shown(notification)
    return str(NOTIFICATION_UNAVAILABLE)
