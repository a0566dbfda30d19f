"""Flagging (members) and the moderation area (community managers, administrators).

Thin views: each checks who is asking, parses a form and calls one service or
selector. The services check permissions again, so a URL called directly by
someone without the role changes nothing.
"""

from community.moderation.views.content import (
    comment_edit,
    comment_flags_dismiss,
    comment_hide,
    comment_remove,
    comment_restore,
    idea_edit,
    idea_flags_dismiss,
    idea_hide,
    idea_restore,
    queue,
    thread_lock,
    thread_unlock,
)
from community.moderation.views.flags import flag_comment, flag_idea
from community.moderation.views.members import (
    audit_log,
    member,
    member_content_hide,
    member_lift,
    member_suspend,
)
from community.moderation.views.rings import ring_review

__all__ = [
    "audit_log",
    "comment_edit",
    "comment_flags_dismiss",
    "comment_hide",
    "comment_remove",
    "comment_restore",
    "flag_comment",
    "flag_idea",
    "idea_edit",
    "idea_flags_dismiss",
    "idea_hide",
    "idea_restore",
    "member",
    "member_content_hide",
    "member_lift",
    "member_suspend",
    "queue",
    "ring_review",
    "thread_lock",
    "thread_unlock",
]
