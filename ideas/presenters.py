"""What a viewer may do on an idea page, computed once from the permission rules.

Templates read these flags and never re-derive a rule, so a link is shown
exactly when the action behind it would be allowed (an Edit link disappears
with the edit window, because both ask `can_edit_comment`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import permissions
from community.notifications import texts
from community.pagecache import DrawFresh
from ideas import permissions as idea_permissions
from ideas import selectors
from ideas.listening.permissions import stages_open
from ideas.listening.services import has_voted
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


# --- An idea page from the visitors' shared copy -----------------------------------
#
# What differs on an idea page for a member who is not staff, not its author and has
# not written in its discussion: a few parts, each drawn in every variant such a
# reader can see (`templatetags.idea_page`). The rules pick the member's variant
# here, when the copy is served; the drawing only lays out the states.

READER = "reader"  # the page cache's slot kind (registered in apps.py)
NONE, FLAG, REPLY = "none", "flag", "reply"
PARTICIPANT, SUSPENDED, UNCONFIRMED = "participant", "suspended", "unconfirmed"


def actions_variant(*, following: bool, can_flag: bool) -> str:
    """The idea's own buttons (follow, flag) for a reader."""
    return ("following" if following else "not-following") + ("-flag" if can_flag else "")


def reader_actions(*, can_flag: bool = False, can_reply: bool = False) -> CommentActions:
    """A comment's actions as a reader who did not write it may have them."""
    return CommentActions(
        can_edit=False,
        can_remove=False,
        can_flag=can_flag,
        can_reply=can_reply,
        can_moderate=False,
        can_moderator_remove=False,
    )


def join_variant(viewer) -> str:
    """What the foot of the discussion offers a signed-in reader."""
    if permissions.can_participate(viewer):
        return PARTICIPANT
    return SUSPENDED if permissions.is_suspended(viewer) else UNCONFIRMED


def idea_page_variants(request, keys: list[str]) -> dict[str, str]:
    """The member's variant of each reader slot ("<idea>.<part>[.<comment>]"), or
    DrawFresh when a variant would not show their page: their own idea, comments or
    rating prompt, or a right no reader has."""
    viewer, now = request.user, timezone.now()
    idea_pks = {key.split(".", 1)[0] for key in keys}
    if len(idea_pks) != 1:
        raise DrawFresh
    idea = selectors.idea_as_read_by(pk=int(idea_pks.pop()), viewer=viewer)
    if idea is None or idea.author_id == viewer.pk or idea.commented:
        raise DrawFresh
    if stages_open(viewer=viewer, idea=idea, voted=lambda: has_voted(user=viewer, idea=idea)):
        raise DrawFresh  # asked to rate how well they were heard
    parts = [key.split(".") for key in keys]
    comments = selectors.comments_by_pk(
        idea=idea, pks=[int(part[2]) for part in parts if len(part) == 3]
    )
    chosen = {}
    for key, (_idea, part, *comment_pk) in zip(keys, parts, strict=True):
        if part == "actions":
            can_flag = idea_permissions.can_flag_idea(viewer, idea)
            chosen[key] = actions_variant(following=idea.following, can_flag=can_flag)
        elif part == "join":
            chosen[key] = join_variant(viewer)
        else:
            comment = comments.get(int(comment_pk[0]))
            if comment is None:
                raise DrawFresh
            actions = comment_actions(viewer, comment, idea=idea, now=now)
            shown = reader_actions(can_flag=actions.can_flag, can_reply=actions.can_reply)
            if actions != shown:
                raise DrawFresh
            if part == "links":  # "reply" otherwise
                chosen[key] = FLAG if actions.can_flag else NONE
            else:
                chosen[key] = REPLY if actions.can_reply else NONE
    return chosen


# What a stored notification may still say about its idea: it keeps the title
# from when it was sent, so once the idea is out of the reader's sight (hidden,
# withdrawn) it says this instead; the same rule as the idea page.
NOTIFICATION_UNAVAILABLE = _("An idea you were told about is no longer available.")


def notification_text(viewer, notification) -> str:
    """The notification's words for `viewer`, in the active language (site and API)."""
    if notification.idea_id is None or idea_permissions.can_view_idea(viewer, notification.idea):
        return texts.shown(notification)
    return str(NOTIFICATION_UNAVAILABLE)
