"""Moderation: members flag, moderators hide, restore, edit and lock, and suspend members.

Every write runs in one transaction, checks the actor's permission before
anything else, locks the rows whose state it checks, and records an audit
entry (who, what, when, before and after) in the same transaction. Search,
realtime and notifications hear of it after commit (ideas.events).

Callers import this package (`from community.moderation import services`); the modules
split the writes by what they act on.
"""

from community.moderation.services.content import (
    comment_hide,
    comment_moderator_edit,
    comment_remove,
    comment_restore,
    idea_hide,
    idea_moderator_edit,
    idea_restore,
    thread_lock,
    thread_unlock,
)
from community.moderation.services.flags import flag_allowed, flag_create, flags_dismiss
from community.moderation.services.members import (
    member_content_hide,
    member_suspend,
    member_suspension_lift,
)
from community.moderation.services.rules import FLAG_TEXT_MAX, REASON_MAX

__all__ = [
    "FLAG_TEXT_MAX",
    "REASON_MAX",
    "comment_hide",
    "comment_moderator_edit",
    "comment_remove",
    "comment_restore",
    "flag_allowed",
    "flag_create",
    "flags_dismiss",
    "idea_hide",
    "idea_moderator_edit",
    "idea_restore",
    "member_content_hide",
    "member_suspend",
    "member_suspension_lift",
    "thread_lock",
    "thread_unlock",
]
